"""Sharing the cost of a pool: compute, approve and post allocations, post
expenses, in-kind contributions and settlements.

Every refusal is a :class:`SharedCostsError` (or the :class:`AllocationError`
of the pure rules, unchanged) raised before anything is written. Money moves
only through :func:`ledger.services.transaction_post`, on two kinds of
accounts per pool: the pool's cost (no party) and each participant's
position in it. A position is what the party paid, plus its in-kind credit,
minus its share.
"""

from dataclasses import dataclass
from datetime import date as date_type
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from ledger.errors import DomainError
from ledger.models import Account, AccountType, Party, Transaction, TransactionKind
from ledger.money import money_format
from ledger.roles import is_administrator
from ledger.services import Line, PostingRequest, account_get_or_create, transaction_post, transactions_post
from sharedcosts.allocation import allocate
from sharedcosts.errors import (
    ApprovalError,
    CurrencyError,
    InKindError,
    MeansError,
    SettlementRecordError,
    SharedCostsError,
)
from sharedcosts.models import (
    Allocation,
    AllocationShare,
    AllocationStatus,
    CostPool,
    Expense,
    InKindContribution,
    Measure,
    MeansDeclaration,
    Participation,
)


# -- accounts ---------------------------------------------------------------


def pool_cost_account(pool: CostPool) -> Account:
    return account_get_or_create(
        code=pool.cost_account_code,
        name=_("Cost of the pool %(pool)s") % {"pool": pool.name},
        type=AccountType.EXPENSE,
        currency=pool.currency,
    )


def pool_position_account(pool: CostPool, party: Party) -> Account:
    return account_get_or_create(
        code=pool.position_account_code(party),
        name=_("Position in the pool %(pool)s") % {"pool": pool.name},
        type=AccountType.ASSET,
        currency=pool.currency,
        party=party,
    )


def _check_currency(pool: CostPool, amount: Money, *, what: str) -> None:
    if amount.currency.code != pool.currency:
        raise CurrencyError(
            _("The %(what)s is in %(currency)s, but the pool %(pool)s is kept in %(pool_currency)s."),
            code="currency_mismatch",
            params={"what": what, "currency": amount.currency.code, "pool": pool.name, "pool_currency": pool.currency},
        )


def _check_participant(pool: CostPool, party: Party) -> Participation:
    participation = Participation.objects.filter(pool=pool, party=party).first()
    if participation is None:
        raise SharedCostsError(
            _("%(party)s does not take part in the pool %(pool)s."),
            code="not_participant",
            params={"party": party.name, "pool": pool.name},
        )
    return participation


# -- means --------------------------------------------------------------------


def means_declare(
    *,
    party: Party,
    value: Decimal,
    as_of: date_type,
    source: str,
    measure: str = Measure.ANNUAL_BUDGET,
    measure_name: str = "",
    document: Any = None,
) -> MeansDeclaration:
    """Record a party's means as of a date; means are never negative."""
    if not isinstance(value, (Decimal, int)) or isinstance(value, bool) or not Decimal(value).is_finite():
        raise MeansError(_("The means must be a decimal number, not %(value)r."), code="invalid_means", params={"value": value})
    if value < 0:
        raise MeansError(
            _("The means of %(party)s cannot be negative: %(value)s."),
            code="negative_means",
            params={"party": party.name, "value": value},
        )
    if not source.strip():
        raise MeansError(_("Say where the figure comes from."), code="missing_source")
    declaration = MeansDeclaration(
        party=party, value=value, as_of=as_of, source=source, measure=measure, measure_name=measure_name
    )
    if document is not None:
        declaration.document = document
    declaration.save()
    return declaration


def _latest_declarations(pool: CostPool, party_ids: list[int]) -> dict[int, MeansDeclaration]:
    """The latest declaration of the pool's measure on or before its start, per party, in one query."""
    declarations = MeansDeclaration.objects.filter(
        party_id__in=party_ids, measure=pool.measure, as_of__lte=pool.start_date
    ).order_by("party_id", "-as_of", "-id")
    if pool.measure == Measure.OTHER:
        declarations = declarations.filter(measure_name=pool.measure_name)
    latest: dict[int, MeansDeclaration] = {}
    for declaration in declarations:
        latest.setdefault(declaration.party_id, declaration)
    return latest


# -- computing an allocation --------------------------------------------------------


@dataclass(frozen=True)
class Computed:
    inputs: dict[str, Any]
    shares: dict[int, Money]
    declarations: dict[int, MeansDeclaration]


def _rule_params(pool: CostPool, participations: list[Participation]) -> dict[str, Any]:
    """The pool's stored parameters as the pure rules take them (Decimals, Money, party ids)."""
    params: dict[str, Any] = {}
    stored = pool.rule_params or {}
    for name in ("base_fraction", "threshold"):
        if name in stored:
            params[name] = Decimal(str(stored[name]))
    if "percentages" in stored:
        params["percentages"] = {int(key): Decimal(str(value)) for key, value in stored["percentages"].items()}
    if "amounts" in stored:
        params["amounts"] = {int(key): Money(str(value), pool.currency) for key, value in stored["amounts"].items()}
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
        for limit, what in ((participation.floor, _("floor")), (participation.cap, _("cap"))):
            if limit is not None:
                _check_currency(pool, limit, what=what)
    if floors:
        params["floors"] = floors
    if caps:
        params["caps"] = caps
    return params


def _compute(pool: CostPool) -> Computed:
    """The shares the pool's current inputs give, with those inputs frozen as JSON."""
    participations = list(pool.participations.select_related("party").order_by("party_id"))
    if not participations:
        raise SharedCostsError(
            _("Nobody takes part in the pool %(pool)s yet."), code="no_participants", params={"pool": pool.name}
        )
    declarations = _latest_declarations(pool, [p.party_id for p in participations])
    payers = [p for p in participations if not p.is_exempt]
    if not payers:
        raise SharedCostsError(
            _("Every participant of the pool %(pool)s is exempt: nobody is left to bear the cost."),
            code="all_exempt",
            params={"pool": pool.name},
        )
    missing = [p.party.name for p in payers if p.party_id not in declarations]
    if missing:
        raise MeansError(
            _("No means declared on or before %(date)s for %(parties)s."),
            code="missing_means",
            params={"date": pool.start_date.isoformat(), "parties": ", ".join(missing)},
        )
    for participation in payers:
        declaration = declarations[participation.party_id]
        if declaration.value < 0:
            raise MeansError(
                _("The means of %(party)s are negative: %(value)s."),
                code="negative_means",
                params={"party": participation.party.name, "value": declaration.value},
            )
    means = {p.party_id: declarations[p.party_id].value for p in payers}
    if pool.rule in ("proportional", "base_plus_proportional", "progressive") and not any(means.values()):
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
        declaration = declarations.get(participation.party_id)
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
    return Computed(inputs=inputs, shares=all_shares, declarations=declarations)


def allocation_compute(*, pool: CostPool, prepared_by: AbstractBaseUser) -> Allocation:
    """A new draft version of the pool's shares, from its current inputs."""
    computed = _compute(pool)
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
        return _compute(allocation.pool).inputs != allocation.inputs
    except DomainError:
        return True


def allocation_approve(*, allocation: Allocation, approved_by: AbstractBaseUser) -> Allocation:
    """Approve a draft: by an administrator other than who prepared it, on inputs still current."""
    if not is_administrator(approved_by):
        raise ApprovalError(_("Only an administrator can approve an allocation."), code="not_administrator")
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
    *, allocation: Allocation, posted_by: AbstractBaseUser, date: date_type | None = None
) -> Allocation:
    """Post the approved shares; over an earlier posted version, only the difference per party.

    Each party's movement is one transaction keyed by this allocation and the
    party, so a retry after a failure posts what is missing and nothing twice.
    """
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
            memo = (
                _("Share of %(party)s in %(pool)s, version %(version)s")
                if previous is None
                else _("Change of the share of %(party)s in %(pool)s, version %(version)s")
            ) % {"party": party.name, "pool": pool.name, "version": allocation.version}
            transaction_post(
                lines=[Line(cost, difference), Line(pool_position_account(pool, party), -difference)],
                date=day,
                kind=TransactionKind.ALLOCATION,
                idempotency_key=f"allocation:{allocation.pk}:party:{party.pk}",
                memo=memo,
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
    given.refresh_from_db()
    return given


def allocation_current(pool: CostPool) -> Allocation | None:
    """The posted allocation of the pool, if any."""
    return pool.allocations.filter(status=AllocationStatus.POSTED).first()


# -- expenses and in-kind ---------------------------------------------------------


def expense_posting_request(
    *,
    expense: Expense,
    posted_by: AbstractBaseUser | None,
    idempotency_key: str | None = None,
    cost_account: Account | None = None,
    position_account: Account | None = None,
) -> PostingRequest:
    """The posting of an invoice paid for the pool: the payer's position is credited by the pool's cost.

    Posted once per expense, or once per ``idempotency_key`` when an import
    derives it from the row. Callers that post many expenses pass the
    accounts they already hold.
    """
    pool = expense.pool
    return PostingRequest(
        lines=[
            Line(cost_account or pool_cost_account(pool), -expense.amount),
            Line(position_account or pool_position_account(pool, expense.payer), expense.amount),
        ],
        date=expense.date,
        kind=TransactionKind.EXPENSE,
        idempotency_key=idempotency_key or f"expense:{expense.pk}",
        memo=_("%(vendor)s, paid by %(party)s for %(pool)s")
        % {"vendor": expense.vendor, "party": expense.payer.name, "pool": pool.name},
        posted_by=posted_by,
    )


def expense_post(*, expense: Expense, posted_by: AbstractBaseUser | None = None) -> Expense:
    """Post an invoice paid by one party: the pool's cost falls, the payer's position rises."""
    pool = expense.pool
    _check_currency(pool, expense.amount, what=_("expense"))
    _check_participant(pool, expense.payer)
    if expense.amount.amount <= 0:
        raise SharedCostsError(_("An expense must be more than zero."), code="not_positive")
    with transaction.atomic():
        result = transactions_post(requests=[expense_posting_request(expense=expense, posted_by=posted_by)])[0]
        if expense.transaction_id != result.transaction.pk:
            expense.transaction = result.transaction
            expense.save(update_fields=["transaction"])
    return expense


def in_kind_post(*, contribution: InKindContribution, posted_by: AbstractBaseUser | None = None) -> InKindContribution:
    """Credit a party's position with the fair value of what it provides, up to its share."""
    pool = contribution.pool
    _check_currency(pool, contribution.value, what=_("in-kind value"))
    _check_participant(pool, contribution.party)
    if contribution.value.amount <= 0:
        raise InKindError(_("An in-kind contribution must be worth more than zero."), code="not_positive")
    with transaction.atomic():
        CostPool.objects.select_for_update().get(pk=pool.pk)
        if contribution.transaction_id is not None:
            return contribution
        current = allocation_current(pool)
        share = None
        if current is not None:
            share = current.shares.filter(party=contribution.party).first()
        if share is None:
            raise InKindError(
                _("%(party)s has no posted share in %(pool)s yet; post the allocation before crediting in kind."),
                code="no_share",
                params={"party": contribution.party.name, "pool": pool.name},
            )
        credited = InKindContribution.objects.filter(
            pool=pool, party=contribution.party, transaction__isnull=False
        ).exclude(pk=contribution.pk)
        already = sum((c.value for c in credited), Money("0.00", pool.currency))
        if already + contribution.value > share.amount:
            raise InKindError(
                _(
                    "In kind, %(party)s would be credited %(total)s, more than its share of %(share)s in %(pool)s."
                ),
                code="in_kind_above_share",
                params={
                    "party": contribution.party.name,
                    "total": already + contribution.value,
                    "share": share.amount,
                    "pool": pool.name,
                },
            )
        result = transaction_post(
            lines=[
                Line(pool_cost_account(pool), -contribution.value),
                Line(pool_position_account(pool, contribution.party), contribution.value),
            ],
            date=contribution.date,
            kind=TransactionKind.IN_KIND,
            idempotency_key=f"in_kind:{contribution.pk}",
            memo=_("In kind from %(party)s for %(pool)s: %(description)s")
            % {"party": contribution.party.name, "pool": pool.name, "description": contribution.description},
            posted_by=posted_by,
        )
        contribution.transaction = result.transaction
        contribution.save(update_fields=["transaction"])
    return contribution


# -- settlements ---------------------------------------------------------------


def settlement_record(
    *,
    pool: CostPool,
    payer: Party,
    payee: Party,
    amount: Money,
    date: date_type,
    recorded_by: AbstractBaseUser | None = None,
) -> Any:
    """Record that ``payer`` paid ``payee`` to settle their positions in the pool.

    The key names the pool, both parties, the date and the amount: the same
    transfer between the same two parties, on the same day and for the same
    amount, is taken to be the same payment recorded twice (a double click,
    a retry), and is posted once. It cannot be more than what the payer owes
    nor what the payee is owed, so a second real payment of the same amount
    the same day is never needed.
    """
    from sharedcosts.selectors import pool_balances

    _check_currency(pool, amount, what=_("settlement"))
    if payer.pk == payee.pk:
        raise SettlementRecordError(_("A party cannot settle with itself."), code="same_party")
    if amount.amount <= 0:
        raise SettlementRecordError(_("A settlement must be more than zero."), code="not_positive")
    key = f"settlement:pool:{pool.pk}:{payer.pk}:{payee.pk}:{date.isoformat()}:{amount.amount}"
    existing = Transaction.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    _check_participant(pool, payer)
    _check_participant(pool, payee)
    balances = pool_balances(pool=pool)
    owed_by_payer = -balances[payer]
    owed_to_payee = balances[payee]
    if amount > owed_by_payer or amount > owed_to_payee:
        raise SettlementRecordError(
            _(
                "%(payer)s owes %(owed)s and %(payee)s is owed %(due)s in %(pool)s; a payment of %(amount)s "
                "would go beyond that."
            ),
            code="settlement_exceeds",
            params={
                "payer": payer.name,
                "owed": owed_by_payer,
                "payee": payee.name,
                "due": owed_to_payee,
                "pool": pool.name,
                "amount": amount,
            },
        )
    result = transaction_post(
        lines=[Line(pool_position_account(pool, payer), amount), Line(pool_position_account(pool, payee), -amount)],
        date=date,
        kind=TransactionKind.SETTLEMENT,
        idempotency_key=key,
        memo=_("%(payer)s pays %(payee)s for %(pool)s") % {"payer": payer.name, "payee": payee.name, "pool": pool.name},
        posted_by=recorded_by,
    )
    return result.transaction


__all__ = [
    "ApprovalError",
    "CurrencyError",
    "InKindError",
    "MeansError",
    "SettlementRecordError",
    "SharedCostsError",
    "allocation_approve",
    "allocation_compute",
    "allocation_current",
    "allocation_is_stale",
    "allocation_post",
    "expense_post",
    "in_kind_post",
    "means_declare",
    "settlement_record",
]
