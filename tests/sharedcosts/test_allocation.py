from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from moneyed import Money

from ledger import money
from sharedcosts.allocation import allocate, split
from sharedcosts.errors import AllocationError


def cad(amount: str | int) -> Money:
    return Money(amount, "CAD")


def cents(value: Money) -> int:
    return int(value.amount * 100)


MEANS = {"a": Decimal("100000"), "b": Decimal("250000"), "c": Decimal("650000")}


def test_split_is_the_ledgers_split():
    assert split is money.split


def test_equal_gives_the_left_over_cent_to_the_smaller_key():
    assert allocate(cad("100.00"), MEANS, rule="equal") == {
        "a": cad("33.34"),
        "b": cad("33.33"),
        "c": cad("33.33"),
    }


def test_a_negative_total_is_split_like_its_opposite():
    assert allocate(cad("-100.00"), MEANS, rule="equal") == {
        "a": cad("-33.34"),
        "b": cad("-33.33"),
        "c": cad("-33.33"),
    }


def test_a_currency_without_cents_is_split_in_whole_units():
    assert allocate(Money(100, "JPY"), MEANS, rule="equal") == {
        "a": Money(34, "JPY"),
        "b": Money(33, "JPY"),
        "c": Money(33, "JPY"),
    }


def test_proportional():
    assert allocate(cad("1000.01"), MEANS, rule="proportional") == {
        "a": cad("100.00"),
        "b": cad("250.00"),
        "c": cad("650.01"),
    }


def test_base_plus_proportional_splits_the_base_equally_and_the_rest_by_means():
    means = {"a": Decimal("1"), "b": Decimal("3")}
    shares = allocate(cad("1000.00"), means, rule="base_plus_proportional", base_fraction=Decimal("0.5"))
    assert shares == {"a": cad("375.00"), "b": cad("625.00")}


def test_base_plus_proportional_rounds_once_over_the_exact_shares():
    shares = allocate(cad("100.00"), MEANS, rule="base_plus_proportional", base_fraction=Decimal("0.3"))
    assert shares == {"a": cad("17.00"), "b": cad("27.50"), "c": cad("55.50")}


def test_base_plus_proportional_with_the_whole_base_needs_no_means():
    means = {"a": Decimal(0), "b": Decimal(0), "c": Decimal(0)}
    shares = allocate(cad("100.00"), means, rule="base_plus_proportional", base_fraction=Decimal(1))
    assert shares == {"a": cad("33.34"), "b": cad("33.33"), "c": cad("33.33")}


def test_progressive_weighs_the_means_above_the_threshold():
    means = {"a": Decimal("50"), "b": Decimal("150"), "c": Decimal("300")}
    shares = allocate(cad("100.00"), means, rule="progressive", threshold=Decimal("100"))
    assert shares == {"a": cad("0.00"), "b": cad("20.00"), "c": cad("80.00")}


def test_usage_ignores_the_means():
    means = {"a": Decimal(0), "b": Decimal(0)}
    shares = allocate(cad("100.00"), means, rule="usage", usage={"a": 3, "b": Decimal("1.5")})
    assert shares == {"a": cad("66.67"), "b": cad("33.33")}


def test_fixed_amounts_are_kept():
    amounts = {"a": cad("10.00"), "b": cad("0.00"), "c": cad("90.00")}
    assert allocate(cad("100.00"), MEANS, rule="fixed", amounts=amounts) == amounts


def test_fixed_percentages_are_split_by_the_largest_remainder():
    percentages = {"a": Decimal("33.33"), "b": Decimal("33.33"), "c": Decimal("33.34")}
    shares = allocate(cad("10.00"), MEANS, rule="fixed", percentages=percentages)
    assert shares == {"a": cad("3.33"), "b": cad("3.33"), "c": cad("3.34")}


def test_floors_and_caps_redistribute_by_the_same_rule():
    means = {"a": Decimal(1), "b": Decimal(2), "c": Decimal(7)}
    shares = allocate(
        cad("100.00"), means, rule="proportional", floors={"a": cad("20.00")}, caps={"c": cad("50.00")}
    )
    assert shares == {"a": cad("20.00"), "b": cad("30.00"), "c": cad("50.00")}


def test_a_floor_crossed_before_a_larger_excess_is_redistributed_is_not_fixed():
    means = {"a": Decimal(1), "b": Decimal(1), "c": Decimal(8)}
    shares = allocate(
        cad("100.00"), means, rule="proportional", floors={"a": cad("15.00")}, caps={"c": cad("60.00")}
    )
    assert shares == {"a": cad("20.00"), "b": cad("20.00"), "c": cad("60.00")}


def test_floors_cascade_until_stable():
    means = {"a": Decimal(1), "b": Decimal(2), "c": Decimal(3), "d": Decimal(94)}
    floors = {"a": cad("10.00"), "b": cad("10.00"), "c": cad("10.00")}
    shares = allocate(cad("100.00"), means, rule="proportional", floors=floors)
    assert shares == {"a": cad("10.00"), "b": cad("10.00"), "c": cad("10.00"), "d": cad("70.00")}


def test_a_party_without_means_still_pays_its_floor():
    means = {"a": Decimal(0), "b": Decimal(1), "c": Decimal(1)}
    shares = allocate(cad("100.00"), means, rule="proportional", floors={"a": cad("10.00")})
    assert shares == {"a": cad("10.00"), "b": cad("45.00"), "c": cad("45.00")}


def test_caps_on_an_equal_split():
    shares = allocate(cad("100.00"), MEANS, rule="equal", caps={"a": cad("10.00"), "b": cad("20.00")})
    assert shares == {"a": cad("10.00"), "b": cad("20.00"), "c": cad("70.00")}


EUR = Money("1.00", "EUR")

REFUSALS = [
    ("unknown_rule", cad(100), MEANS, {"rule": "lottery"}),
    ("unknown_param", cad(100), MEANS, {"rule": "equal", "threshold": Decimal(1)}),
    ("no_parties", cad(100), {}, {"rule": "equal"}),
    ("invalid_means", cad(100), {"a": 1.5}, {"rule": "proportional"}),
    ("invalid_means", cad(100), {"a": True}, {"rule": "proportional"}),
    ("invalid_means", cad(100), {"a": Decimal("NaN")}, {"rule": "proportional"}),
    ("negative_means", cad(100), {"a": Decimal(-1), "b": Decimal(2)}, {"rule": "proportional"}),
    ("zero_means", cad(100), {"a": Decimal(0), "b": Decimal(0)}, {"rule": "proportional"}),
    (
        "zero_means",
        cad(100),
        {"a": Decimal(0), "b": Decimal(0)},
        {"rule": "base_plus_proportional", "base_fraction": Decimal("0.5")},
    ),
    ("sub_unit", cad("100.001"), MEANS, {"rule": "equal"}),
    ("missing_param", cad(100), MEANS, {"rule": "base_plus_proportional"}),
    ("missing_param", cad(100), MEANS, {"rule": "progressive"}),
    ("missing_param", cad(100), MEANS, {"rule": "usage"}),
    ("invalid_base_fraction", cad(100), MEANS, {"rule": "base_plus_proportional", "base_fraction": Decimal("1.5")}),
    ("invalid_base_fraction", cad(100), MEANS, {"rule": "base_plus_proportional", "base_fraction": Decimal("-0.1")}),
    ("invalid_base_fraction", cad(100), MEANS, {"rule": "base_plus_proportional", "base_fraction": 0.5}),
    ("invalid_threshold", cad(100), MEANS, {"rule": "progressive", "threshold": 10.0}),
    ("nobody_above_threshold", cad(100), MEANS, {"rule": "progressive", "threshold": Decimal(650000)}),
    ("missing_keys", cad(100), MEANS, {"rule": "usage", "usage": {"a": 1, "b": 1}}),
    ("extra_keys", cad(100), MEANS, {"rule": "usage", "usage": {"a": 1, "b": 1, "c": 1, "d": 1}}),
    ("invalid_usage", cad(100), MEANS, {"rule": "usage", "usage": {"a": 1, "b": 1, "c": "1"}}),
    ("negative_usage", cad(100), MEANS, {"rule": "usage", "usage": {"a": 1, "b": 1, "c": -1}}),
    ("zero_usage", cad(100), MEANS, {"rule": "usage", "usage": {"a": 0, "b": 0, "c": 0}}),
    ("fixed_choice", cad(100), MEANS, {"rule": "fixed"}),
    (
        "fixed_choice",
        cad(100),
        MEANS,
        {"rule": "fixed", "amounts": dict.fromkeys(MEANS, cad(0)), "percentages": dict.fromkeys(MEANS, 0)},
    ),
    ("missing_keys", cad(100), MEANS, {"rule": "fixed", "amounts": {"a": cad(50), "b": cad(50)}}),
    (
        "extra_keys",
        cad(100),
        MEANS,
        {"rule": "fixed", "amounts": {"a": cad(50), "b": cad(50), "c": cad(0), "d": cad(0)}},
    ),
    ("not_money", cad(100), MEANS, {"rule": "fixed", "amounts": {"a": Decimal(50), "b": cad(50), "c": cad(0)}}),
    ("currency_mismatch", cad(100), MEANS, {"rule": "fixed", "amounts": {"a": EUR, "b": cad(99), "c": cad(0)}}),
    ("amounts_mismatch", cad(100), MEANS, {"rule": "fixed", "amounts": {"a": cad(50), "b": cad(49), "c": cad(0)}}),
    ("amount_sign", cad(100), MEANS, {"rule": "fixed", "amounts": {"a": cad(150), "b": cad(-50), "c": cad(0)}}),
    ("missing_keys", cad(100), MEANS, {"rule": "fixed", "percentages": {"a": 50, "b": 50}}),
    ("extra_keys", cad(100), MEANS, {"rule": "fixed", "percentages": {"a": 50, "b": 50, "c": 0, "d": 0}}),
    ("invalid_percentage", cad(100), MEANS, {"rule": "fixed", "percentages": {"a": 50, "b": 50, "c": 0.0}}),
    ("negative_percentage", cad(100), MEANS, {"rule": "fixed", "percentages": {"a": 60, "b": 50, "c": -10}}),
    ("percentages_mismatch", cad(100), MEANS, {"rule": "fixed", "percentages": {"a": 50, "b": 49, "c": 0}}),
    ("extra_keys", cad(100), MEANS, {"rule": "equal", "floors": {"d": cad(1)}}),
    ("not_money", cad(100), MEANS, {"rule": "equal", "floors": {"a": 1}}),
    ("currency_mismatch", cad(100), MEANS, {"rule": "equal", "floors": {"a": EUR}}),
    ("currency_mismatch", cad(100), MEANS, {"rule": "equal", "caps": {"a": EUR}}),
    ("sub_unit", cad(100), MEANS, {"rule": "equal", "caps": {"a": cad("0.001")}}),
    ("negative_limit", cad(100), MEANS, {"rule": "equal", "floors": {"a": cad(-1)}}),
    ("negative_total", cad(-100), MEANS, {"rule": "equal", "caps": {"a": cad(50)}}),
    ("floor_above_cap", cad(100), MEANS, {"rule": "equal", "floors": {"a": cad(20)}, "caps": {"a": cad(10)}}),
    ("floors_above_total", cad(100), MEANS, {"rule": "equal", "floors": {"a": cad(60), "b": cad("40.01")}}),
    ("caps_below_total", cad(100), MEANS, {"rule": "equal", "caps": {"a": cad(50), "b": cad(30), "c": cad(19)}}),
    (
        "caps_below_total",
        cad(100),
        {"a": Decimal(0), "b": Decimal(1)},
        {"rule": "proportional", "caps": {"a": cad(100), "b": cad(50)}},
    ),
]


@pytest.mark.parametrize(("code", "total", "means", "params"), REFUSALS)
def test_refusals(code, total, means, params):
    with pytest.raises(AllocationError) as refusal:
        allocate(total, means, **params)
    assert refusal.value.code == code
    assert refusal.value.messages[0]


cent_totals = st.integers(min_value=-10**9, max_value=10**9).map(lambda units: cad(Decimal(units).scaleb(-2)))
decimals = st.decimals(min_value=0, max_value=10**6, places=2)
weight_maps = st.lists(decimals, min_size=1, max_size=30).filter(any).map(
    lambda weights: {f"p{i:02d}": weight for i, weight in enumerate(weights)}
)


def assert_within_a_cent(shares: dict[str, Money], exact: dict[str, Fraction]) -> None:
    for key, share in shares.items():
        assert abs(cents(share) - exact[key]) < 1


@settings(max_examples=200, deadline=None)
@given(total=cent_totals, weights=weight_maps)
def test_split_sums_exactly_and_each_part_is_within_a_cent(total, weights):
    parts = split(total, weights)
    assert sum(parts.values(), cad(0)) == total
    weight_sum = sum(map(Fraction, weights.values()))
    assert_within_a_cent(parts, {key: cents(total) * Fraction(w) / weight_sum for key, w in weights.items()})


@settings(max_examples=200, deadline=None)
@given(total=cent_totals, means=weight_maps)
def test_proportional_sums_exactly_and_each_share_is_within_a_cent(total, means):
    shares = allocate(total, means, rule="proportional")
    assert sum(shares.values(), cad(0)) == total
    means_sum = sum(map(Fraction, means.values()))
    assert_within_a_cent(shares, {key: cents(total) * Fraction(m) / means_sum for key, m in means.items()})


@settings(max_examples=150, deadline=None)
@given(total=cent_totals, means=weight_maps, base=st.decimals(min_value=0, max_value=1, places=3))
def test_base_plus_proportional_is_within_a_cent_of_its_exact_share(total, means, base):
    shares = allocate(total, means, rule="base_plus_proportional", base_fraction=base)
    assert sum(shares.values(), cad(0)) == total
    n, means_sum, b = len(means), sum(map(Fraction, means.values())), Fraction(base)
    exact = {key: cents(total) * (b / n + (1 - b) * Fraction(m) / means_sum) for key, m in means.items()}
    assert_within_a_cent(shares, exact)


@settings(max_examples=150, deadline=None)
@given(total=cent_totals, cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=19))
def test_percentages_are_within_a_cent_of_their_share(total, cuts):
    bounds = [0, *sorted(cuts), 10_000]
    percentages = {f"p{i:02d}": Decimal(high - low).scaleb(-2) for i, (low, high) in enumerate(zip(bounds, bounds[1:]))}
    shares = allocate(total, dict.fromkeys(percentages, Decimal(0)), rule="fixed", percentages=percentages)
    assert sum(shares.values(), cad(0)) == total
    assert_within_a_cent(shares, {key: cents(total) * Fraction(p) / 100 for key, p in percentages.items()})


def water_fill(
    total: int, weights: dict[str, Fraction], floors: dict[str, int], caps: dict[str, int]
) -> dict[str, Fraction]:
    """The exact shares clamp(rate·w, floor, cap), at the rate where they sum to the total."""

    def share(key: str, rate: Fraction) -> Fraction:
        value = max(rate * weights[key], Fraction(floors.get(key, 0)))
        return min(value, Fraction(caps[key])) if key in caps else value

    def filled(rate: Fraction) -> Fraction:
        return sum(share(key, rate) for key in weights)

    points = sorted(
        {Fraction(0)}
        | {Fraction(floors.get(key, 0)) / w for key, w in weights.items() if w}
        | {Fraction(caps[key]) / w for key, w in weights.items() if w and key in caps}
    )
    previous = points[0]
    for point in points:
        if filled(point) >= total:
            rate = previous
            if filled(point) != filled(previous):
                rate += (total - filled(previous)) * (point - previous) / (filled(point) - filled(previous))
            break
        previous = point
    else:
        slope = sum(w for key, w in weights.items() if w and key not in caps)
        rate = points[-1] + (total - filled(points[-1])) / slope
    return {key: share(key, rate) for key in weights}


limit_maps = st.dictionaries(
    st.integers(min_value=0, max_value=11).map(lambda i: f"p{i:02d}"),
    st.integers(min_value=0, max_value=200_000),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(min_value=0, max_value=1_000_000),
    weights=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12).filter(any),
    floors=limit_maps,
    caps=limit_maps,
    rule=st.sampled_from(["proportional", "equal"]),
)
def test_floors_and_caps_hold_whenever_they_can(total, weights, floors, caps, rule):
    means = {f"p{i:02d}": Decimal(w) for i, w in enumerate(weights)}
    floors = {key: floor for key, floor in floors.items() if key in means}
    caps = {key: cap for key, cap in caps.items() if key in means}
    exact_weights = {key: Fraction(1 if rule == "equal" else m) for key, m in means.items()}
    ceiling = sum(caps.get(key, total) if w else floors.get(key, 0) for key, w in exact_weights.items())
    feasible = (
        all(floor <= caps.get(key, floor) for key, floor in floors.items())
        and sum(floors.values()) <= total <= ceiling
    )
    as_money = {key: cad(Decimal(value).scaleb(-2)) for key, value in floors.items()}
    caps_money = {key: cad(Decimal(value).scaleb(-2)) for key, value in caps.items()}
    money_total = cad(Decimal(total).scaleb(-2))
    if not feasible:
        with pytest.raises(AllocationError) as refusal:
            allocate(money_total, means, rule=rule, floors=as_money, caps=caps_money)
        assert refusal.value.code in {"floor_above_cap", "floors_above_total", "caps_below_total"}
        return
    shares = allocate(money_total, means, rule=rule, floors=as_money, caps=caps_money)
    assert sum(shares.values(), cad(0)) == money_total
    for key, share in shares.items():
        assert cents(share) >= floors.get(key, 0)
        assert cents(share) <= caps.get(key, cents(share))
    assert_within_a_cent(shares, water_fill(total, exact_weights, floors, caps))
