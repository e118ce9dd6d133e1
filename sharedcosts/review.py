"""The fairness review of a fiscal year: what administrators bring to the review meeting.

For each pool starting in the fiscal year, and across all of them, each
party's means beside its share of the cost, its in-kind credit, its effort
ratio ``(cost_i / means_i) / (C / Σm)``, the grants it received in the year
(read from its ledger accounts ``GR-<party>-<currency>``) and its net
position (grants received minus costs borne). The same by sector of the
territory and by kind of partner.

The cost a party bears in a pool is its share in the pool's posted
allocation; failing that, in its latest approved or draft version; failing
that, the shares the pool's current inputs give (computed here, nothing
written). Across pools, a party's share of the means is its share of the
means in each pool weighted by the pool's cost, so that pools measured
differently (budgets, staff) add up; its effort ratio is then its cost over
that fair cost.

Everything here only reads, in a fixed number of queries whatever the
number of parties, pools and ledger entries.
"""

import copy
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _
from moneyed import Money

from ledger.errors import DomainError
from ledger.models import Entry, FiscalPeriod, Party, PartyKind, Sector
from sharedcosts.allocation import RULES, allocate
from sharedcosts.models import (
    RULE_LABELS,
    Allocation,
    AllocationShare,
    AllocationStatus,
    CostPool,
    InKindContribution,
    Measure,
    MeansDeclaration,
    Participation,
)

STALE_MONTHS = 18
DEFAULT_LOW = CostPool._meta.get_field("tolerance_low").default
DEFAULT_HIGH = CostPool._meta.get_field("tolerance_high").default
_BASIS_ORDER = (AllocationStatus.POSTED, AllocationStatus.APPROVED, AllocationStatus.DRAFT)
_KNOWN_PARAMS = frozenset({"base_fraction", "threshold", "percentages", "amounts"})


class ReviewError(DomainError):
    """A review or a what-if cannot be made as asked; nothing was written."""


@dataclass(frozen=True)
class Flag:
    code: str
    message: str


@dataclass
class ReviewLine:
    """One row of a review table: a party, a sector or a kind of partner."""

    key: str
    label: str
    party: Party | None
    currency: str
    cost: Money
    in_kind: Money
    grants: Money
    means: Decimal | None = None
    declaration: MeansDeclaration | None = None
    means_share: Decimal | None = None
    cost_share: Decimal | None = None
    effort_ratio: Decimal | None = None
    exempt: bool = False
    flags: list[Flag] = field(default_factory=list)
    fair_cost: Decimal = Decimal(0)

    @property
    def net(self) -> Money:
        """Grants received in the year minus the costs borne."""
        return self.grants - self.cost

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def outside_tolerance(self) -> bool:
        return any(flag.code in ("above_tolerance", "below_tolerance") for flag in self.flags)


@dataclass
class PoolReview:
    pool: CostPool
    basis: str
    allocation: Allocation | None
    total: Money
    means_total: Decimal
    low: Decimal
    high: Decimal
    lines: list[ReviewLine]
    error: str = ""

    @property
    def basis_label(self) -> str:
        labels = {
            AllocationStatus.POSTED: _("posted version %(version)s"),
            AllocationStatus.APPROVED: _("approved version %(version)s, not posted yet"),
            AllocationStatus.DRAFT: _("draft version %(version)s, not approved yet"),
        }
        if self.allocation is not None:
            return labels[self.allocation.status] % {"version": self.allocation.version}
        return _("no version yet: the shares the current inputs give")

    @property
    def rule_label(self) -> str:
        return str(RULE_LABELS.get(self.pool.rule, self.pool.rule))


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
    pools: list[PoolReview]
    by_party: list[GroupReview]
    by_sector: list[GroupReview]
    by_kind: list[GroupReview]

    @property
    def flagged_parties(self) -> list[ReviewLine]:
        return [line for group in self.by_party for line in group.lines if line.flagged] + [
            line for pool in self.pools for line in pool.lines if line.flagged
        ]


# -- helpers ---------------------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier, or the month's last day if it has fewer."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_first = date(year + (month == 12), month % 12 + 1, 1)
    last = (next_first.toordinal() - 1) - date(year, month, 1).toordinal() + 1
    return date(year, month, min(day.day, last))


def _fmt(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _ratio_flag(ratio: Decimal, low: Decimal, high: Decimal) -> Flag | None:
    params = {"ratio": _fmt(ratio), "low": _fmt(low), "high": _fmt(high)}
    if ratio > high:
        return Flag(
            "above_tolerance",
            _("Effort ratio %(ratio)s above the tolerance of %(low)s to %(high)s: bears more than its means.")
            % params,
        )
    if ratio < low:
        return Flag(
            "below_tolerance",
            _("Effort ratio %(ratio)s below the tolerance of %(low)s to %(high)s: bears less than its means.")
            % params,
        )
    return None


def _latest(declarations: list[MeansDeclaration], pool: CostPool) -> MeansDeclaration | None:
    """The latest of a party's declarations of the pool's measure on or before its start."""
    for declaration in declarations:  # newest first
        if declaration.measure != pool.measure or declaration.as_of > pool.start_date:
            continue
        if pool.measure == Measure.OTHER and declaration.measure_name != pool.measure_name:
            continue
        return declaration
    return None


def _computed_shares(pool: CostPool, participations: list[Participation], declarations: dict[int, MeansDeclaration]) -> dict[int, Money]:
    """The shares the pool's current inputs give, as :func:`allocation_compute` would compute them."""
    from sharedcosts.services.allocations import _rule_params

    payers = [p for p in participations if not p.is_exempt]
    if not payers:
        raise ReviewError(_("Every participant is exempt: nobody bears the cost."), code="all_exempt")
    missing = [p.party.name for p in payers if p.party_id not in declarations]
    if missing:
        raise ReviewError(
            _("No means declared on or before %(date)s for %(parties)s.")
            % {"date": pool.start_date.isoformat(), "parties": ", ".join(missing)},
            code="missing_means",
        )
    means = {p.party_id: declarations[p.party_id].value for p in payers}
    try:
        params = _rule_params(pool, participations)
    except (InvalidOperation, ValueError, TypeError, AttributeError) as error:
        raise ReviewError(
            _("The parameters of the rule cannot be read: %(error)s") % {"error": error}, code="invalid_params"
        ) from error
    shares = allocate(pool.budgeted_cost, means, rule=pool.rule, **params)
    zero = Money("0.00", pool.currency)
    return {p.party_id: shares.get(p.party_id, zero) for p in participations}


@dataclass
class _Loaded:
    participations: dict[int, list[Participation]]
    allocations: dict[int, Allocation]
    shares: dict[int, dict[int, tuple[Money, MeansDeclaration | None]]]
    declarations: dict[int, list[MeansDeclaration]]
    in_kind: dict[tuple[int, int], Decimal]
    grants: dict[tuple[int, str], Decimal]


def _load(pools: list[CostPool], period: FiscalPeriod) -> _Loaded:
    """Everything the review reads, in six queries."""
    pool_ids = [pool.pk for pool in pools]
    participations: dict[int, list[Participation]] = defaultdict(list)
    for participation in Participation.objects.filter(pool_id__in=pool_ids).select_related("party").order_by(
        "party__name", "party_id"
    ):
        participations[participation.pool_id].append(participation)

    allocations: dict[int, Allocation] = {}
    candidates = Allocation.objects.filter(pool_id__in=pool_ids, status__in=_BASIS_ORDER).order_by("-version")
    for allocation in candidates:
        current = allocations.get(allocation.pool_id)
        if current is None or _BASIS_ORDER.index(allocation.status) < _BASIS_ORDER.index(current.status):
            allocations[allocation.pool_id] = allocation
    shares: dict[int, dict[int, tuple[Money, MeansDeclaration | None]]] = defaultdict(dict)
    by_id = {allocation.pk: allocation for allocation in allocations.values()}
    for share in (
        AllocationShare.objects.filter(allocation_id__in=list(by_id))
        .select_related("means_declaration")
    ):
        shares[by_id[share.allocation_id].pool_id][share.party_id] = (share.amount, share.means_declaration)

    party_ids = {p.party_id for rows in participations.values() for p in rows}
    latest_start = max((pool.start_date for pool in pools), default=period.end_date)
    declarations: dict[int, list[MeansDeclaration]] = defaultdict(list)
    for declaration in MeansDeclaration.objects.filter(party_id__in=party_ids, as_of__lte=latest_start).order_by(
        "party_id", "-as_of", "-id"
    ):
        declarations[declaration.party_id].append(declaration)

    in_kind = {
        (row["pool_id"], row["party_id"]): row["total"]
        for row in InKindContribution.objects.filter(pool_id__in=pool_ids, transaction__isnull=False)
        .values("pool_id", "party_id")
        .annotate(total=Sum("value"))
    }
    currencies = {pool.currency for pool in pools}
    codes = [f"GR-{party_id}-{currency}" for party_id in party_ids for currency in currencies]
    grants = {
        (row["account__party_id"], row["amount_currency"]): row["total"]
        for row in Entry.objects.filter(
            account__code__in=codes, date__gte=period.start_date, date__lte=period.end_date
        )
        .values("account__party_id", "amount_currency")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    return _Loaded(participations, allocations, shares, declarations, in_kind, grants)


def _pool_review(pool: CostPool, loaded: _Loaded) -> PoolReview:
    participations = loaded.participations.get(pool.pk, [])
    currency = pool.currency
    zero = Money("0.00", currency)
    latest = {p.party_id: _latest(loaded.declarations.get(p.party_id, []), pool) for p in participations}
    latest = {party_id: d for party_id, d in latest.items() if d is not None}
    allocation = loaded.allocations.get(pool.pk)
    error = ""
    used: dict[int, MeansDeclaration | None] = {}
    if allocation is not None:
        stored = loaded.shares.get(pool.pk, {})
        shares = {p.party_id: stored.get(p.party_id, (zero, None))[0] for p in participations}
        used = {p.party_id: stored.get(p.party_id, (zero, None))[1] or latest.get(p.party_id) for p in participations}
        basis = allocation.status
    else:
        basis = "computed"
        used = {p.party_id: latest.get(p.party_id) for p in participations}
        try:
            shares = _computed_shares(pool, participations, latest)
        except DomainError as refusal:
            error = str(refusal.messages[0])
            shares = {p.party_id: zero for p in participations}
    return _pool_lines(pool, participations, shares, used, loaded, basis=basis, allocation=allocation, error=error)


def _pool_lines(
    pool: CostPool,
    participations: list[Participation],
    shares: dict[int, Money],
    used: dict[int, MeansDeclaration | None],
    loaded: _Loaded,
    *,
    basis: str,
    allocation: Allocation | None,
    error: str = "",
) -> PoolReview:
    currency = pool.currency
    stale_before = months_before(pool.start_date, STALE_MONTHS)
    total = sum((shares[p.party_id].amount for p in participations), Decimal(0))
    payers = [p for p in participations if not p.is_exempt and used.get(p.party_id) is not None]
    means_total = sum((used[p.party_id].value for p in payers), Decimal(0))
    lines = []
    for participation in participations:
        party, declaration = participation.party, used.get(participation.party_id)
        cost = shares[participation.party_id].amount
        line = ReviewLine(
            key=str(party.pk),
            label=party.name,
            party=party,
            currency=currency,
            cost=Money(cost, currency),
            in_kind=Money(loaded.in_kind.get((pool.pk, party.pk), Decimal(0)), currency),
            grants=Money(loaded.grants.get((party.pk, currency), Decimal(0)), currency),
            means=declaration.value if declaration else None,
            declaration=declaration,
            cost_share=cost / total if total else None,
            exempt=participation.is_exempt,
        )
        if not participation.is_exempt:
            if declaration is None:
                line.flags.append(
                    Flag("no_means", _("No means declared on or before %(date)s.") % {"date": pool.start_date.isoformat()})
                )
            elif declaration.as_of < stale_before:
                line.flags.append(
                    Flag(
                        "stale_means",
                        _("Means declared on %(date)s, more than %(months)s months before the pool starts.")
                        % {"date": declaration.as_of.isoformat(), "months": STALE_MONTHS},
                    )
                )
            if declaration is not None and means_total:
                line.means_share = declaration.value / means_total
                line.fair_cost = total * line.means_share
                if declaration.value and total:
                    line.effort_ratio = (cost / declaration.value) / (total / means_total)
                    flag = _ratio_flag(line.effort_ratio, pool.tolerance_low, pool.tolerance_high)
                    if flag:
                        line.flags.append(flag)
        lines.append(line)
    return PoolReview(
        pool=pool,
        basis=basis,
        allocation=allocation,
        total=Money(total, currency),
        means_total=means_total,
        low=pool.tolerance_low,
        high=pool.tolerance_high,
        lines=lines,
        error=error,
    )


def _grouped(pools: list[PoolReview], key_of, label_of, grants: dict[tuple[int, str], Decimal]) -> list[GroupReview]:
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
                group.grants += Money(grants.get((line.party.pk, currency), Decimal(0)), currency)
    result = []
    for currency in sorted(by_currency):
        total = totals[currency]
        lines = sorted(by_currency[currency].values(), key=lambda line: line.label.casefold())
        for line in lines:
            line.cost_share = line.cost.amount / total if total else None
            if total and line.fair_cost:
                line.means_share = line.fair_cost / total
                line.effort_ratio = line.cost.amount / line.fair_cost
                flag = _ratio_flag(line.effort_ratio, DEFAULT_LOW, DEFAULT_HIGH)
                if flag:
                    line.flags.insert(0, flag)
            if key_of is not _party_key:
                line.means = None
                line.declaration = None
        result.append(GroupReview(currency, Money(total, currency), DEFAULT_LOW, DEFAULT_HIGH, lines))
    return result


def _party_key(party: Party) -> str:
    return str(party.pk)


def _sector_label(party: Party) -> str:
    return str(Sector(party.sector).label) if party.sector in Sector.values else party.sector


def _kind_label(party: Party) -> str:
    return str(PartyKind(party.kind).label) if party.kind in PartyKind.values else party.kind


# -- the review -------------------------------------------------------------------------


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
    loaded = _load(pools, period)
    reviews = [_pool_review(pool, loaded) for pool in pools]
    return Review(
        start_year=start_year,
        period=str(period),
        pools=reviews,
        by_party=_grouped(reviews, _party_key, lambda party: party.name, loaded.grants),
        by_sector=_grouped(reviews, lambda party: party.sector, _sector_label, loaded.grants),
        by_kind=_grouped(reviews, lambda party: party.kind, _kind_label, loaded.grants),
    )


# -- what-if ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIfLine:
    party: Party
    current: ReviewLine
    proposed: ReviewLine

    @property
    def difference(self) -> Money:
        return self.proposed.cost - self.current.cost


@dataclass(frozen=True)
class WhatIf:
    pool: CostPool
    rule: str
    params: dict[str, Any]
    current: PoolReview
    proposed: PoolReview
    lines: list[WhatIfLine]

    @property
    def rule_label(self) -> str:
        return str(RULE_LABELS.get(self.rule, self.rule))


def parse_params(text: str) -> dict[str, Any]:
    """The rule's parameters from the JSON an administrator typed; refused with a clear message."""
    text = (text or "").strip()
    if not text:
        return {}
    try:
        params = json.loads(text)
    except ValueError as error:
        raise ReviewError(
            _('The parameters are not valid JSON (%(error)s); write them as {"base_fraction": "0.5"}.')
            % {"error": error.msg},
            code="invalid_json",
        ) from error
    if not isinstance(params, dict):
        raise ReviewError(
            _('The parameters must be a JSON object, such as {"base_fraction": "0.5"}.'), code="not_object"
        )
    unknown = sorted(set(params) - _KNOWN_PARAMS)
    if unknown:
        raise ReviewError(
            _("Unknown parameters: %(names)s. The rules take %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(sorted(_KNOWN_PARAMS))},
            code="unknown_param",
        )
    return params


def what_if(*, pool: CostPool, rule: str, params: dict[str, Any]) -> WhatIf:
    """The pool's shares and ratios under another rule or parameters, beside the current ones.

    Nothing is written: the pool is copied in memory. Infeasible parameters
    are refused with the allocation rules' own translated message.
    """
    if rule not in RULES:
        raise ReviewError(
            _("%(rule)s is not an allocation rule; the rules are %(rules)s.")
            % {"rule": rule, "rules": ", ".join(RULES)},
            code="unknown_rule",
        )
    period = FiscalPeriod(start_year=FiscalPeriod.year_of(pool.start_date))
    loaded = _load([pool], period)
    current = _pool_review(pool, loaded)
    proposal = copy.copy(pool)
    proposal.rule, proposal.rule_params = rule, params
    participations = loaded.participations.get(pool.pk, [])
    latest = {p.party_id: _latest(loaded.declarations.get(p.party_id, []), pool) for p in participations}
    latest = {party_id: d for party_id, d in latest.items() if d is not None}
    try:
        shares = _computed_shares(proposal, participations, latest)
    except ReviewError:
        raise
    except DomainError as refusal:  # the rules' AllocationError, or a SharedCostsError: same message, as a ReviewError
        raise ReviewError(str(refusal.messages[0]), code=getattr(refusal, "code", None) or "infeasible") from refusal
    proposed = _pool_lines(proposal, participations, shares, latest, loaded, basis="what_if", allocation=None)
    lines = [
        WhatIfLine(party=now.party, current=now, proposed=new)
        for now, new in zip(current.lines, proposed.lines, strict=True)
    ]
    return WhatIf(pool=pool, rule=rule, params=params, current=current, proposed=proposed, lines=lines)
