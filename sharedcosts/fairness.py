"""Fairness per pool: each party's share of the cost beside its share of the means.

A party's effort ratio is ``(cost_i / means_i) / (C / Σm)``: 1.0 is exactly
proportional to its means. A party outside the pool's tolerance is flagged
with the reason, and so is one whose means are missing or older than
:data:`STALE_MONTHS` months when the pool starts.

The cost a party bears in a pool is its share in the pool's posted
allocation; failing that, in its latest approved or draft version; failing
that, the shares the pool's current inputs give
(:func:`sharedcosts.services.shares_compute`, nothing written). A what-if
gives the same beside the shares another rule or other parameters would give.

Everything here only reads, in a fixed number of queries whatever the number
of pools and parties.
"""

import copy
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from moneyed import Money

from ledger.dates import add_months
from ledger.errors import DomainError
from ledger.models import Party
from sharedcosts.models import (
    RULE_LABELS,
    Allocation,
    AllocationShare,
    AllocationStatus,
    CostPool,
    InKindContribution,
    MeansDeclaration,
    Participation,
)
from sharedcosts.services import means_latest, shares_compute

STALE_MONTHS = 18
_BASIS_ORDER = (AllocationStatus.POSTED, AllocationStatus.APPROVED, AllocationStatus.DRAFT)


@dataclass(frozen=True)
class Flag:
    code: str
    message: str


@dataclass
class PartyFairness:
    """One party's fairness in a pool, or a group's across pools."""

    key: str
    label: str
    party: Party | None
    currency: str
    cost: Money
    in_kind: Money
    means: Decimal | None = None
    declaration: MeansDeclaration | None = None
    means_share: Decimal | None = None
    cost_share: Decimal | None = None
    effort_ratio: Decimal | None = None
    exempt: bool = False
    flags: list[Flag] = field(default_factory=list)
    fair_cost: Decimal = Decimal(0)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def outside_tolerance(self) -> bool:
        return any(flag.code in ("above_tolerance", "below_tolerance") for flag in self.flags)


@dataclass
class PoolFairness:
    pool: CostPool
    basis: str
    allocation: Allocation | None
    total: Money
    means_total: Decimal
    low: Decimal
    high: Decimal
    lines: list[PartyFairness]
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


def ratio_rounded(value: Decimal) -> Decimal:
    """An effort ratio (or a tolerance) to the hundredth, half up, as every page shows it: 0.659 reads 0.66."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ratio_text(value: Decimal) -> str:
    """An effort ratio as the reader writes it, :func:`ratio_rounded`: ``0,66`` in French, ``0.66`` in English."""
    return number_format(ratio_rounded(value), 2)


def effort_flag(ratio: Decimal, low: Decimal, high: Decimal) -> Flag | None:
    """The flag of an effort ratio outside the tolerance from ``low`` to ``high``, with the reason."""
    params = {"ratio": ratio_text(ratio), "low": ratio_text(low), "high": ratio_text(high)}
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


@dataclass
class _Loaded:
    participations: dict[int, list[Participation]]
    allocations: dict[int, Allocation]
    shares: dict[int, dict[int, tuple[Money, MeansDeclaration | None]]]
    declarations: dict[int, list[MeansDeclaration]]
    in_kind: dict[tuple[int, int], Decimal]

    def candidates(self, pool: CostPool) -> list[MeansDeclaration]:
        """The declarations of the pool's participants, newest first for each, as :func:`means_latest` reads them."""
        return [d for p in self.participations.get(pool.pk, []) for d in self.declarations.get(p.party_id, [])]


def _load(pools: Sequence[CostPool]) -> _Loaded:
    """Everything the pools' fairness reads, in five queries."""
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
    for share in AllocationShare.objects.filter(allocation_id__in=list(by_id)).select_related("means_declaration"):
        shares[by_id[share.allocation_id].pool_id][share.party_id] = (share.amount, share.means_declaration)

    party_ids = {p.party_id for rows in participations.values() for p in rows}
    latest_start = max(pool.start_date for pool in pools)
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
    return _Loaded(participations, allocations, shares, declarations, in_kind)


def _pool_fairness(pool: CostPool, loaded: _Loaded) -> PoolFairness:
    participations = loaded.participations.get(pool.pk, [])
    zero = Money("0.00", pool.currency)
    candidates = loaded.candidates(pool)
    latest = means_latest(pool=pool, declarations=candidates)
    allocation = loaded.allocations.get(pool.pk)
    error = ""
    if allocation is not None:
        stored = loaded.shares.get(pool.pk, {})
        shares = {p.party_id: stored.get(p.party_id, (zero, None))[0] for p in participations}
        used = {p.party_id: stored.get(p.party_id, (zero, None))[1] or latest.get(p.party_id) for p in participations}
        basis = allocation.status
    else:
        basis = "computed"
        used = {p.party_id: latest.get(p.party_id) for p in participations}
        try:
            shares = shares_compute(pool=pool, participations=participations, declarations=candidates).shares
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
) -> PoolFairness:
    currency = pool.currency
    stale_before = add_months(pool.start_date, -STALE_MONTHS)
    total = sum((shares[p.party_id].amount for p in participations), Decimal(0))
    payers = [p for p in participations if not p.is_exempt and used.get(p.party_id) is not None]
    means_total = sum((used[p.party_id].value for p in payers), Decimal(0))
    lines = []
    for participation in participations:
        party, declaration = participation.party, used.get(participation.party_id)
        cost = shares[participation.party_id].amount
        line = PartyFairness(
            key=str(party.pk),
            label=party.name,
            party=party,
            currency=currency,
            cost=Money(cost, currency),
            in_kind=Money(loaded.in_kind.get((pool.pk, party.pk), Decimal(0)), currency),
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
                    flag = effort_flag(line.effort_ratio, pool.tolerance_low, pool.tolerance_high)
                    if flag:
                        line.flags.append(flag)
        lines.append(line)
    return PoolFairness(
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


def pools_fairness(*, pools: Sequence[CostPool]) -> list[PoolFairness]:
    """The fairness of each pool, in the order given, in five queries however many pools and parties.

    A pool whose shares cannot be computed yet (missing means, no
    participant) is given with its refusal as ``error`` and zero shares.
    """
    if not pools:
        return []
    loaded = _load(pools)
    return [_pool_fairness(pool, loaded) for pool in pools]


# -- what-if ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIfLine:
    party: Party
    current: PartyFairness
    proposed: PartyFairness

    @property
    def difference(self) -> Money:
        return self.proposed.cost - self.current.cost


@dataclass(frozen=True)
class WhatIf:
    pool: CostPool
    rule: str
    params: dict[str, Any]
    current: PoolFairness
    proposed: PoolFairness

    @property
    def lines(self) -> list[WhatIfLine]:
        """Each party's current line beside its proposed one."""
        return [
            WhatIfLine(party=now.party, current=now, proposed=new)
            for now, new in zip(self.current.lines, self.proposed.lines, strict=True)
        ]

    @property
    def rule_label(self) -> str:
        return str(RULE_LABELS.get(self.rule, self.rule))


def pool_what_if(*, pool: CostPool, rule: str, params: dict[str, Any]) -> WhatIf:
    """The pool's shares and ratios under another rule or parameters, beside the current ones.

    Nothing is written: the pool is copied in memory and its shares computed
    by :func:`sharedcosts.services.shares_compute`, whose refusal (an unknown
    rule, infeasible or unreadable parameters) is raised as it is.
    """
    loaded = _load([pool])
    current = _pool_fairness(pool, loaded)
    proposal = copy.copy(pool)
    proposal.rule, proposal.rule_params = rule, params
    participations = loaded.participations.get(pool.pk, [])
    computed = shares_compute(pool=proposal, participations=participations, declarations=loaded.candidates(pool))
    proposed = _pool_lines(
        proposal, participations, computed.shares, computed.declarations, loaded, basis="what_if", allocation=None
    )
    return WhatIf(pool=pool, rule=rule, params=params, current=current, proposed=proposed)
