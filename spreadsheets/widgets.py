"""Widgets of django-import-export for the spreadsheets finance staff keep.

Amounts are read the French way (``1 234,56 $``, non-breaking spaces,
``1234,56``) as well as ``1234.56``; money is written as its amount in one
column and its currency in another. Every refusal is a ``ValueError`` with a
translated message, which django-import-export reports as the row's error
on that column. Numbers are Decimal, never float. Widgets render typed
values (Decimal, date, text); :mod:`spreadsheets.writing` writes them, so
that a spreadsheet never runs a text as a formula, and :func:`cell_text`
reads back a text as it was.

A base module of the app: it knows no domain app and never imports
:mod:`spreadsheets.registry`, so every app's ``resources.py`` may build on it.
"""

import json
import re
import unicodedata
import uuid
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import widgets

from spreadsheets.reading import quoted

SPACES = {" ", "\u00a0", "\u202f", "\u2009", "\u2007", "\t"}
PLAIN = re.compile(r"^[+-]?(\d+)(?:[.,](\d+))?$")
ENGLISH_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+\.\d+$")
# Signs and codes a person writes in an amount, spaces removed, longest first; "$" alone says "a dollar".
DOLLAR = "$"
CURRENCY_SIGNS = (
    ("$CAN", "CAD"), ("$CA", "CAD"), ("CA$", "CAD"), ("CAD", "CAD"),
    ("$US", "USD"), ("US$", "USD"), ("USD", "USD"),
    ("EUR", "EUR"), ("€", "EUR"),
    ("$", DOLLAR),
)  # fmt: skip
DOLLAR_CURRENCIES = ("CAD", "USD")


def cell_text(value: Any) -> str:
    """A cell as text, without the apostrophe that protects a formula on export."""
    if value is None:
        return ""
    text = str(value).strip()
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    return text


def amount_sign_split(value: Any) -> tuple[str, str | None]:
    """An amount's text without its spaces and without the currency written before or after it, and that currency.

    ``1 234,56 €`` gives ``("1234,56", "EUR")``, ``CA$ 12`` ``("12", "CAD")``, ``12 $``
    ``("12", "$")`` (a dollar: the currency column or the pool says which), ``12`` ``("12", None)``.
    """
    text = "".join(char for char in cell_text(value) if char not in SPACES)
    upper = text.upper()
    for sign, code in CURRENCY_SIGNS:
        if upper.endswith(sign):
            return text[: -len(sign)], code
        if upper.startswith(sign):
            return text[len(sign) :], code
    return text, None


def parse_decimal(value: Any) -> Decimal:
    """``1 234,56 $``, ``1234,56``, ``1234.56`` or ``1,234.56`` as a Decimal; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    else:
        text, _sign = amount_sign_split(value)
        if ENGLISH_THOUSANDS.match(text):
            text = text.replace(",", "")
        elif not PLAIN.match(text):
            raise ValueError(
                _("“%(value)s” is not an amount; write it like 1 234,56 or 1234.56.") % {"value": cell_text(value)}
            )
        number = Decimal(text.replace(",", "."))
    if not number.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    return number


class DecimalWidget(widgets.Widget):
    """A decimal number, read the French or the English way, written ``1234,56``."""

    def __init__(self, *, places: int | None = 2, **kwargs: Any) -> None:
        self.places = places
        super().__init__(**kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Decimal | None:
        if cell_text(value) == "":
            return None
        number = parse_decimal(value)
        if self.places is not None:
            rounded = number.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)
            if rounded != number:
                raise ValueError(
                    _("“%(value)s” has more than %(places)d decimals.") % {"value": cell_text(value), "places": self.places}
                )
            number = rounded
        return number

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Decimal | str:
        return "" if value is None else value


class MoneyAmountWidget(DecimalWidget):
    """The amount of a MoneyField; its currency goes in a column of its own (:class:`CurrencyWidget`)."""

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Decimal | str:
        return "" if value is None else getattr(value, "amount", value)


class CurrencyWidget(widgets.Widget):
    """A currency code among the project's currencies, agreeing with the sign written in the amount.

    Empty, it is the currency the amount's sign names (``1 234,56 €``), else
    the default (CAD); a resource whose amounts belong to a pool reads an
    empty cell as the pool's currency (:func:`currency_left_to_pool`). A
    currency that contradicts the amount's sign (``€`` and ``CAD``) is refused
    rather than one of them thrown away.
    """

    def __init__(self, *, amount_column: str | None = None, **kwargs: Any) -> None:
        self.amount_column = amount_column
        super().__init__(**kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> str:
        sign = amount_sign_split((row or {}).get(self.amount_column, ""))[1] if self.amount_column else None
        text = cell_text(value).upper().replace("$", "").replace("€", "EUR").strip()
        if text == "":
            return sign if sign not in (None, DOLLAR) else settings.DEFAULT_CURRENCY
        if text not in settings.CURRENCIES:
            raise ValueError(
                _("Unknown currency “%(value)s”; use one of %(currencies)s.")
                % {"value": cell_text(value), "currencies": ", ".join(settings.CURRENCIES)}
            )
        if sign is not None and sign != text and not (sign == DOLLAR and text in DOLLAR_CURRENCIES):
            raise ValueError(
                _("The amount “%(amount)s” is written in %(sign)s, but this column says %(currency)s.")
                % {"amount": cell_text(row[self.amount_column]), "sign": sign, "currency": text}
            )
        return text

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(getattr(value, "code", value))


def currency_left_to_pool(row: dict[str, Any], *, amount_column: str, currency_column: str) -> bool:
    """Whether neither the currency column nor the amount names a currency: a pool's amount is then in the pool's."""
    return cell_text(row.get(currency_column, "")) == "" and amount_sign_split(row.get(amount_column, ""))[1] in (None, DOLLAR)


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    """The text as it compares (case, accents and spaces aside); a file names the same few parties thousands of times."""
    decomposed = unicodedata.normalize("NFKD", str(text).strip().casefold())
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())


class ChoiceWidget(widgets.Widget):
    """A value of a choice: its code, or its label in French or in English; written as its code, shown as its label.

    A value it cannot read is refused with the labels a person may write instead.
    """

    def __init__(self, choices: type[models.Choices] | list[tuple[str, Any]], **kwargs: Any) -> None:
        self.choices = list(getattr(choices, "choices", choices))
        super().__init__(**kwargs)

    def _lookup(self) -> dict[str, str]:
        if getattr(self, "_table", None) is not None:
            return self._table
        table: dict[str, str] = {}
        for code, label in self.choices:
            table[_folded(code)] = code
            for language in ("fr-ca", "en"):
                with translation.override(language):
                    table.setdefault(_folded(str(label)), code)
        self._table = table
        return table

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> str | None:
        text = cell_text(value)
        if text == "":
            return None
        code = self._lookup().get(_folded(text))
        if code is None:
            raise ValueError(
                _("“%(value)s” is not one of the accepted values: %(choices)s.")
                % {"value": text, "choices": ", ".join(quoted(str(label)) for _code, label in self.choices)}
            )
        return code

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)

    def shown(self, value: Any, obj: Any = None) -> str:
        """The choice's label in the reader's language, for the admin's preview; the file keeps the code it reads back."""
        if value is None or value == "":
            return ""
        return str(dict(self.choices).get(value, value))


class BooleanWidget(widgets.Widget):
    """oui/non, yes/no, vrai/faux, 1/0."""

    TRUE = {"oui", "o", "yes", "y", "vrai", "true", "1", "x"}
    FALSE = {"non", "n", "no", "faux", "false", "0", ""}

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> bool:
        text = _folded(cell_text(value))
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("“%(value)s” is neither “oui” nor “non”.") % {"value": cell_text(value)})

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "oui" if value else "non"

    def shown(self, value: Any, obj: Any = None) -> str:
        """``oui`` or ``non`` in French, ``yes`` or ``no`` in English, for the admin's preview."""
        return _("yes") if value else _("no")


@lru_cache(maxsize=4096)
def _date_read(text: str) -> date:
    """A date's text as a date; a file writes the same few dates thousands of times."""
    for pattern, order in ((r"^(\d{4})-(\d{1,2})-(\d{1,2})$", "ymd"), (r"^(\d{1,2})/(\d{1,2})/(\d{4})$", "dmy")):
        match = re.match(pattern, text)
        if match:
            parts = dict(zip(order, (int(part) for part in match.groups())))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                raise ValueError(_("“%(value)s” is not a date that exists.") % {"value": text}) from None
    raise ValueError(_("“%(value)s” is not a date; write it as 2025-04-01 or 01/04/2025.") % {"value": text})


class DateWidget(widgets.Widget):
    """A date written 2025-04-01 or 01/04/2025 (day first), or a date cell of a spreadsheet."""

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = cell_text(value)
        if text == "":
            return None
        return _date_read(text)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> date | str:
        return "" if value is None else value


class TextWidget(widgets.Widget):
    """Plain text, stripped."""

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> str:
        return cell_text(value)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class ReferenceWidget(widgets.Widget):
    """The reference (a UUID) the product gave a row it posted, written in the "référence" column of its export."""

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> uuid.UUID | None:
        text = cell_text(value)
        if text == "":
            return None
        try:
            return uuid.UUID(text)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a reference written by this application; leave the cell empty for a new row.")
                % {"value": text}
            ) from None

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by a readable field (a party's name), kept in memory for the whole file."""

    def __init__(self, model: type[models.Model], field: str = "name", *, what: str = "", **kwargs: Any) -> None:
        super().__init__(model, field, **kwargs)
        self.what = what
        self._cache: dict[str, models.Model] | None = None

    def _table(self) -> dict[str, models.Model]:
        if self._cache is None:
            self._cache = {_folded(getattr(obj, self.field)): obj for obj in self.get_queryset(None, None)}
        return self._cache

    def reset(self) -> None:
        self._cache = None

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> models.Model | None:
        text = cell_text(value)
        if text == "":
            return None
        found = self._table().get(_folded(text))
        if found is None:
            found = self.model._default_manager.filter(**{f"{self.field}__iexact": text}).first()
            if found is None:
                raise ValueError(
                    capfirst(
                        _("Unknown %(what)s “%(value)s”.") % {"what": self.what or self.model._meta.verbose_name, "value": text}
                    )
                )
            self._table()[_folded(text)] = found
        return found

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(getattr(value, self.field))


class JSONWidget(widgets.Widget):
    """A small JSON object in one cell, such as a rule's parameters: ``{"base_fraction": "0.5"}``."""

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> dict:
        text = cell_text(value)
        if text == "":
            return {}
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise ValueError(_("“%(value)s” is not a JSON object such as {\"base_fraction\": \"0.5\"}.") % {"value": text})
        return parsed

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False) if value else ""
