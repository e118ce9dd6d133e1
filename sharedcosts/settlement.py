"""Settlement plans: the fewest transfers that bring every balance to zero.

A group of parties whose balances sum to zero can settle among themselves in
one transfer fewer than its size, so the fewest transfers for n parties is n
minus the most disjoint zero-sum groups they can be cut into. Finding those
groups is hard in general; up to :data:`OPTIMAL_LIMIT` parties it is done
exactly, above it a greedy plan keeps to at most n - 1 transfers.
"""

import heapq
import operator
from collections.abc import Hashable, Mapping, Sequence
from functools import reduce
from typing import TypeVar

from django.utils.translation import gettext as _
from moneyed import Money

from ledger.money import is_whole_minor_units, minor_unit
from sharedcosts.errors import SettlementError

__all__ = ["OPTIMAL_LIMIT", "settle"]

K = TypeVar("K", bound=Hashable)

OPTIMAL_LIMIT = 20

_BINARY_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def settle(balances: Mapping[K, Money]) -> list[tuple[K, K, Money]]:
    """The transfers ``(payer, payee, amount)`` that clear ``balances``.

    A positive balance is owed to its party, a negative one is owed by it;
    zero balances are left out. Up to :data:`OPTIMAL_LIMIT` parties with a
    balance the plan has the fewest transfers possible; above, the largest
    debt is paid to the largest credit until none is left. Ties go to the
    smaller key and the plan is listed by payer, then payee, so the same
    balances always give the same plan.
    """
    cents = _cents(balances)
    if not cents:
        return []
    currency = next(iter(balances.values())).currency
    unit = minor_unit(currency)
    keys = sorted(cents)
    if len(keys) > OPTIMAL_LIMIT:
        groups = [keys]
    else:
        masks = _zero_sum_groups([cents[key] for key in keys])
        groups = [[key for i, key in enumerate(keys) if mask >> i & 1] for mask in masks]
    transfers = [transfer for group in groups for transfer in _greedy({key: cents[key] for key in group})]
    return [(payer, payee, Money(amount * unit, currency)) for payer, payee, amount in sorted(transfers)]


def _cents(balances: Mapping[K, Money]) -> dict[K, int]:
    """The non-zero balances in minor units, once they are known to clear."""
    currencies = set()
    for key, balance in balances.items():
        if not isinstance(balance, Money):
            raise SettlementError(
                _("The balance of %(key)s must be an amount of money, not %(value)r."),
                code="not_money",
                params={"key": key, "value": balance},
            )
        currencies.add(balance.currency)
    if len(currencies) > 1:
        raise SettlementError(
            _("The balances are in several currencies (%(currencies)s) and cannot be settled together."),
            code="mixed_currencies",
            params={"currencies": ", ".join(sorted(currency.code for currency in currencies))},
        )
    cents = {}
    for key, balance in balances.items():
        if not is_whole_minor_units(balance):
            raise SettlementError(
                _("The balance of %(key)s, %(value)s, is not a whole number of cents."),
                code="sub_unit",
                params={"key": key, "value": balance},
            )
        if balance.amount:
            cents[key] = int(balance.amount / minor_unit(balance))
    if sum(cents.values()):
        currency = currencies.pop()
        raise SettlementError(
            _("The balances add up to %(sum)s instead of zero, so they cannot all be settled."),
            code="unbalanced",
            params={"sum": Money(sum(cents.values()) * minor_unit(currency), currency)},
        )
    return cents


def _greedy(balances: Mapping[K, int]) -> list[tuple[K, K, int]]:
    """Pay the largest credit from the largest debt until both run out.

    Every transfer clears at least one balance and the last clears two, so a
    plan for n balances summing to zero has at most n - 1 transfers.
    """
    debts = [(amount, key) for key, amount in balances.items() if amount < 0]
    credits = [(-amount, key) for key, amount in balances.items() if amount > 0]
    heapq.heapify(debts)
    heapq.heapify(credits)
    transfers = []
    while debts:
        debt, payer = heapq.heappop(debts)
        credit, payee = heapq.heappop(credits)
        amount = min(-debt, -credit)
        transfers.append((payer, payee, amount))
        if debt + amount:
            heapq.heappush(debts, (debt + amount, payer))
        if credit + amount:
            heapq.heappush(credits, (credit + amount, payee))
    return transfers


def _zero_sum_groups(values: Sequence[int]) -> list[int]:
    """Cut values summing to zero into the most zero-sum groups, as bitmasks.

    The most disjoint zero-sum groups within a mask follow
    ``dp[mask] = max(dp[mask - i] for i in mask) + (sum(mask) == 0)``, but its
    2^n·n steps are seconds of Python at n = 20. So it is taken a level at a
    time on sets of masks held as the bits of one 2^n-bit integer: the masks
    with ``dp >= k + 1`` are those holding a zero-sum mask that has a proper
    part with ``dp >= k``. Each level is then 2n shifts of that integer; only
    the sums of the 2^n masks cost Python steps, and those are built by
    doubling the list of sums once per value.
    """
    n = len(values)
    full = (1 << n) - 1
    sums = [0]
    for value in values:
        sums += [total + value for total in sums]
    zero_sum = int(bytes(map(operator.not_, reversed(sums))).translate(_BINARY_DIGITS), 2) & ~1
    lacking = [_masks_lacking(i, n) for i in range(n)]
    levels = [(1 << (full + 1)) - 1]
    while True:
        grown = reduce(operator.or_, ((levels[-1] & low) << (1 << i) for i, low in enumerate(lacking)))
        level = _upward(zero_sum & grown, lacking)
        if not level >> full & 1:
            break
        levels.append(level)
    groups = []
    current = full
    for below in reversed(levels[1:-1]):
        candidates = zero_sum & below & _submasks(current, n) & ~(1 << current)
        part = (candidates & -candidates).bit_length() - 1
        groups.append(current ^ part)
        current = part
    groups.append(current)
    return groups


def _masks_lacking(bit: int, n: int) -> int:
    """The masks of n bits without ``bit``, as the bits of one integer."""
    width = 1 << bit
    pattern, period = (1 << width) - 1, width * 2
    while period < 1 << n:
        pattern |= pattern << period
        period *= 2
    return pattern


def _upward(masks: int, lacking: Sequence[int]) -> int:
    """Every mask holding one of ``masks``."""
    for i, low in enumerate(lacking):
        masks |= (masks & low) << (1 << i)
    return masks


def _submasks(mask: int, n: int) -> int:
    """Every mask held in ``mask``."""
    submasks = 1
    for i in range(n):
        if mask >> i & 1:
            submasks |= submasks << (1 << i)
    return submasks
