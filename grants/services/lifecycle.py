"""A grant's life: created as a draft, approved, amended, cancelled or closed.

1. :func:`grant_create` records a draft grant to a party: a project, an
   amount, a period, a budget by line that sums to the amount, and its
   instalments (:mod:`grants.services.schedules`). :func:`grant_check`
   refuses what cannot be made, for the forms as for the service.
2. :func:`grant_approve`, an administrator's act, commits the grant against
   what the programme still has available; whoever prepared it does not
   approve it.
3. The first payment makes it active (:func:`grants_activate`, called by
   :mod:`grants.services.disbursements`).
4. :func:`grant_amend` (a new amount or end date) re-plans the unpaid
   instalments only; :func:`grant_cancel` cancels them;
   :func:`grant_close` ends a grant that is fully paid.
"""

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money
from simple_history.utils import bulk_create_with_history

from grants.errors import GrantError
from grants.history import history_record
from grants.models import (
    BudgetLine,
    FundingProgramme,
    Grant,
    GrantAmendment,
    GrantBudgetLine,
    GrantStatus,
    Instalment,
    InstalmentStatus,
    ScheduleFrequency,
)
from grants.selectors import programme_available
from grants.services.instalments import UNPAID, Outcome, instalments_record
from grants.services.amounts import amount_check_cents, amount_check_fits
from grants.services.schedules import instalments_plan, schedule_dates
from ledger.models import Party
from ledger.money import split
from ledger.roles import require_administrator, require_staff

AMENDABLE_GRANTS = (GrantStatus.DRAFT, GrantStatus.APPROVED, GrantStatus.ACTIVE)
COMMITTING_GRANTS = (GrantStatus.APPROVED, GrantStatus.ACTIVE, GrantStatus.CLOSED)
GRANT_AMOUNT = Grant._meta.get_field("amount")
BUDGET_LINE_AMOUNT = GrantBudgetLine._meta.get_field("amount")


# --- Checking what a grant is made of -------------------------------------------------------------------------------


def _check_amount(*, amount: Money, programme: FundingProgramme) -> None:
    if not isinstance(amount, Money) or amount.amount <= 0:
        raise GrantError(_("A grant's amount must be positive."), code="amount_not_positive")
    amount_check_fits(amount=amount, field=GRANT_AMOUNT)
    amount_check_cents(amount=amount)
    if amount.currency.code != programme.currency:
        raise GrantError(
            _("The grant is in %(currency)s but its programme is kept in %(programme_currency)s; currencies are not converted."),
            code="currency_mismatch",
            params={"currency": amount.currency.code, "programme_currency": programme.currency},
        )


def _check_period(*, start_date: date, end_date: date) -> None:
    if end_date < start_date:
        raise GrantError(
            _("The grant ends on %(end)s, before it starts on %(start)s."),
            code="end_before_start",
            params={"end": end_date.isoformat(), "start": start_date.isoformat()},
        )


def _check_budget(*, budget: Mapping[str, Money], amount: Money) -> dict[str, Money]:
    lines: dict[str, Money] = {}
    currency = amount.currency.code
    for line, value in budget.items():
        if line not in BudgetLine.values:
            raise GrantError(_("Unknown budget line: %(line)s."), code="unknown_budget_line", params={"line": line})
        if not isinstance(value, Money) or value.currency.code != currency:
            raise GrantError(
                _("The budget line %(line)s must be an amount in %(currency)s, like the grant."),
                code="currency_mismatch",
                params={"line": BudgetLine(line).label, "currency": currency},
            )
        if value.amount < 0:
            raise GrantError(
                _("The budget line %(line)s is negative."), code="negative_budget_line", params={"line": BudgetLine(line).label}
            )
        amount_check_fits(amount=value, field=BUDGET_LINE_AMOUNT)
        amount_check_cents(amount=value)
        if value.amount:
            lines[line] = value
    total = sum((value.amount for value in lines.values()), Decimal("0"))
    if total != amount.amount:
        raise GrantError(
            _("The budget lines sum to %(total)s, not to the grant's amount of %(amount)s."),
            code="budget_mismatch",
            params={"total": Money(total, currency), "amount": amount},
        )
    return lines


def _check_available(*, programme: FundingProgramme, increase: Money) -> None:
    available = programme_available(programme=programme)
    if increase > available:
        raise GrantError(
            _(
                "The programme %(programme)s has %(available)s available; it cannot commit %(amount)s more. "
                "Nothing was changed."
            ),
            code="exceeds_available",
            params={"programme": str(programme), "available": available, "amount": increase},
        )


# --- A grant's life -------------------------------------------------------------------------------------------------


def grant_check(
    *,
    programme: FundingProgramme,
    amount: Money,
    start_date: date,
    end_date: date,
    budget: Mapping[str, Money],
    frequency: str,
    dates: Sequence[date] | None = None,
) -> tuple[dict[str, Money], list[date]]:
    """Refuse a grant that cannot be made as described; its budget lines and due dates otherwise.

    :func:`grant_create` runs it; forms run it too, to show the refusal beside the fields.
    """
    _check_amount(amount=amount, programme=programme)
    _check_period(start_date=start_date, end_date=end_date)
    lines = _check_budget(budget=budget, amount=amount)
    planned_dates = schedule_dates(frequency=frequency, start_date=start_date, end_date=end_date, dates=dates)
    instalments_plan(grant=Grant(), total=amount, dates=planned_dates, first_sequence=1)
    _check_available(programme=programme, increase=amount)
    return lines, planned_dates


def grant_create(
    *,
    programme: FundingProgramme,
    party: Party,
    title: str,
    purpose: str,
    amount: Money,
    start_date: date,
    end_date: date,
    budget: Mapping[str, Money],
    frequency: str = ScheduleFrequency.SINGLE,
    dates: Sequence[date] | None = None,
    created_by: AbstractBaseUser,
) -> Grant:
    """Record a draft grant with its budget and its planned instalments."""
    require_staff(created_by, error=GrantError, message=_("Only finance staff or an administrator can record this."))
    lines, planned_dates = grant_check(
        programme=programme,
        amount=amount,
        start_date=start_date,
        end_date=end_date,
        budget=budget,
        frequency=frequency,
        dates=dates,
    )
    with transaction.atomic():
        grant = Grant.objects.create(
            programme=programme,
            party=party,
            title=title,
            purpose=purpose,
            amount=amount,
            start_date=start_date,
            end_date=end_date,
            frequency=frequency,
            created_by=created_by,
        )
        GrantBudgetLine.objects.bulk_create(
            GrantBudgetLine(grant=grant, line=line, amount=value) for line, value in lines.items()
        )
        bulk_create_with_history(
            instalments_plan(grant=grant, total=amount, dates=planned_dates, first_sequence=1),
            Instalment,
            default_user=created_by,
        )
    return grant


def grant_approve(*, grant: Grant, approved_by: AbstractBaseUser, now: datetime | None = None) -> Grant:
    """An administrator who did not prepare it commits a draft grant against its programme's envelope."""
    require_administrator(approved_by, error=GrantError, message=_("Only an administrator can approve a grant."))
    with transaction.atomic():
        # Commitments against one programme are made one at a time.
        programme = FundingProgramme.objects.select_for_update().get(pk=grant.programme_id)
        grant = Grant.objects.select_for_update().get(pk=grant.pk)
        if grant.status != GrantStatus.DRAFT:
            raise GrantError(
                _("The grant is %(status)s; only a draft is approved."),
                code="not_draft",
                params={"status": grant.get_status_display()},
            )
        if grant.created_by_id == approved_by.pk:
            raise GrantError(
                _("You prepared this grant; another administrator must approve it."),
                code="own_grant",
            )
        _check_available(programme=programme, increase=grant.amount)
        grant.status = GrantStatus.APPROVED
        grant.approved_by = approved_by
        grant.approved_at = now or timezone.now()
        grant.save(update_fields=["status", "approved_by", "approved_at"])
    return grant


def grants_activate(*, grant_ids: Collection[int], activated_by: AbstractBaseUser | None = None) -> int:
    """Approved grants become active with their first payment; the number that did.

    Each change is kept in the grant's history. The rows are locked in id
    order, so two runs activating the same grants wait for each other
    instead of deadlocking.
    """
    with transaction.atomic():
        approved = list(
            Grant.objects.select_for_update()
            .filter(pk__in=grant_ids, status=GrantStatus.APPROVED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if approved:
            Grant.objects.filter(pk__in=approved).update(status=GrantStatus.ACTIVE)
            history_record(model=Grant, ids=approved, at=timezone.now(), changed_by=activated_by)
    return len(approved)


def grant_close(*, grant: Grant, closed_by: AbstractBaseUser) -> Grant:
    """Close an active grant whose instalments are all settled."""
    require_staff(closed_by, error=GrantError, message=_("Only finance staff or an administrator can record this."))
    with transaction.atomic():
        grant = Grant.objects.select_for_update().get(pk=grant.pk)
        if grant.status != GrantStatus.ACTIVE:
            raise GrantError(
                _("The grant is %(status)s; only an active grant is closed."),
                code="not_active",
                params={"status": grant.get_status_display()},
            )
        unpaid = grant.instalments.filter(status__in=UNPAID).count()
        if unpaid:
            raise GrantError(
                _("The grant still has %(count)s unpaid instalments; cancel or pay them first."),
                code="unpaid_instalments",
                params={"count": unpaid},
            )
        grant.status = GrantStatus.CLOSED
        grant.save(update_fields=["status"])
    return grant


def grant_cancel(*, grant: Grant, cancelled_by: AbstractBaseUser, reason: str = "") -> Grant:
    """Cancel a grant: its unpaid instalments are cancelled, its paid ones stay as they are."""
    require_administrator(cancelled_by, error=GrantError, message=_("Only an administrator can cancel a grant."))
    with transaction.atomic():
        grant = Grant.objects.select_for_update().get(pk=grant.pk)
        if grant.status in (GrantStatus.CLOSED, GrantStatus.CANCELLED):
            raise GrantError(
                _("The grant is %(status)s and cannot be cancelled."),
                code="not_cancellable",
                params={"status": grant.get_status_display()},
            )
        # Waits for a run that is paying one of them, then sees it paid.
        unpaid = list(grant.instalments.select_for_update().filter(status__in=UNPAID))
        instalments_record(
            outcomes=[(instalment, Outcome(InstalmentStatus.CANCELLED)) for instalment in unpaid], recorded_by=cancelled_by
        )
        grant.status = GrantStatus.CANCELLED
        grant.cancelled_by = cancelled_by
        grant.cancelled_at = timezone.now()
        grant.cancel_reason = reason
        grant.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
    return grant


def grant_amend(
    *,
    grant: Grant,
    amended_by: AbstractBaseUser,
    amount: Money | None = None,
    end_date: date | None = None,
    budget: Mapping[str, Money] | None = None,
    reason: str = "",
) -> Grant:
    """Change a grant's amount or end date; only the unpaid instalments are planned again.

    What is already paid stays; the rest (new amount minus paid) is split
    anew over the schedule's dates still to come, which still sum exactly to
    the grant. Without a new budget, the old one is scaled to the new amount
    (largest remainder). A held instalment's hold carries over.
    """
    require_administrator(amended_by, error=GrantError, message=_("Only an administrator can amend a grant."))
    with transaction.atomic():
        programme = FundingProgramme.objects.select_for_update().get(pk=grant.programme_id)
        grant = Grant.objects.select_for_update().get(pk=grant.pk)
        if grant.status not in AMENDABLE_GRANTS:
            raise GrantError(
                _("The grant is %(status)s and cannot be amended."),
                code="not_amendable",
                params={"status": grant.get_status_display()},
            )
        new_amount = amount if amount is not None else grant.amount
        new_end = end_date or grant.end_date
        _check_amount(amount=new_amount, programme=programme)
        _check_period(start_date=grant.start_date, end_date=new_end)
        instalments = list(grant.instalments.select_for_update().order_by("sequence"))
        settled = [item for item in instalments if item.status not in UNPAID]
        unpaid = [item for item in instalments if item.status in UNPAID]
        paid_total = sum(
            (item.amount for item in settled if item.status == InstalmentStatus.PAID), Money(0, grant.currency)
        )
        if new_amount < paid_total:
            raise GrantError(
                _("%(paid)s is already paid on this grant; it cannot be amended to %(amount)s."),
                code="amendment_below_paid",
                params={"paid": paid_total, "amount": new_amount},
            )
        last_settled = max((item.due_date for item in settled), default=None)
        if last_settled is not None and new_end < last_settled:
            raise GrantError(
                _("An instalment was paid on its due date of %(date)s; the grant cannot end before it."),
                code="end_before_paid",
                params={"date": last_settled.isoformat()},
            )
        if budget is not None:
            lines = _check_budget(budget=budget, amount=new_amount)
        else:
            lines = _budget_scaled(grant=grant, amount=new_amount)
        if grant.status in COMMITTING_GRANTS and new_amount > grant.amount:
            _check_available(programme=programme, increase=new_amount - grant.amount)

        if grant.frequency == ScheduleFrequency.DATES:
            dates = [item.due_date for item in unpaid if item.due_date <= new_end]
        else:
            dates = schedule_dates(frequency=grant.frequency, start_date=grant.start_date, end_date=new_end)
            dates = [day for day in dates if last_settled is None or day > last_settled]
        remaining = new_amount - paid_total
        if remaining.amount and not dates:
            dates = [new_end]
        first_sequence = max((item.sequence for item in settled), default=0) + 1
        planned = instalments_plan(
            grant=grant, total=remaining, dates=dates if remaining.amount else [], first_sequence=first_sequence
        )
        hold = next((item.hold_reason for item in unpaid if item.status == InstalmentStatus.HELD), "")
        for item in planned:
            if hold:
                item.status, item.hold_reason = InstalmentStatus.HELD, hold

        GrantAmendment.objects.create(
            grant=grant,
            previous_amount=grant.amount,
            new_amount=new_amount,
            previous_end_date=grant.end_date,
            new_end_date=new_end,
            reason=reason,
            amended_by=amended_by,
        )
        Instalment.objects.filter(pk__in=[item.pk for item in unpaid]).delete()
        bulk_create_with_history(planned, Instalment, default_user=amended_by)
        grant.budget_lines.all().delete()
        GrantBudgetLine.objects.bulk_create(
            GrantBudgetLine(grant=grant, line=line, amount=value) for line, value in lines.items()
        )
        grant.amount = new_amount
        grant.end_date = new_end
        grant.save(update_fields=["amount", "amount_currency", "end_date"])
    return grant


def _budget_scaled(*, grant: Grant, amount: Money) -> dict[str, Money]:
    old = {line.line: line.amount.amount for line in grant.budget_lines.all() if line.amount.amount}
    if not old:
        return {BudgetLine.OTHER: amount}
    return {line: value for line, value in split(amount, old).items() if value.amount}
