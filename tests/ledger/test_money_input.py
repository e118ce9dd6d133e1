from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from moneyed import Money

from ledger.money import percent_text
from ledger.money_input import AmountField, MoneyFormField, NumberField, PercentageField, PercentField, amount_parse, percent_parse


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1450,50", Decimal("1450.50")),
        ("1 450,50", Decimal("1450.50")),
        ("1\u00a0450,50", Decimal("1450.50")),
        ("1\u202f450,5", Decimal("1450.5")),
        ("1450.50", Decimal("1450.50")),
        ("1 450", Decimal("1450")),
        ("1 250 000", Decimal("1250000")),
        ("1 450,50 $", Decimal("1450.50")),
        ("-12,05", Decimal("-12.05")),
        (",5", Decimal("0.5")),
    ],
)
def test_french_reads_a_comma_or_a_point_before_cents_and_spaces_between_thousands(text, amount):
    assert amount_parse(text=text, language="fr-ca") == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1450.50", Decimal("1450.50")),
        ("1,450.50", Decimal("1450.50")),
        ("1,250,000", Decimal("1250000")),
        ("$1,450.50", Decimal("1450.50")),
        ("1 450.50", Decimal("1450.50")),
    ],
)
def test_english_reads_commas_between_thousands_and_a_point_before_cents(text, amount):
    assert amount_parse(text=text, language="en") == amount


@pytest.mark.parametrize(
    ("text", "language", "code"),
    [
        ("1,450", "fr-ca", "ambiguous"),
        ("1.450", "fr-ca", "ambiguous"),
        ("1.450,50", "fr-ca", "ambiguous"),
        ("1 450.50,", "fr-ca", "ambiguous"),
        ("1450,50", "en", "ambiguous_en"),
        ("1.450,50", "en", "ambiguous_en"),
        ("14 50", "fr-ca", "grouping"),
        ("1,45,000", "en", "grouping"),
        ("1450,505", "fr-ca", "ambiguous"),
        ("12,3456", "fr-ca", "too_many_decimals"),
        ("12.345", "en", "too_many_decimals"),
        ("douze", "fr-ca", "not_a_number"),
        ("", "fr-ca", "not_a_number"),
        ("1e3", "en", "not_a_number"),
        ("12,50 abc", "en", "not_a_number"),
        ("deux cents", "fr-ca", "not_a_number"),
        ("1 450 €", "fr-ca", "not_a_number"),
        ("12 %", "fr-ca", "not_a_number"),
    ],
)
def test_an_amount_that_could_be_read_two_ways_or_not_at_all_is_refused(text, language, code):
    with pytest.raises(ValidationError) as refusal:
        amount_parse(text=text, language=language)
    assert refusal.value.code == code


def test_the_refusal_says_how_to_write_it():
    with translation.override("fr-ca"), pytest.raises(ValidationError) as refusal:
        amount_parse(text="1,450")
    assert refusal.value.messages == [
        "«\xa01,450\xa0» peut se lire de deux façons\xa0: écrivez les cents après une virgule (1\xa0450,50) ou omettez-les."
    ]


@pytest.mark.parametrize(
    ("language", "text", "message"),
    [
        ("fr-ca", "deux cents", "«\xa0deux cents\xa0» n’est pas un montant\xa0: écrivez-le comme 1\xa0450,50."),
        ("en", "12,50 abc", "“12,50 abc” is not an amount: write it as 1,450.50."),
        ("fr-ca", "14 50", "«\xa014 50\xa0» regroupe mal ses chiffres\xa0: groupez les milliers par trois, comme dans 1\xa0450\xa0000."),
        ("en", "1,45,000", "“1,45,000” groups its digits oddly: group thousands by three, as in 1,450,000."),
    ],
)
def test_the_refusal_gives_its_example_as_the_reader_writes_numbers(language, text, message):
    with translation.override(language), pytest.raises(ValidationError) as refusal:
        amount_parse(text=text)
    assert refusal.value.messages == [message]


@pytest.mark.parametrize(
    ("language", "kind", "message"),
    [
        ("fr-ca", "percentage", "«\xa0abc\xa0» n’est pas un pourcentage\xa0: écrivez-le comme 12,5."),
        ("en", "percentage", "“abc” is not a percentage: write it as 12.5."),
        ("fr-ca", "number", "«\xa0abc\xa0» n’est pas un nombre\xa0: écrivez-le comme 1\xa0450,50."),
        ("en", "number", "“abc” is not a number: write it as 1,450.50."),
    ],
)
def test_the_refusal_names_what_the_field_holds(language, kind, message):
    with translation.override(language), pytest.raises(ValidationError) as refusal:
        amount_parse(text="abc", kind=kind)
    assert refusal.value.messages == [message]


def test_a_percentage_may_be_written_with_its_sign_an_amount_with_its_own():
    assert amount_parse(text="12,5 %", language="fr-ca", kind="percentage") == Decimal("12.5")
    assert amount_parse(text="12.5%", language="en", kind="percentage") == Decimal("12.5")
    with pytest.raises(ValidationError) as refusal:
        amount_parse(text="12,5 $", language="fr-ca", kind="percentage")
    assert refusal.value.code == "not_a_number"


class PercentForm(forms.Form):
    share = PercentageField(max_digits=5, decimal_places=2, required=False)
    count = NumberField(max_digits=14, decimal_places=2, required=False)


def test_the_percentage_and_number_fields_say_what_they_hold():
    with translation.override("en"):
        form = PercentForm({"share": "half", "count": "many"})
        assert not form.is_valid()
    assert form.errors == {
        "share": ["“half” is not a percentage: write it as 12.5."],
        "count": ["“many” is not a number: write it as 1,450.50."],
    }


class SpendingForm(forms.Form):
    spent = AmountField(max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False)


def test_the_field_is_a_text_input_on_the_number_pad_and_shows_back_what_it_read():
    with translation.override("fr-ca"):
        form = SpendingForm({"spent": "1450,50"})
        assert form.is_valid()
        assert form.cleaned_data["spent"] == Decimal("1450.50")
        html = str(form["spent"])
    assert 'type="text"' in html
    assert 'inputmode="decimal"' in html
    assert 'value="1\u00a0450,50"' in html
    assert "step=" not in html


def test_the_field_shows_the_amount_in_english_the_english_way():
    with translation.override("en"):
        form = SpendingForm(initial={"spent": Decimal("1450.5")})
        assert 'value="1,450.50"' in str(form["spent"])


def test_an_unreadable_amount_stays_as_typed_with_its_refusal():
    with translation.override("fr-ca"):
        form = SpendingForm({"spent": "1,450"})
        assert not form.is_valid()
        assert 'value="1,450"' in str(form["spent"])
        assert form.errors["spent"][0].startswith("«\xa01,450\xa0» peut se lire")


def test_a_negative_amount_is_still_refused_by_the_fields_minimum():
    with translation.override("fr-ca"):
        form = SpendingForm({"spent": "-1,00"})
        assert not form.is_valid()


class AmountForm(forms.Form):
    amount = MoneyFormField(max_digits=14, decimal_places=2, default_currency="CAD", currency_choices=[("CAD", "CAD")])


def test_the_admin_money_field_reads_the_amount_the_french_way_with_its_currency():
    with translation.override("fr-ca"):
        form = AmountForm({"amount_0": "9 500,25", "amount_1": "CAD"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["amount"] == Money("9500.25", "CAD")
        assert 'inputmode="decimal"' in str(form["amount"])


@pytest.mark.parametrize(
    ("language", "text", "fraction"),
    [
        ("fr-ca", "2,5", Decimal("0.025")),
        ("fr-ca", "2,5 %", Decimal("0.025")),
        ("fr-ca", "2,5\u00a0%", Decimal("0.025")),
        ("fr-ca", "3 %", Decimal("0.03")),
        ("fr-ca", "2.25%", Decimal("0.0225")),
        ("en", "2.5%", Decimal("0.025")),
        ("en", "2.5", Decimal("0.025")),
        ("en", "100 %", Decimal("1")),
    ],
)
def test_a_percentage_is_read_as_an_amount_is_and_kept_as_its_fraction(language, text, fraction):
    assert percent_parse(text=text, language=language) == fraction


@pytest.mark.parametrize(
    ("language", "text", "code", "message"),
    [
        ("fr-ca", "deux", "not_a_number", "«\u00a0deux\u00a0» n’est pas un pourcentage\u00a0: écrivez-le comme 12,5."),
        ("fr-ca", "2,5 $", "not_a_number", "«\u00a02,5 $\u00a0» n’est pas un pourcentage\u00a0: écrivez-le comme 12,5."),
        ("fr-ca", "2,500", "ambiguous", None),
        ("en", "two", "not_a_number", "“two” is not a percentage: write it as 12.5."),
        ("en", "2,5%", "ambiguous_en", None),
        ("en", "2.555%", "too_many_decimals", None),
    ],
)
def test_a_percentage_that_cannot_be_read_one_way_is_refused(language, text, code, message):
    with translation.override(language), pytest.raises(ValidationError) as refusal:
        percent_parse(text=text)
    assert refusal.value.code == code
    if message is not None:
        assert refusal.value.messages == [message]


@pytest.mark.parametrize(("language", "written"), [("fr-ca", "2,5\u00a0%"), ("en", "2.5%")])
def test_a_fraction_is_written_back_as_the_readers_percentage(language, written):
    with translation.override(language):
        assert percent_text(Decimal("0.0250")) == written
        assert PercentField(max_digits=6, decimal_places=4).widget.format_value(Decimal("0.0250")) == written
