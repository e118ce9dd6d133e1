"""Amending a grant's money: one administrator proposes, another approves (four eyes, as for the grant itself).

1. :func:`amendment_propose` records what the grant becomes (a new amount,
   end date or budget by line) as an
   :class:`~grants.models.AmendmentProposal`, checked as if it were applied
   now. Its inputs are frozen from then on (the database refuses to change
   them); the budget is frozen line by line, scaled from the old one when
   none is given. One proposal waits at a time per grant, so each is made
   against the grant as it will stand when it is approved.
2. :func:`amendment_approve`, by another administrator, applies exactly
   those inputs: what is paid stays, the rest (new amount minus paid) is
   split anew over the schedule's dates still to come, so the instalments
   still sum exactly to the grant. The checks run again, since payments and
   other commitments may have moved in between.
3. :func:`amendment_reject` (another administrator) or
   :func:`amendment_withdraw` (its proposer) closes it without applying it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money
from simple_history.utils import bulk_create_with_history

from grants.errors import GrantError
from grants.models import (
    AmendmentProposal,
    BudgetLine,
    FundingProgramme,
    Grant,
    GrantAmendment,
    GrantBudgetLine,
    GrantStatus,
    Instalment,
    InstalmentStatus,
    ProposalStatus,
    ScheduleFrequency,
)
from grants.notifications import grant_amended_notify
from grants.services.checks import grant_amount_check, grant_budget_check, grant_period_check, programme_available_check
from grants.services.instalments import UNPAID
from grants.services.schedules import instalments_plan, schedule_dates
from ledger.money import split
from ledger.roles import require_administrator

AMENDABLE_GRANTS = (GrantStatus.DRAFT, GrantStatus.APPROVED, GrantStatus.ACTIVE)
COMMITTING_GRANTS = (GrantStatus.APPROVED, GrantStatus.ACTIVE, GrantStatus.CLOSED)


@dataclass(frozen=True)
class _Plan:
    """What an amendment makes of a grant, worked out under its locks, before anything is written."""

    amount: Money
    end_date: date
    lines: dict[str, Money]
    unpaid: list[Instalment]
    planned: list[Instalment]


def _locked(grant: Grant) -> tuple[FundingProgramme, Grant]:
    # Commitments against one programme are made one at a time, in the order grant_approve takes them.
    programme = FundingProgramme.objects.select_for_update().get(pk=grant.programme_id)
    return programme, Grant.objects.select_for_update().get(pk=grant.pk)


def _budget_of(grant: Grant) -> dict[str, Money]:
    return {line.line: line.amount for line in grant.budget_lines.all() if line.amount.amount}


def _budget_scaled(*, grant: Grant, amount: Money) -> dict[str, Money]:
    old = {line: value.amount for line, value in _budget_of(grant).items()}
    if not old:
        return {BudgetLine.OTHER: amount}
    return {line: value for line, value in split(amount, old).items() if value.amount}


def _plan(
    *, grant: Grant, programme: FundingProgramme, amount: Money, end_date: date, budget: Mapping[str, Money] | None
) -> _Plan:
    """Refuse an amendment that cannot be applied to the locked grant now; what it makes of the grant otherwise."""
    if grant.status not in AMENDABLE_GRANTS:
        raise GrantError(
            _("The grant is %(status)s and cannot be amended."),
            code="not_amendable",
            params={"status": grant.get_status_display()},
        )
    grant_amount_check(amount=amount, programme=programme)
    grant_period_check(start_date=grant.start_date, end_date=end_date)
    instalments = list(grant.instalments.select_for_update().order_by("sequence"))
    settled = [item for item in instalments if item.status not in UNPAID]
    unpaid = [item for item in instalments if item.status in UNPAID]
    paid_total = sum((item.amount for item in settled if item.status == InstalmentStatus.PAID), Money(0, grant.currency))
    if amount < paid_total:
        raise GrantError(
            _("%(paid)s is already paid on this grant; it cannot be amended to %(amount)s."),
            code="amendment_below_paid",
            params={"paid": paid_total, "amount": amount},
        )
    last_settled = max((item.due_date for item in settled), default=None)
    if last_settled is not None and end_date < last_settled:
        raise GrantError(
            _("An instalment was paid on its due date of %(date)s; the grant cannot end before it."),
            code="end_before_paid",
            params={"date": last_settled.isoformat()},
        )
    if budget is not None:
        lines = grant_budget_check(budget=budget, amount=amount)
    else:
        lines = _budget_scaled(grant=grant, amount=amount)
    if grant.status in COMMITTING_GRANTS and amount > grant.amount:
        programme_available_check(programme=programme, increase=amount - grant.amount)

    if grant.frequency == ScheduleFrequency.DATES:
        dates = [item.due_date for item in unpaid if item.due_date <= end_date]
    else:
        dates = schedule_dates(frequency=grant.frequency, start_date=grant.start_date, end_date=end_date)
        dates = [day for day in dates if last_settled is None or day > last_settled]
    remaining = amount - paid_total
    if remaining.amount and not dates:
        dates = [end_date]
    first_sequence = max((item.sequence for item in settled), default=0) + 1
    planned = instalments_plan(
        grant=grant, total=remaining, dates=dates if remaining.amount else [], first_sequence=first_sequence
    )
    hold = next((item for item in unpaid if item.status == InstalmentStatus.HELD), None)
    for item in planned:
        if hold is not None:
            item.status = InstalmentStatus.HELD
            item.hold_code, item.hold_params, item.hold_reason = hold.hold_code, hold.hold_params, hold.hold_reason
    return _Plan(amount=amount, end_date=end_date, lines=lines, unpaid=unpaid, planned=planned)


def _apply(*, grant: Grant, plan: _Plan, applied_by: AbstractBaseUser, reason: str) -> GrantAmendment:
    amendment = GrantAmendment.objects.create(
        grant=grant,
        previous_amount=grant.amount,
        new_amount=plan.amount,
        previous_end_date=grant.end_date,
        new_end_date=plan.end_date,
        reason=reason,
        amended_by=applied_by,
    )
    Instalment.objects.filter(pk__in=[item.pk for item in plan.unpaid]).delete()
    bulk_create_with_history(plan.planned, Instalment, default_user=applied_by)
    grant.budget_lines.all().delete()
    GrantBudgetLine.objects.bulk_create(
        GrantBudgetLine(grant=grant, line=line, amount=value) for line, value in plan.lines.items()
    )
    grant.amount = plan.amount
    grant.end_date = plan.end_date
    grant.save(update_fields=["amount", "amount_currency", "end_date"])
    return amendment


def _schedule(instalments: list[Instalment]) -> list[tuple[date, Money, str]]:
    # The same amount and end date may still re-plan the schedule: a reversed payment is planned again.
    return [(item.due_date, item.amount, item.status) for item in instalments]


def _frozen(lines: Mapping[str, Money]) -> dict[str, str]:
    return {line: str(value.amount) for line, value in sorted(lines.items())}


def _thawed(lines: Mapping[str, str], currency: str) -> dict[str, Money]:
    return {line: Money(value, currency) for line, value in lines.items()}


def amendment_propose(
    *,
    grant: Grant,
    proposed_by: AbstractBaseUser,
    amount: Money | None = None,
    end_date: date | None = None,
    budget: Mapping[str, Money] | None = None,
    reason: str = "",
) -> AmendmentProposal:
    """Propose a new amount, end date or budget for a grant; another administrator approves it.

    Without a new budget, the old one is scaled to the new amount (largest
    remainder) and frozen as such.
    """
    require_administrator(
        proposed_by, error=GrantError, message=_("Only an administrator can propose an amendment of a grant.")
    )
    with transaction.atomic():
        programme, grant = _locked(grant)
        if grant.amendment_proposals.filter(status=ProposalStatus.PROPOSED).exists():
            raise GrantError(
                _("An amendment of this grant already waits for approval; approve, reject or withdraw it first."),
                code="proposal_waiting",
            )
        plan = _plan(
            grant=grant,
            programme=programme,
            amount=amount if amount is not None else grant.amount,
            end_date=end_date or grant.end_date,
            budget=budget,
        )
        before = _budget_of(grant)
        if (plan.amount, plan.end_date, plan.lines, _schedule(plan.planned)) == (
            grant.amount,
            grant.end_date,
            before,
            _schedule(plan.unpaid),
        ):
            raise GrantError(
                _("This amendment changes nothing: give a new amount, end date or budget."), code="changes_nothing"
            )
        proposal = AmendmentProposal(
            grant=grant,
            previous_amount=grant.amount,
            new_amount=plan.amount,
            previous_end_date=grant.end_date,
            new_end_date=plan.end_date,
            previous_budget=_frozen(before),
            new_budget=_frozen(plan.lines),
            reason=reason,
            proposed_at=timezone.now(),
            proposed_by=proposed_by,
        )
        # The history names who acted, as a request through the admin would.
        proposal._history_user = proposed_by
        proposal.save()
    return proposal


def _waiting(proposal: AmendmentProposal) -> AmendmentProposal:
    proposal = AmendmentProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PROPOSED:
        raise GrantError(
            _("This amendment is %(status)s; only a proposed amendment is decided."),
            code="not_proposed",
            params={"status": proposal.get_status_display().lower()},
        )
    return proposal


def _decide(*, proposal: AmendmentProposal, status: str, decided_by: AbstractBaseUser) -> None:
    proposal.status = status
    proposal.decided_by = decided_by
    proposal.decided_at = timezone.now()
    proposal._history_user = decided_by
    proposal.save(update_fields=["status", "decided_by", "decided_at", "amendment"])


def amendment_approve(*, proposal: AmendmentProposal, approved_by: AbstractBaseUser) -> AmendmentProposal:
    """An administrator who did not propose it applies a proposed amendment, exactly as it was proposed."""
    require_administrator(
        approved_by, error=GrantError, message=_("Only an administrator can approve an amendment of a grant.")
    )
    with transaction.atomic():
        programme, grant = _locked(proposal.grant)
        proposal = _waiting(proposal)
        if proposal.proposed_by_id == approved_by.pk:
            raise GrantError(
                _("You proposed this amendment; another administrator must approve it."), code="own_amendment"
            )
        plan = _plan(
            grant=grant,
            programme=programme,
            amount=proposal.new_amount,
            end_date=proposal.new_end_date,
            budget=_thawed(proposal.new_budget, grant.currency),
        )
        proposal.amendment = _apply(grant=grant, plan=plan, applied_by=approved_by, reason=proposal.reason)
        _decide(proposal=proposal, status=ProposalStatus.APPROVED, decided_by=approved_by)
        grant_amended_notify(amendment=proposal.amendment)
    return proposal


def amendment_reject(*, proposal: AmendmentProposal, rejected_by: AbstractBaseUser) -> AmendmentProposal:
    """Another administrator turns a proposed amendment down; the grant stays as it is."""
    require_administrator(
        rejected_by, error=GrantError, message=_("Only an administrator can reject an amendment of a grant.")
    )
    with transaction.atomic():
        proposal = _waiting(proposal)
        if proposal.proposed_by_id == rejected_by.pk:
            raise GrantError(
                _("You proposed this amendment; withdraw it rather than reject it."), code="own_amendment"
            )
        _decide(proposal=proposal, status=ProposalStatus.REJECTED, decided_by=rejected_by)
    return proposal


def amendment_withdraw(*, proposal: AmendmentProposal, withdrawn_by: AbstractBaseUser) -> AmendmentProposal:
    """Its proposer takes a proposed amendment back; the grant stays as it is."""
    with transaction.atomic():
        proposal = _waiting(proposal)
        if proposal.proposed_by_id != withdrawn_by.pk:
            raise GrantError(
                _("Only the administrator who proposed this amendment withdraws it; another one rejects it."),
                code="not_proposer",
            )
        _decide(proposal=proposal, status=ProposalStatus.WITHDRAWN, decided_by=withdrawn_by)
    return proposal
