from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from moneyed import Money

from ledger.models import Party, PartyKind, Sector
from spreadsheets.widgets import (
    BooleanWidget,
    ChoiceWidget,
    CurrencyWidget,
    DateWidget,
    DecimalWidget,
    LookupWidget,
    MoneyAmountWidget,
    TextWidget,
    amount_sign_split,
    parse_decimal,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 234,56", "1234.56"),
        ("1234,56 $", "1234.56"),
        ("1\u00a0234,56\u00a0$", "1234.56"),
        ("1\u202f234,56 $", "1234.56"),
        ("1234.56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("-12,5", "-12.5"),
        (" 12 ", "12"),
        (12.1, "12.1"),
        (Decimal("3.30"), "3.30"),
        (7, "7"),
    ],
)
def test_amounts_read_the_french_and_the_english_way(text, expected):
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["12,5,0", "abc", "1.2.3", "12 abc", "--1", "NaN", "Infinity"])
def test_what_is_not_an_amount_is_a_value_error(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_float_cells_become_exact_decimals():
    assert DecimalWidget().clean(0.1 + 0.2 - 0.3 + 1234.56) == Decimal("1234.56")


def test_more_than_two_decimals_is_refused():
    with pytest.raises(ValueError):
        DecimalWidget().clean("1,234")  # a French reader would mean 1.234: ambiguous cents


def test_money_is_written_as_an_amount_and_its_currency_in_their_own_columns():
    assert MoneyAmountWidget().render(Money("1234.50", "CAD")) == Decimal("1234.50")  # a number; the writer writes it
    assert MoneyAmountWidget().clean("1 234,50 $") == Decimal("1234.50")
    assert CurrencyWidget().render("CAD") == "CAD"
    assert CurrencyWidget().clean(" cad ") == "CAD"
    assert CurrencyWidget().clean("") == "CAD"
    with pytest.raises(ValueError):
        CurrencyWidget().clean("XYZ")


def test_choices_accept_the_code_and_the_labels():
    widget = ChoiceWidget(PartyKind)
    assert widget.clean("community_youth") == "community_youth"
    assert widget.clean("Organisme communautaire jeunesse") == "community_youth"
    assert widget.clean("youth community organisation") == "community_youth"
    assert ChoiceWidget(Sector).clean("sud") == "sud"
    with pytest.raises(ValueError):
        widget.clean("Club de golf")


def test_a_choice_it_cannot_read_is_refused_with_the_labels_to_write_instead():
    with translation.override("fr-ca"), pytest.raises(ValueError) as refusal:
        ChoiceWidget(Sector).clean("ouest")
    assert str(refusal.value) == (
        "«\xa0ouest\xa0» ne fait pas partie des valeurs acceptées\xa0: "
        "«\xa0Nord\xa0», «\xa0Sud\xa0», «\xa0Centre\xa0», «\xa0Tout le territoire\xa0»."
    )


def test_a_choice_is_shown_by_its_label_and_a_yes_or_no_in_the_readers_language():
    with translation.override("fr-ca"):
        assert (ChoiceWidget(Sector).shown("sud"), BooleanWidget().shown(False), ChoiceWidget(Sector).shown(None)) == ("Sud", "non", "")
    with translation.override("en"):
        assert (ChoiceWidget(Sector).shown("sud"), BooleanWidget().shown(True)) == ("South", "yes")
    assert ChoiceWidget(Sector).render("sud") == "sud"  # the file keeps the code it reads back


def test_dates():
    widget = DateWidget()
    assert widget.clean("2025-04-01") == date(2025, 4, 1)
    assert widget.clean("01/04/2025") == date(2025, 4, 1)
    with pytest.raises(ValueError, match="exist"):
        widget.clean("2025-02-30")
    with pytest.raises(ValueError):
        widget.clean("April 1, 2025")
    assert widget.render(date(2025, 4, 1)) == date(2025, 4, 1)


def test_booleans():
    assert BooleanWidget().clean("Oui") is True
    assert BooleanWidget().clean("non") is False
    with pytest.raises(ValueError):
        BooleanWidget().clean("peut-être")


def test_a_formula_escaped_by_the_writer_is_read_back_as_written():
    assert TextWidget().clean("'=1+1") == "=1+1"


@pytest.mark.parametrize(
    "amount, code",
    [
        ("1 234,56 $", "$"),
        ("1 234,56 $ CA", "CAD"),
        ("CA$ 1 234,56", "CAD"),
        ("1234,56$CA", "CAD"),
        ("1\u00a0234,56\u00a0$\u00a0CAN", "CAD"),
        ("1 234,56 cad", "CAD"),
        ("1\u202f234,56\u00a0€", "EUR"),
        ("EUR 1234.56", "EUR"),
        ("1 234,56 $ US", "USD"),
        ("US$1,234.56", "USD"),
        ("1234.56 USD", "USD"),
        ("1234,56", None),
    ],
)
def test_the_sign_written_in_an_amount_is_read_with_it(amount, code):
    text, sign = amount_sign_split(amount)
    assert sign == code
    assert parse_decimal(amount) == Decimal("1234.56")


@pytest.mark.parametrize(
    "amount, currency, expected",
    [
        ("1 234,56 €", "", "EUR"),
        ("1 234,56 $ US", "", "USD"),
        ("1 234,56 $", "", "CAD"),
        ("1 234,56", "", "CAD"),
        ("1 234,56 $", "USD", "USD"),
        ("1 234,56 $ CA", "CAD", "CAD"),
        ("1 234,56 €", "EUR", "EUR"),
    ],
)
def test_the_currency_column_and_the_amounts_sign_agree(amount, currency, expected):
    row = {"montant": amount, "devise": currency}
    assert CurrencyWidget(amount_column="montant").clean(currency, row=row) == expected


@pytest.mark.parametrize(
    "amount, currency", [("1 234,56 €", "CAD"), ("1 234,56 $ US", "CAD"), ("1 234,56 $", "EUR"), ("CA$ 12", "USD")]
)
def test_a_currency_that_contradicts_the_amounts_sign_is_refused(amount, currency):
    row = {"montant": amount, "devise": currency}
    with pytest.raises(ValueError, match="1 234,56|CA\\$ 12"):
        CurrencyWidget(amount_column="montant").clean(currency, row=row)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [("fr-ca", "Partenaire inconnu\xa0: «\xa0Personne\xa0»."), ("en", "Unknown party “Personne”.")],
)
def test_an_unknown_name_is_refused_in_a_sentence_of_the_reader_s_language(language, message):
    widget = LookupWidget(Party, "name", what=gettext_lazy("party"))
    with translation.override(language), pytest.raises(ValueError) as refused:
        widget.clean("Personne")
    assert str(refused.value) == message
