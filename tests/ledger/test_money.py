from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from django.utils import translation
from djmoney.money import Money as ModelMoney
from moneyed import Money

from ledger.errors import SplitError
from ledger.money import minor_unit, money_format, money_round, split


def cad(amount: str) -> Money:
    return Money(amount, "CAD")


def test_split_gives_the_extra_cent_to_the_first_key_on_a_tie():
    assert split(cad("100.00"), {1: 1, 2: 1, 3: 1}) == {1: cad("33.34"), 2: cad("33.33"), 3: cad("33.33")}


def test_split_gives_extra_cents_to_the_largest_remainders():
    shares = split(cad("10.00"), {"a": Decimal("1"), "b": Decimal("2"), "c": Decimal("4")})
    # Exact shares 1.428571.., 2.857142.., 5.714285..: remainders .857 > .714 > .428.
    assert shares == {"a": cad("1.43"), "b": cad("2.86"), "c": cad("5.71")}


def test_split_of_a_negative_total_negates_the_split_of_its_absolute_value():
    assert split(cad("-100.00"), {1: 1, 2: 1, 3: 1}) == {1: cad("-33.34"), 2: cad("-33.33"), 3: cad("-33.33")}


def test_split_gives_nothing_to_a_zero_weight():
    assert split(cad("0.05"), {1: 0, 2: 1, 3: 1}) == {1: cad("0.00"), 2: cad("0.03"), 3: cad("0.02")}


def test_split_keeps_the_order_of_the_weights():
    assert list(split(cad("1.00"), {"z": 1, "a": 1})) == ["z", "a"]


@pytest.mark.parametrize(
    ("weights", "code"),
    [
        ({}, "empty"),
        ({1: Decimal("-1"), 2: 3}, "negative_weight"),
        ({1: 0, 2: Decimal("0.00")}, "zero_weights"),
        ({1: 1.5, 2: 1}, "weight_type"),
        ({1: Decimal("NaN"), 2: 1}, "weight_nan"),
    ],
)
def test_split_refuses_bad_weights(weights, code):
    with pytest.raises(SplitError) as refused:
        split(cad("10.00"), weights)
    assert refused.value.code == code


def test_split_refuses_a_total_that_is_not_whole_cents():
    with pytest.raises(SplitError) as refused:
        split(cad("10.005"), {1: 1, 2: 1})
    assert refused.value.code == "sub_unit_total"


def test_money_round_rounds_halves_away_from_zero():
    assert money_round(Decimal("1.005"), "CAD") == cad("1.01")
    assert money_round(Decimal("-1.005"), "CAD") == cad("-1.01")
    assert money_round(Decimal("2.675"), "CAD").amount == Decimal("2.68")


def test_minor_unit_follows_the_currency():
    assert minor_unit("CAD") == Decimal("0.01")
    assert minor_unit("JPY") == Decimal("1")


cents = st.integers(min_value=-10**9, max_value=10**9)
weights = st.dictionaries(
    st.integers(min_value=0, max_value=50),
    st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=30,
).filter(lambda w: any(w.values()))


@settings(max_examples=300, deadline=None)
@given(total_cents=cents, weights=weights)
def test_split_sums_exactly_and_each_share_is_within_a_cent(total_cents, weights):
    total = Money(Decimal(total_cents) / 100, "CAD")
    shares = split(total, weights)
    assert sum((share.amount for share in shares.values()), Decimal(0)) == total.amount
    weight_sum = sum(weights.values())
    for key, share in shares.items():
        exact = total.amount * weights[key] / weight_sum
        assert abs(share.amount - exact) < Decimal("0.01")
        assert share.amount * total.amount >= 0


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("fr-ca", Money("9500", "CAD"), "9\xa0500,00\xa0$"),
        ("en", Money("9500", "CAD"), "$9,500.00"),
        ("fr-ca", Money("9500", "USD"), "9\xa0500,00\xa0$\xa0US"),
        ("en", Money("9500", "USD"), "US$9,500.00"),
        ("fr-ca", Money("-1250000", "CAD"), "-1\xa0250\xa0000,00\xa0$"),
    ],
)
def test_money_format_writes_as_quebec_and_canada_do(language, value, expected):
    with translation.override(language):
        assert money_format(value) == expected


@pytest.mark.parametrize("money_class", [Money, ModelMoney])
def test_an_amount_in_a_message_built_in_code_reads_like_money_format(money_class):
    amount = money_class("9500", "CAD")
    with translation.override("fr-ca"):
        assert "totalisent %(total)s" % {"total": amount} == "totalisent 9\xa0500,00\xa0$"
    with translation.override("en"):
        assert str(amount) == "$9,500.00"
