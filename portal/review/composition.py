"""The fairness review of a fiscal year: what administrators bring to the review meeting.

For each pool starting in the fiscal year, its fairness
(:func:`sharedcosts.fairness.pools_fairness`) beside the grants each party
received in the year (:func:`grants.selectors.grants_received`) and its net
position (grants received minus costs borne); then the same across all the
year's pools, by party, by sector of the territory and by kind of partner.

Across pools, a party's share of the means is its share of the means in each
pool weighted by the pool's cost, so that pools measured differently
(budgets, staff) add up; its effort ratio is then its cost over that fair
cost, against the default tolerance.

Everything here only reads, in a fixed number of queries whatever the number
of parties, pools and ledger entries.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from moneyed import Money

from grants.selectors import grants_received
from ledger.errors import DomainError
from ledger.models import FiscalPeriod, Party, PartyKind, Sector
from ledger.words import name_sort_key
from sharedcosts.fairness import PartyFairness, PoolFairness, WhatIf, effort_flag, pool_what_if, pools_fairness
from sharedcosts.models import CostPool

DEFAULT_LOW = CostPool._meta.get_field("tolerance_low").default
DEFAULT_HIGH = CostPool._meta.get_field("tolerance_high").default

Grants = dict[tuple[int, str], Money]


class ReviewError(DomainError):
    """A review cannot be made as asked; nothing was written."""


@dataclass(kw_only=True)
class ReviewLine(PartyFairness):
    """A row of a review table, a party's or a group's: its fairness and the grants it received in the year."""

    grants: Money

    @property
    def net(self) -> Money:
        """Grants received in the year minus the costs borne."""
        return self.grants - self.cost


@dataclass
class GroupReview:
    """A table across the year's pools in one currency: by party, by sector or by kind."""

    currency: str
    total: Money
    low: Decimal
    high: Decimal
    lines: list[ReviewLine]


@dataclass
class Review:
    start_year: int
    period: str
    pools: list[PoolFairness]
    by_party: list[GroupReview]
    by_sector: list[GroupReview]
    by_kind: list[GroupReview]


def _with_grants(pool: PoolFairness, grants: Grants) -> PoolFairness:
    """The pool's lines as review lines, each with the grants its party received."""
    zero = Money("0.00", pool.pool.currency)
    lines = [ReviewLine(**vars(line), grants=grants.get((line.party.pk, line.currency), zero)) for line in pool.lines]
    return replace(pool, lines=lines)


def _grants(period: FiscalPeriod, pools: list[PoolFairness]) -> Grants:
    """The grants the pools' parties received in the period, in the pools' currencies: the only ones shown."""
    return grants_received(
        period=period,
        party_ids={line.party.pk for pool in pools for line in pool.lines},
        currencies={pool.pool.currency for pool in pools},
    )


def _party_key(party: Party) -> str:
    return str(party.pk)


def _sector_label(party: Party) -> str:
    return str(Sector(party.sector).label) if party.sector in Sector.values else party.sector


def _kind_label(party: Party) -> str:
    return str(PartyKind(party.kind).label) if party.kind in PartyKind.values else party.kind


def _grouped(
    pools: list[PoolFairness], key_of: Callable[[Party], str], label_of: Callable[[Party], str], grants: Grants
) -> list[GroupReview]:
    """Sum the pools' lines per currency and per ``key_of(party)``; ratios from the fair costs."""
    by_currency: dict[str, dict[str, ReviewLine]] = defaultdict(dict)
    parties_in: dict[tuple[str, str], set[int]] = defaultdict(set)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for pool in pools:
        if pool.error:
            continue
        currency = pool.pool.currency
        totals[currency] += pool.total.amount
        for line in pool.lines:
            key = key_of(line.party)
            group = by_currency[currency].get(key)
            zero = Money("0.00", currency)
            if group is None:
                group = by_currency[currency][key] = ReviewLine(
                    key=key,
                    label=label_of(line.party),
                    party=line.party if key_of is _party_key else None,
                    currency=currency,
                    cost=zero,
                    in_kind=zero,
                    grants=zero,
                    exempt=True,
                )
            group.cost += line.cost
            group.in_kind += line.in_kind
            group.fair_cost += line.fair_cost
            group.exempt = group.exempt and line.exempt
            if line.declaration is not None and (
                group.declaration is None or line.declaration.as_of > group.declaration.as_of
            ):
                group.declaration, group.means = line.declaration, line.means
            for flag in line.flags if key_of is _party_key else ():
                if flag.code in ("no_means", "stale_means") and flag not in group.flags:
                    group.flags.append(flag)
            if line.party is not None and line.party.pk not in parties_in[(currency, key)]:
                parties_in[(currency, key)].add(line.party.pk)
                group.grants += grants.get((line.party.pk, currency), zero)
    result = []
    for currency in sorted(by_currency):
        total = totals[currency]
        lines = sorted(by_currency[currency].values(), key=lambda line: name_sort_key(line.label))
        for line in lines:
            line.cost_share = line.cost.amount / total if total else None
            if total and line.fair_cost:
                line.means_share = line.fair_cost / total
                line.effort_ratio = line.cost.amount / line.fair_cost
                flag = effort_flag(line.effort_ratio, DEFAULT_LOW, DEFAULT_HIGH)
                if flag:
                    line.flags.insert(0, flag)
            if key_of is not _party_key:
                line.means = None
                line.declaration = None
        result.append(GroupReview(currency, Money(total, currency), DEFAULT_LOW, DEFAULT_HIGH, lines))
    return result


def review_years() -> list[int]:
    """The fiscal years in which a pool starts, newest first."""
    starts = CostPool.objects.order_by().values_list("start_date", flat=True).distinct()
    return sorted({FiscalPeriod.year_of(day) for day in starts}, reverse=True)


def fairness_review(*, start_year: int) -> Review:
    """The review of the pools starting in the fiscal year ``start_year``–``start_year + 1``.

    Refused with a :class:`ReviewError` when no pool starts in that year.
    """
    period = FiscalPeriod(start_year=start_year)
    pools = list(
        CostPool.objects.filter(start_date__gte=period.start_date, start_date__lte=period.end_date).order_by(
            "start_date", "name"
        )
    )
    if not pools:
        raise ReviewError(
            _("No cost pool starts in the fiscal year %(period)s: there is nothing to review.") % {"period": str(period)},
            code="no_data",
        )
    fairness = pools_fairness(pools=pools)
    grants = _grants(period, fairness)
    reviews = [_with_grants(pool, grants) for pool in fairness]
    return Review(
        start_year=start_year,
        period=str(period),
        pools=reviews,
        by_party=_grouped(reviews, _party_key, lambda party: party.name, grants),
        by_sector=_grouped(reviews, lambda party: party.sector, _sector_label, grants),
        by_kind=_grouped(reviews, lambda party: party.kind, _kind_label, grants),
    )


def review_what_if(*, pool: CostPool, rule: str, params: dict[str, Any]) -> WhatIf:
    """The pool's what-if (:func:`sharedcosts.fairness.pool_what_if`), its lines with the grants of the pool's year."""
    what_if = pool_what_if(pool=pool, rule=rule, params=params)
    grants = _grants(FiscalPeriod(start_year=FiscalPeriod.year_of(pool.start_date)), [what_if.current])
    return replace(what_if, current=_with_grants(what_if.current, grants), proposed=_with_grants(what_if.proposed, grants))
