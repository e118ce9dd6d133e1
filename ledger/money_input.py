"""Amounts and percentages as people type them, read one way: the parsers, the form fields and the admin's money field.

A browser's ``<input type=number>`` reads ``1450,50`` as 145050 in some
languages, so money is typed in a text input (``inputmode=decimal``) and read
here. In French, ``,`` or ``.`` followed by one or two digits is the decimal
mark and spaces (ordinary, non-breaking, narrow) group thousands; in English
``,`` groups thousands and ``.`` is the decimal mark. An amount that could be
read two ways (``1,450`` in French, ``1.450,50`` anywhere) is refused rather
than guessed. A percentage is a number read by the same rules, then ``%``:
``2,5 %`` in French, ``2.5%`` in English; it is kept as its fraction (0.025).
"""

import re
from decimal import Decimal

from babel.numbers import format_decimal
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from djmoney.forms.fields import MoneyField as DjangoMoneyFormField
from djmoney.forms.widgets import MoneyWidget
from djmoney.models.fields import MoneyField

from ledger.money import percent_text, reader_locale
from ledger.words import number_words

SPACES = " \u00a0\u202f"
MINUS_SIGNS = "-\u2212"
# The sign a reader may write around each kind of number: it is dropped, the field knows its unit.
UNIT_SIGNS = {"amount": "$", "percentage": "%", "number": ""}
_GROUPS = re.compile(r"^\d{1,3}(?:[,]\d{3})+$")
_DIGITS = re.compile(r"^\d+$")
_FRENCH_CENTS = re.compile(r",\d{1,2}$")
_NUMBER_CHARACTERS = re.compile(f"^[\\d,.+{re.escape(SPACES + MINUS_SIGNS)}]*$")


def _refuse(text: str, code: str, kind: str) -> ValidationError:
    not_a_number = {
        "amount": _("“%(text)s” is not an amount: write it as 1,450.50."),
        "percentage": _("“%(text)s” is not a percentage: write it as 12.5."),
        "number": _("“%(text)s” is not a number: write it as 1,450.50."),
    }
    messages = {
        "ambiguous": _("“%(text)s” could be read two ways: write the cents after a comma (1 450,50) or leave them out."),
        "ambiguous_en": _("“%(text)s” could be read two ways: write 1,450.50 or 1450.50."),
        "too_many_decimals": _("“%(text)s” has more than two digits after the decimal mark."),
        "grouping": _("“%(text)s” groups its digits oddly: group thousands by three, as in 1,450,000."),
        "not_a_number": not_a_number[kind],
    }
    return ValidationError(messages[code], code=code, params={"text": text})


def _whole_part(text: str, original: str, kind: str) -> str:
    """The digits of the part before the decimal mark, spaces and (English) commas grouping thousands."""
    groups = re.split(f"[{SPACES}]+", text)
    if len(groups) > 1 and (
        not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])
    ):
        raise _refuse(original, "grouping", kind)
    digits = "".join(groups)
    if "," in digits:
        if not _GROUPS.match(digits):
            raise _refuse(original, "grouping", kind)
        digits = digits.replace(",", "")
    if not _DIGITS.match(digits):
        raise _refuse(original, "not_a_number", kind)
    return digits


def amount_parse(*, text: str, language: str | None = None, kind: str = "amount") -> Decimal:
    """The number ``text`` says, read the way a reader of ``language`` (the active one by default) writes it.

    ``kind`` (``amount``, ``percentage`` or ``number``) names what the field
    holds, in the refusal and in the unit sign dropped around it: a currency
    sign ($) for an amount, % for a percentage. Text with any other character
    than digits, separators and signs is no number at all, whatever its digits.
    """
    original = text
    text = text.strip(SPACES + UNIT_SIGNS[kind]).strip(SPACES)
    if not text or not _NUMBER_CHARACTERS.match(text):
        raise _refuse(original, "not_a_number", kind)
    negative = text[0] in MINUS_SIGNS
    if negative:
        text = text[1:].lstrip(SPACES)
    french = (language or get_language() or "fr").lower().startswith("fr")
    marks = [position for position, char in enumerate(text) if char in ",."]
    decimals = ""
    if french:
        if len(marks) > 1:
            raise _refuse(original, "ambiguous", kind)
        if marks:
            whole, decimals = text[: marks[0]], text[marks[0] + 1 :]
            if len(decimals) == 3 and _DIGITS.match(decimals):
                raise _refuse(original, "ambiguous", kind)
        else:
            whole = text
        whole = _whole_part(whole, original, kind) if whole else "0"
    else:
        if text.count(".") > 1 or ("." in text and "," in text[text.index(".") :]) or _FRENCH_CENTS.search(text):
            raise _refuse(original, "ambiguous_en", kind)
        whole, _dot, decimals = text.partition(".")
        whole = _whole_part(whole, original, kind) if whole else "0"
    if decimals and not _DIGITS.match(decimals):
        raise _refuse(original, "not_a_number", kind)
    if len(decimals) > 2:
        raise _refuse(original, "too_many_decimals", kind)
    amount = Decimal(f"{whole}.{decimals or '0'}")
    return -amount if negative else amount


def amount_text(amount: Decimal) -> str:
    """The amount as the reader types it back: ``1 450,50`` in French, ``1,450.50`` in English."""
    return format_decimal(amount, format="#,##0.00", locale=reader_locale())


def percent_parse(*, text: str, language: str | None = None) -> Decimal:
    """The fraction the percentage ``text`` says (``2,5 %`` is 0.025), read as :func:`amount_parse` reads a percentage."""
    return amount_parse(text=text, language=language, kind="percentage") / 100


class AmountInput(forms.TextInput):
    """A text input the phone opens on its number pad; it shows an amount as the reader writes it."""

    written = staticmethod(amount_text)

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return self.written(value)
        return super().format_value(value)


class AmountField(forms.DecimalField):
    """A decimal amount typed the reader's way (:func:`amount_parse`); shown back as it was read."""

    widget = AmountInput
    kind = "amount"

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        return self.read(str(value))

    def read(self, text: str) -> Decimal:
        return amount_parse(text=text, kind=self.kind)

    def bound_data(self, data, initial):
        """What was typed, once read, so the page shows ``1 450,50`` for ``1450,50``; unreadable text as typed."""
        try:
            return self.to_python(data)
        except ValidationError:
            return data

    def widget_attrs(self, widget):
        # DecimalField would set step/min/max, attributes of a number input that a text input does not take.
        return forms.Field.widget_attrs(self, widget)


class PercentageField(AmountField):
    """A percentage typed the reader's way (``12,5`` or ``12,5 %`` in French); its refusals say "percentage"."""

    kind = "percentage"


class PercentInput(AmountInput):
    """A text input on the number pad that shows a fraction as the percentage the reader writes."""

    written = staticmethod(percent_text)


class PercentField(PercentageField):
    """A fraction typed as a percentage the reader's way (:func:`percent_parse`); shown back as a percentage."""

    widget = PercentInput

    def read(self, text: str) -> Decimal:
        return percent_parse(text=text)


class NumberInput(AmountInput):
    """A text input on the number pad that shows a number (a distance, a threshold) as the reader writes it: ``195``, ``195,5``."""

    written = staticmethod(number_words)


class NumberField(AmountField):
    """A plain decimal number typed the reader's way, no unit, shown back without a useless zero; its refusals say "number"."""

    kind = "number"
    widget = NumberInput


class MoneyFormField(DjangoMoneyFormField):
    """django-money's field, its amount typed the reader's way; the admin uses it for every money column."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        amount_field, currency_field = self.fields
        reader = AmountField(
            max_value=amount_field.max_value,
            min_value=amount_field.min_value,
            max_digits=amount_field.max_digits,
            decimal_places=amount_field.decimal_places,
            required=amount_field.required,
        )
        reader.error_messages = amount_field.error_messages
        self.fields = (reader, currency_field)
        self.widget = MoneyWidget(
            amount_widget=AmountInput(),
            currency_widget=self.widget.widgets[1],
            default_currency=self.widget.default_currency,
        )


MONEY_INPUT = {MoneyField: {"form_class": MoneyFormField}}
"""An admin's ``formfield_overrides``: every money column typed the reader's way."""
