"""An allocation's life: computed as a draft from the pool's inputs, approved by
a second administrator, posted to the ledger; a changed input makes a new
version, never an edit of a posted one.

:func:`shares_compute` is the one place the pool's inputs (participations,
means, the rule and its parameters) become shares: the draft versions are
made from it, and the fairness review reads it for pools not allocated yet.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date as date_type
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from ledger.errors import DomainError
from ledger.models import Party, TransactionKind
from ledger.money import money_format
from ledger.roles import require_administrator
from ledger.services import Line, transaction_post
from ledger.words import de_name
from sharedcosts.allocation import allocate
from sharedcosts.errors import ApprovalError, InKindError, MeansError, SharedCostsError
from sharedcosts.memos import allocation_key, allocation_memo
from sharedcosts.models import (
    Allocation,
    AllocationShare,
    AllocationStatus,
    CostPool,
    InKindContribution,
    MeansDeclaration,
    Participation,
)
from sharedcosts.notifications import allocation_posted_notify
from sharedcosts.services.means import means_latest
from sharedcosts.services.pools import (
    amount_size_check,
    pool_cost_account,
    pool_currency_check,
    pool_position_account,
    staff_check,
)

MEANS_RULES = ("proportional", "base_plus_proportional", "progressive")
ALLOCATION_TOTAL = Allocation._meta.get_field("total")
SHARE_AMOUNT = AllocationShare._meta.get_field("amount")


@dataclass(frozen=True)
class Computed:
    inputs: dict[str, Any]
    shares: dict[int, Money]
    declarations: dict[int, MeansDeclaration]


def _stored_params(pool: CostPool) -> dict[str, Any]:
    """The pool's stored parameters as the pure rules take them (Decimals, Money, party ids)."""
    params: dict[str, Any] = {}
    stored = pool.rule_params or {}
    try:
        for name in ("base_fraction", "threshold"):
            if name in stored:
                params[name] = Decimal(str(stored[name]))
        if "percentages" in stored:
            params["percentages"] = {int(key): Decimal(str(value)) for key, value in stored["percentages"].items()}
        if "amounts" in stored:
            params["amounts"] = {int(key): Money(str(value), pool.currency) for key, value in stored["amounts"].items()}
    except (InvalidOperation, ValueError, TypeError, AttributeError) as error:
        raise SharedCostsError(
            _("The parameters of the rule cannot be read: %(error)s"), code="invalid_params", params={"error": error}
        ) from error
    return params


def _rule_params(pool: CostPool, participations: Sequence[Participation]) -> dict[str, Any]:
    """The stored parameters, with each payer's usage, floor and cap."""
    params = _stored_params(pool)
    for amount in params.get("amounts", {}).values():
        amount_size_check(amount=amount, field=SHARE_AMOUNT, what=_("fixed amount"))
    payers = [p for p in participations if not p.is_exempt]
    if pool.rule == "usage":
        missing = [p.party.name for p in payers if p.usage is None]
        if missing:
            raise SharedCostsError(
                _("The pool %(pool)s is split by usage, but there is no usage for %(parties)s."),
                code="missing_usage",
                params={"pool": pool.name, "parties": ", ".join(missing)},
            )
        params["usage"] = {p.party_id: p.usage for p in payers}
    floors = {p.party_id: p.floor for p in payers if p.floor is not None}
    caps = {p.party_id: p.cap for p in payers if p.cap is not None}
    for participation in payers:
        for limit, what, refusal in (
            (participation.floor, _("floor"), _("The floor is in %(currency)s, but the pool %(pool)s is kept in %(pool_currency)s.")),
            (participation.cap, _("cap"), _("The cap is in %(currency)s, but the pool %(pool)s is kept in %(pool_currency)s.")),
        ):
            if limit is not None:
                pool_currency_check(pool=pool, amount=limit, refusal=refusal)
                amount_size_check(amount=limit, field=SHARE_AMOUNT, what=what)
    if floors:
        params["floors"] = floors
    if caps:
        params["caps"] = caps
    return params


def shares_compute(
    *,
    pool: CostPool,
    participations: Sequence[Participation] | None = None,
    declarations: Iterable[MeansDeclaration] | None = None,
) -> Computed:
    """The shares the pool's current inputs give, with those inputs frozen as JSON; nothing is written.

    The pool's rule and parameters are read from ``pool`` as it is in
    memory, so a what-if can pass a changed copy. A reader of many pools
    passes the participations (with their parties) and the parties'
    declarations, newest first, that it read once for all of them; otherwise
    they are read here, in two queries.
    """
    amount_size_check(amount=pool.budgeted_cost, field=ALLOCATION_TOTAL, what=_("budgeted cost"))
    if participations is None:
        participations = list(pool.participations.select_related("party").order_by("party_id"))
    if not participations:
        raise SharedCostsError(
            _("Nobody takes part in the pool %(pool)s yet."), code="no_participants", params={"pool": pool.name}
        )
    if declarations is None:
        declarations = MeansDeclaration.objects.filter(
            party_id__in=[p.party_id for p in participations], measure=pool.measure, as_of__lte=pool.start_date
        ).order_by("party_id", "-as_of", "-id")
    latest = means_latest(pool=pool, declarations=declarations)
    payers = [p for p in participations if not p.is_exempt]
    if not payers:
        raise SharedCostsError(
            _("Every participant of the pool %(pool)s is exempt: nobody is left to bear the cost."),
            code="all_exempt",
            params={"pool": pool.name},
        )
    missing = [p.party.name for p in payers if p.party_id not in latest]
    if missing:
        raise MeansError(
            _("No means declared on or before %(date)s for %(parties)s."),
            code="missing_means",
            params={"date": pool.start_date.isoformat(), "parties": ", ".join(missing)},
        )
    for participation in payers:
        declaration = latest[participation.party_id]
        if declaration.value < 0:
            raise MeansError(
                _("The means of %(of_party)s are negative: %(value)s."),
                code="negative_means",
                params={"of_party": de_name(participation.party.name), "value": declaration.value},
            )
    means = {p.party_id: latest[p.party_id].value for p in payers}
    if pool.rule in MEANS_RULES and not any(means.values()):
        raise MeansError(
            _("Every participant's means are zero: the pool %(pool)s cannot be split by means."),
            code="zero_means",
            params={"pool": pool.name},
        )
    params = _rule_params(pool, participations)
    shares = allocate(pool.budgeted_cost, means, rule=pool.rule, **params)
    zero = Money("0.00", pool.currency)
    parties = {}
    for participation in participations:
        declaration = latest.get(participation.party_id)
        parties[str(participation.party_id)] = {
            "means": str(declaration.value) if declaration else None,
            "declaration": declaration.pk if declaration else None,
            "usage": None if participation.usage is None else str(participation.usage),
            "floor": None if participation.floor is None else str(participation.floor.amount),
            "cap": None if participation.cap is None else str(participation.cap.amount),
            "exempt": participation.is_exempt,
            "share": str(shares.get(participation.party_id, zero).amount),
        }
    inputs = {
        "rule": pool.rule,
        "params": pool.rule_params or {},
        "total": str(pool.budgeted_cost.amount),
        "currency": pool.currency,
        "start_date": pool.start_date.isoformat(),
        "measure": pool.measure,
        "parties": parties,
    }
    all_shares = {p.party_id: shares.get(p.party_id, zero) for p in participations}
    return Computed(inputs=inputs, shares=all_shares, declarations=latest)


def allocation_compute(*, pool: CostPool, prepared_by: AbstractBaseUser | None) -> Allocation:
    """A new draft version of the pool's shares, from its current inputs, prepared by finance staff."""
    staff_check(prepared_by)
    computed = shares_compute(pool=pool)
    with transaction.atomic():
        locked = CostPool.objects.select_for_update().get(pk=pool.pk)
        version = (locked.allocations.aggregate(last=Max("version"))["last"] or 0) + 1
        allocation = Allocation.objects.create(
            pool=locked,
            version=version,
            inputs=computed.inputs,
            total=pool.budgeted_cost,
            prepared_by=prepared_by,
        )
        AllocationShare.objects.bulk_create(
            AllocationShare(
                allocation=allocation,
                party_id=party_id,
                amount=amount,
                means_declaration=computed.declarations.get(party_id),
            )
            for party_id, amount in computed.shares.items()
        )
    return allocation


def allocation_is_stale(allocation: Allocation) -> bool:
    """Whether the pool's inputs changed since the allocation was computed."""
    try:
        return shares_compute(pool=allocation.pool).inputs != allocation.inputs
    except DomainError:
        return True


def allocation_approve(*, allocation: Allocation, approved_by: AbstractBaseUser) -> Allocation:
    """Approve a draft: by an administrator other than who prepared it, on inputs still current."""
    require_administrator(
        approved_by, error=ApprovalError, message=_("Only an administrator can approve an allocation.")
    )
    given = allocation
    with transaction.atomic():
        allocation = Allocation.objects.select_for_update().select_related("pool").get(pk=allocation.pk)
        if allocation.status != AllocationStatus.DRAFT:
            raise ApprovalError(
                _("Version %(version)s is %(status)s; only a draft can be approved."),
                code="not_draft",
                params={"version": allocation.version, "status": allocation.get_status_display()},
            )
        if allocation.prepared_by_id == approved_by.pk:
            raise ApprovalError(
                _("You prepared this allocation; another administrator must approve it."), code="self_approval"
            )
        if allocation_is_stale(allocation):
            raise ApprovalError(
                _("The inputs of the pool %(pool)s changed since version %(version)s was computed; compute it again."),
                code="stale",
                params={"pool": allocation.pool.name, "version": allocation.version},
            )
        allocation.status = AllocationStatus.APPROVED
        allocation.approved_by = approved_by
        allocation.approved_at = timezone.now()
        allocation.save(update_fields=["status", "approved_by", "approved_at"])
    given.refresh_from_db()
    return given


def _check_in_kind_covered(*, pool: CostPool, shares: dict[int, Money]) -> None:
    """In-kind credit already posted must stay within each party's new share."""
    credited = (
        InKindContribution.objects.filter(pool=pool, transaction__isnull=False)
        .values("party")
        .annotate(total=Sum("value"))
        .order_by("party")
        .values_list("party", "party__name", "total")
    )
    for party_id, party_name, total in credited:
        share = shares.get(party_id, Money("0.00", pool.currency))
        if total > share.amount:
            raise InKindError(
                _(
                    "%(party)s was already credited %(credited)s in kind in %(pool)s, more than its share of "
                    "%(share)s in this version; it cannot be posted."
                ),
                code="share_below_in_kind",
                params={
                    "party": party_name,
                    "credited": money_format(Money(total, pool.currency)),
                    "pool": pool.name,
                    "share": money_format(share),
                },
            )


def allocation_post(
    *, allocation: Allocation, posted_by: AbstractBaseUser | None, date: date_type | None = None
) -> Allocation:
    """Post the approved shares; over an earlier posted version, only the difference per party.

    Finance staff post what an administrator approved.

    Each party's movement is one transaction keyed by this allocation and the
    party, so a retry after a failure posts what is missing and nothing twice.
    """
    staff_check(posted_by, error=ApprovalError)
    day = date or timezone.localdate()
    given = allocation
    with transaction.atomic():
        # One posting per pool at a time: two versions posted at once would both diff against the same one.
        CostPool.objects.select_for_update().get(pk=allocation.pool_id)
        allocation = Allocation.objects.select_for_update().select_related("pool").get(pk=allocation.pk)
        if allocation.status != AllocationStatus.APPROVED:
            raise ApprovalError(
                _("Version %(version)s is %(status)s; only an approved allocation can be posted."),
                code="not_approved",
                params={"version": allocation.version, "status": allocation.get_status_display()},
            )
        pool = allocation.pool
        previous = (
            Allocation.objects.select_for_update()
            .filter(pool=pool, status=AllocationStatus.POSTED)
            .exclude(pk=allocation.pk)
            .first()
        )
        zero = Money("0.00", pool.currency)
        old = {share.party_id: share.amount for share in previous.shares.all()} if previous else {}
        new = {share.party_id: share.amount for share in allocation.shares.all()}
        parties = Party.objects.in_bulk(set(old) | set(new))
        _check_in_kind_covered(pool=pool, shares=new)
        cost = pool_cost_account(pool)
        for party_id in sorted(parties):
            difference = new.get(party_id, zero) - old.get(party_id, zero)
            if not difference.amount:
                continue
            party = parties[party_id]
            transaction_post(
                lines=[Line(cost, difference), Line(pool_position_account(pool, party), -difference)],
                date=day,
                kind=TransactionKind.ALLOCATION,
                idempotency_key=allocation_key(allocation=allocation, party=party),
                memo=allocation_memo(allocation=allocation, party=party, first=previous is None),
                posted_by=posted_by,
            )
        if previous is not None:
            previous.status = AllocationStatus.SUPERSEDED
            previous.save(update_fields=["status"])
            allocation.supersedes = previous
        allocation.status = AllocationStatus.POSTED
        allocation.posted_by = posted_by
        allocation.posted_at = timezone.now()
        allocation.save(update_fields=["status", "posted_by", "posted_at", "supersedes"])
        allocation_posted_notify(allocation=allocation)
    given.refresh_from_db()
    return given


def allocation_current(pool: CostPool) -> Allocation | None:
    """The posted allocation of the pool, if any."""
    return pool.allocations.filter(status=AllocationStatus.POSTED).first()

