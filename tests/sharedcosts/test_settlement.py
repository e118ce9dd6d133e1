from decimal import Decimal
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from moneyed import Money

from sharedcosts.errors import SettlementError
from sharedcosts.settlement import OPTIMAL_LIMIT, settle


def cad(amount: str | int) -> Money:
    return Money(amount, "CAD")


def balances_of(units: list[int]) -> dict[str, Money]:
    return {f"p{i:02d}": cad(Decimal(value).scaleb(-2)) for i, value in enumerate(units)}


def assert_clears(balances: dict[str, Money], transfers: list[tuple[str, str, Money]]) -> None:
    left = dict(balances)
    for payer, payee, amount in transfers:
        assert amount > cad(0)
        left[payer] += amount
        left[payee] -= amount
    assert all(balance == cad(0) for balance in left.values())


def most_zero_sum_groups(values: tuple[int, ...]) -> int:
    """Over every partition into zero-sum parts, the most parts: the part of the first value, then the rest."""
    if not values:
        return 0
    first, rest = values[0], values[1:]
    best = 0
    for size in range(len(rest) + 1):
        for chosen in combinations(range(len(rest)), size):
            if first + sum(rest[i] for i in chosen) == 0:
                others = tuple(value for i, value in enumerate(rest) if i not in chosen)
                best = max(best, 1 + most_zero_sum_groups(others))
    return best


def subset_dp(values: list[int]) -> int:
    """The textbook dp[mask] = max(dp[mask - i]) + (sum(mask) == 0), in 2^n·n steps."""
    n = len(values)
    dp = [0] * (1 << n)
    sums = [0] * (1 << n)
    for mask in range(1, 1 << n):
        low = (mask & -mask).bit_length() - 1
        sums[mask] = sums[mask & (mask - 1)] + values[low]
        dp[mask] = max(dp[mask & ~(1 << i)] for i in range(n) if mask >> i & 1) + (sums[mask] == 0)
    return dp[-1]


def test_the_fewest_transfers_beat_the_greedy_plan():
    balances = {"a": cad(-3), "b": cad(-4), "c": cad(-5), "d": cad(7), "e": cad(5)}
    assert settle(balances) == [
        ("a", "d", cad("3.00")),
        ("b", "d", cad("4.00")),
        ("c", "e", cad("5.00")),
    ]


def test_zero_balances_are_left_out():
    assert settle({"a": cad(0), "b": cad("-12.50"), "c": cad("12.50")}) == [("b", "c", cad("12.50"))]
    assert settle({"a": cad(0)}) == []
    assert settle({}) == []


def test_the_plan_does_not_depend_on_the_order_of_the_balances():
    units = [-500, 300, -200, 700, -300, 100, -100]
    balances = balances_of(units)
    assert settle(balances) == settle(dict(reversed(balances.items())))


def test_twenty_parties_are_settled_optimally():
    groups = [[-500, 200, 300], [-1, 1], [700, -350, -350], [-41, -59, 100], [9, 8, -17], [-3, 3], [12, -12], [5, -5]]
    units = [value for group in groups for value in group]
    assert len(units) == OPTIMAL_LIMIT
    balances = balances_of(units)
    transfers = settle(balances)
    assert_clears(balances, transfers)
    assert len(transfers) == len(units) - len(groups)


def test_above_the_limit_the_greedy_plan_keeps_to_n_minus_one_transfers():
    units = [-(i + 1) for i in range(OPTIMAL_LIMIT)] + [105, 105]
    balances = balances_of(units)
    transfers = settle(balances)
    assert_clears(balances, transfers)
    assert len(transfers) <= len(units) - 1


@pytest.mark.parametrize(
    ("code", "balances"),
    [
        ("unbalanced", {"a": cad(-3), "b": cad(2)}),
        ("mixed_currencies", {"a": cad(-3), "b": Money(3, "EUR")}),
        ("not_money", {"a": Decimal(-3), "b": cad(3)}),
        ("sub_unit", {"a": cad("-3.001"), "b": cad("3.001")}),
    ],
)
def test_refusals(code, balances):
    with pytest.raises(SettlementError) as refusal:
        settle(balances)
    assert refusal.value.code == code
    assert refusal.value.messages[0]


def balanced(values: list[int]) -> list[int]:
    return [*values, -sum(values)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=-30, max_value=30), max_size=6).map(balanced))
def test_small_plans_have_the_fewest_transfers_a_brute_force_finds(units):
    balances = balances_of(units)
    transfers = settle(balances)
    assert_clears(balances, transfers)
    non_zero = tuple(value for value in units if value)
    assert len(transfers) == len(non_zero) - most_zero_sum_groups(non_zero)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=-20, max_value=20).filter(bool), min_size=7, max_size=11).map(balanced))
def test_larger_plans_match_the_textbook_subset_dp(units):
    balances = balances_of(units)
    transfers = settle(balances)
    assert_clears(balances, transfers)
    non_zero = [value for value in units if value]
    assert len(transfers) == len(non_zero) - subset_dp(non_zero)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=-10**6, max_value=10**6), min_size=OPTIMAL_LIMIT, max_size=60).map(balanced))
def test_greedy_plans_clear_every_balance_in_at_most_n_minus_one_transfers(units):
    balances = balances_of(units)
    transfers = settle(balances)
    assert_clears(balances, transfers)
    assert len(transfers) <= max(sum(1 for value in units if value) - 1, 0)
