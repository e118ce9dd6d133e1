"""The story of a grant, from its programme's envelope to its last instalment.

1. :func:`programme_create` opens an envelope for a fiscal year and
   :func:`programme_fund` posts the money into its site account, the
   *programme fund* (``PF-<programme>``), from the site's funding account.
2. :func:`grant_create` records a draft grant to a party: a project, an
   amount, a period, a budget by line that sums to the amount, and an
   instalment schedule (one payment, monthly, quarterly or given dates; the
   amounts are a largest-remainder split, the first instalments taking the
   extra cents).
3. :func:`grant_approve`, an administrator's act, commits the grant against
   what the programme still has available.
4. Every day the task ``grants.tasks.post_due_disbursements`` calls
   :func:`disbursements_post_due`: each instalment due on or before the day
   and not yet paid, held or cancelled is posted to the ledger with
   :func:`ledger.services.transaction_post`, the programme fund paying the
   party's *grants received* account (``GR-<party>-<currency>``), under the
   idempotency key ``instalment:<id>``. The first payment makes the grant
   active (:func:`grant_activate`). :func:`instalment_pay` pays one
   instalment the same way, by hand.
5. While a required report is overdue (and the programme says so), the
   instalments wait: see :mod:`grants.holds`, :func:`instalments_hold` and
   :func:`grant_holds_release`.
6. Changes: :func:`grant_amend` (a new amount or end date) re-plans the
   unpaid instalments only; :func:`grant_cancel` cancels them; a mistaken
   payment is reversed in the ledger by :func:`instalment_reverse_payment`,
   never edited. :func:`grant_close` ends a grant that is fully paid.

Every refusal is a :class:`grants.errors.GrantError` with a code and a
translated message, raised before anything is written (or inside an atomic
block that is rolled back).
"""

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from grants.errors import GrantError
from grants.holds import HoldReason, hold_reasons
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
from ledger.errors import DomainError
from ledger.models import Account, AccountType, Entry, Party, TransactionKind
from ledger.money import minor_unit, split
from ledger.roles import is_administrator, is_finance
from ledger.services import (
    Line,
    PostingRequest,
    PostingResult,
    account_get_or_create,
    site_account,
    transaction_post,
    transaction_reverse,
    transactions_post,
)

UNPAID = (InstalmentStatus.SCHEDULED, InstalmentStatus.HELD, InstalmentStatus.FAILED)
"""Instalments that still owe money: a re-plan replaces them, a cancellation cancels them."""

DUE = (InstalmentStatus.SCHEDULED, InstalmentStatus.FAILED)
"""Instalments the daily run pays once their day has come (a failure is tried again the next day)."""

PAYABLE_GRANTS = (GrantStatus.APPROVED, GrantStatus.ACTIVE)
AMENDABLE_GRANTS = (GrantStatus.DRAFT, GrantStatus.APPROVED, GrantStatus.ACTIVE)
COMMITTING_GRANTS = (GrantStatus.APPROVED, GrantStatus.ACTIVE, GrantStatus.CLOSED)


# --- Roles ------------------------------------------------------------------------------------------------------


def _require_staff(user: AbstractBaseUser | None) -> None:
    if user is None or not (is_finance(user) or is_administrator(user)):
        raise GrantError(_("Only finance staff or an administrator can record this."), code="not_staff")


def _require_administrator(user: AbstractBaseUser | None, *, refusal: str) -> None:
    if user is None or not is_administrator(user):
        raise GrantError(refusal, code="not_administrator")


# --- Accounts ---------------------------------------------------------------------------------------------------


def _funding_source(currency: str) -> Account:
    return site_account(
        code=f"SITE-FUNDING-{currency}",
        name=_("Site contributions to the funding programmes (%(currency)s)") % {"currency": currency},
        currency=currency,
        type=AccountType.EQUITY,
    )


def _grants_received_code(party_id: int, currency: str) -> str:
    return f"GR-{party_id}-{currency}"


def _grants_received_name(currency: str) -> str:
    return _("Grants received (%(currency)s)") % {"currency": currency}


def grants_received_account(*, party: Party, currency: str) -> Account:
    """The party's account of grants received in ``currency``, made on first use."""
    return account_get_or_create(
        code=_grants_received_code(party.pk, currency),
        name=_grants_received_name(currency),
        type=AccountType.INCOME,
        currency=currency,
        party=party,
    )


def _received_accounts(grants: Sequence[Grant]) -> dict[tuple[int, str], Account]:
    """The grants-received accounts of the grants' parties, in one query (three when some are new)."""
    codes = {_grants_received_code(grant.party_id, grant.currency): (grant.party_id, grant.currency) for grant in grants}
    found = {codes[account.code]: account for account in Account.objects.filter(code__in=list(codes))}
    missing = [code for code, key in codes.items() if key not in found]
    if missing:
        Account.objects.bulk_create(
            [
                Account(
                    code=code,
                    name=_grants_received_name(codes[code][1]),
                    type=AccountType.INCOME,
                    currency=codes[code][1],
                    party_id=codes[code][0],
                )
                for code in missing
            ],
            ignore_conflicts=True,
        )
        found.update((codes[account.code], account) for account in Account.objects.filter(code__in=missing))
    return found


# --- Programmes -------------------------------------------------------------------------------------------------


def programme_create(
    *,
    name: str,
    fiscal_year: int,
    amount: Money,
    created_by: AbstractBaseUser,
    holds_on_overdue_report: bool = True,
    funded_on: date | None = None,
) -> FundingProgramme:
    """Open an envelope for a fiscal year and fund it in the ledger."""
    _require_staff(created_by)
    if not isinstance(amount, Money) or amount.amount <= 0:
        raise GrantError(_("The envelope must be a positive amount."), code="amount_not_positive")
    _check_cents(amount)
    if FundingProgramme.objects.filter(name=name, fiscal_year=fiscal_year).exists():
        raise GrantError(
            _("A programme named %(name)s already exists for that fiscal year."),
            code="programme_exists",
            params={"name": name},
        )
    with transaction.atomic():
        programme = FundingProgramme.objects.create(
            name=name, fiscal_year=fiscal_year, amount=amount, holds_on_overdue_report=holds_on_overdue_report
        )
        programme_fund(programme=programme, posted_by=created_by, on=funded_on)
        programme.refresh_from_db()
    return programme


def programme_fund(
    *, programme: FundingProgramme, posted_by: AbstractBaseUser | None = None, on: date | None = None
) -> PostingResult | None:
    """Bring the programme fund up to the envelope, once; ``None`` when it already is.

    The funding moves money from the site's funding account (equity) into the
    programme's fund account; its key names the envelope it funds up to, so
    asking again for the same envelope posts nothing.
    """
    currency = programme.currency
    with transaction.atomic():
        programme = FundingProgramme.objects.select_for_update().get(pk=programme.pk)
        if programme.fund_account_id is None:
            programme.fund_account = site_account(
                code=f"PF-{programme.pk}",
                name=_("Programme fund: %(name)s") % {"name": programme.name},
                currency=currency,
            )
            programme.save(update_fields=["fund_account"])
        funded = (
            Entry.objects.filter(account=programme.fund_account, transaction__kind=TransactionKind.FUNDING).aggregate(
                total=Sum("amount")
            )["total"]
            or Decimal("0")
        )
        missing = programme.amount.amount - funded
        if missing == 0:
            return None
        if missing < 0:
            raise GrantError(
                _("The programme fund already holds %(funded)s, more than the envelope of %(amount)s."),
                code="envelope_below_funded",
                params={"funded": Money(funded, currency), "amount": programme.amount},
            )
        return transaction_post(
            lines=[
                Line(account=_funding_source(currency), amount=Money(-missing, currency)),
                Line(account=programme.fund_account, amount=Money(missing, currency)),
            ],
            date=on or timezone.localdate(),
            kind=TransactionKind.FUNDING,
            idempotency_key=f"programme:{programme.pk}:funded-to:{programme.amount.amount}",
            memo=_("Funding of the programme %(name)s") % {"name": programme.name},
            posted_by=posted_by,
        )


# --- Checking what a grant is made of -------------------------------------------------------------------------------


def _check_cents(amount: Money) -> None:
    if amount.amount != amount.amount.quantize(minor_unit(amount.currency)):
        raise GrantError(
            _("%(amount)s is not a whole number of cents."), code="sub_unit_amount", params={"amount": amount}
        )


def _check_amount(*, amount: Money, programme: FundingProgramme) -> None:
    if not isinstance(amount, Money) or amount.amount <= 0:
        raise GrantError(_("A grant's amount must be positive."), code="amount_not_positive")
    _check_cents(amount)
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
        _check_cents(value)
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


# --- The schedule ---------------------------------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule_dates(
    *, frequency: str, start_date: date, end_date: date, dates: Sequence[date] | None = None
) -> list[date]:
    """The due dates of a schedule over a grant's period, in order.

    Monthly and quarterly instalments fall on the start date's day of the
    month (or the month's last day when it is shorter), from the start date
    to the end date included. Given dates must all lie within the period.
    """
    if frequency == ScheduleFrequency.SINGLE:
        return [start_date]
    if frequency in (ScheduleFrequency.MONTHLY, ScheduleFrequency.QUARTERLY):
        step = 1 if frequency == ScheduleFrequency.MONTHLY else 3
        planned = []
        while (day := _add_months(start_date, step * len(planned))) <= end_date:
            planned.append(day)
        return planned
    if frequency != ScheduleFrequency.DATES:
        raise GrantError(
            _("Unknown instalment schedule: %(frequency)s."), code="unknown_frequency", params={"frequency": frequency}
        )
    given = sorted(dates or [])
    if not given:
        raise GrantError(_("A schedule by given dates needs at least one date."), code="schedule_empty")
    if len(set(given)) != len(given):
        raise GrantError(_("The schedule gives the same date twice."), code="schedule_duplicate_dates")
    outside = [day for day in given if not start_date <= day <= end_date]
    if outside:
        raise GrantError(
            _("The schedule does not fit the grant's period (%(start)s to %(end)s): %(dates)s."),
            code="schedule_outside_period",
            params={
                "start": start_date.isoformat(),
                "end": end_date.isoformat(),
                "dates": ", ".join(day.isoformat() for day in outside),
            },
        )
    return given


def _instalments_planned(*, grant: Grant, total: Money, dates: Sequence[date], first_sequence: int) -> list[Instalment]:
    """Unsaved instalments that split ``total`` over ``dates``; the first ones take the extra cents."""
    if not dates:
        return []
    if len(dates) > total.amount / minor_unit(total.currency):
        raise GrantError(
            _("%(amount)s cannot be paid in %(count)s instalments of at least one cent."),
            code="schedule_too_fine",
            params={"amount": total, "count": len(dates)},
        )
    sequences = range(first_sequence, first_sequence + len(dates))
    amounts = split(total, {sequence: 1 for sequence in sequences})
    return [
        Instalment(grant=grant, sequence=sequence, due_date=day, amount=amounts[sequence])
        for sequence, day in zip(sequences, dates, strict=True)
    ]


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
    _instalments_planned(grant=Grant(), total=amount, dates=planned_dates, first_sequence=1)
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
    _require_staff(created_by)
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
            _instalments_planned(grant=grant, total=amount, dates=planned_dates, first_sequence=1),
            Instalment,
            default_user=created_by,
        )
    return grant


def grant_approve(*, grant: Grant, approved_by: AbstractBaseUser, now: datetime | None = None) -> Grant:
    """An administrator who did not prepare it commits a draft grant against its programme's envelope."""
    _require_administrator(approved_by, refusal=_("Only an administrator can approve a grant."))
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


def grant_activate(*, grant: Grant) -> Grant:
    """An approved grant becomes active with its first payment (the daily run does this in bulk)."""
    grant.refresh_from_db(fields=["status"])
    if grant.status == GrantStatus.APPROVED:
        grant.status = GrantStatus.ACTIVE
        grant.save(update_fields=["status"])
    return grant


def grant_close(*, grant: Grant, closed_by: AbstractBaseUser) -> Grant:
    """Close an active grant whose instalments are all settled."""
    _require_staff(closed_by)
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
    _require_administrator(cancelled_by, refusal=_("Only an administrator can cancel a grant."))
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
        _instalments_set(unpaid, by=cancelled_by, status=InstalmentStatus.CANCELLED, hold_reason="", failure_reason="")
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
    _require_administrator(amended_by, refusal=_("Only an administrator can amend a grant."))
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
        planned = _instalments_planned(grant=grant, total=remaining, dates=dates if remaining.amount else [], first_sequence=first_sequence)
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


# --- Holds ------------------------------------------------------------------------------------------------------------


def _instalments_set(instalments: list[Instalment], *, by: AbstractBaseUser | None = None, **values: str) -> int:
    """Change a few instalments at once, each change kept in the audit trail."""
    for instalment in instalments:
        for name, value in values.items():
            setattr(instalment, name, value)
    if instalments:
        bulk_update_with_history(instalments, Instalment, list(values), default_user=by)
    return len(instalments)


def instalments_hold(*, grant: Grant, reason: HoldReason) -> int:
    """Hold the grant's unpaid instalments with a reason shown to staff; the number held."""
    due = list(grant.instalments.filter(status__in=DUE))
    return _instalments_set(
        due, status=InstalmentStatus.HELD, hold_reason=reason.message[:500], failure_reason=""
    )


def grant_holds_release(*, grant: Grant) -> int:
    """Release the grant's held instalments (a report was accepted): the next run pays those due."""
    held = list(grant.instalments.filter(status=InstalmentStatus.HELD))
    return _instalments_set(held, status=InstalmentStatus.SCHEDULED, hold_reason="")


# --- Paying ------------------------------------------------------------------------------------------------------------


def _disbursement_request(
    *, instalment: Instalment, received: Account, today: date, posted_by: AbstractBaseUser | None
) -> PostingRequest:
    """The ledger posting that pays an instalment: the programme fund pays the partner."""
    grant = instalment.grant
    fund = grant.programme.fund_account
    if fund is None:
        raise GrantError(
            _("The programme %(programme)s has no fund account."),
            code="not_funded",
            params={"programme": str(grant.programme)},
        )
    return PostingRequest(
        lines=[Line(account=fund, amount=-instalment.amount), Line(account=received, amount=instalment.amount)],
        date=today,
        kind=TransactionKind.DISBURSEMENT,
        idempotency_key=instalment.idempotency_key,
        memo=_("Instalment %(number)s of the grant %(title)s") % {"number": instalment.sequence, "title": grant.title},
        posted_by=posted_by,
    )


def instalment_pay(
    *, instalment: Instalment, today: date | None = None, posted_by: AbstractBaseUser | None = None
) -> Instalment:
    """Pay one instalment now, as the daily run would; paying it again changes nothing."""
    today = today or timezone.localdate()
    with transaction.atomic():
        instalment = (
            Instalment.objects.select_for_update(of=("self",))
            .select_related("grant__programme__fund_account", "grant__party")
            .get(pk=instalment.pk)
        )
        if instalment.status == InstalmentStatus.PAID:
            return instalment
        grant = instalment.grant
        if instalment.status not in DUE or grant.status not in PAYABLE_GRANTS:
            raise GrantError(
                _("Instalment %(number)s is %(status)s and its grant %(grant_status)s; it cannot be paid."),
                code="not_payable",
                params={
                    "number": instalment.sequence,
                    "status": instalment.get_status_display(),
                    "grant_status": grant.get_status_display(),
                },
            )
        request = _disbursement_request(
            instalment=instalment,
            received=grants_received_account(party=grant.party, currency=grant.currency),
            today=today,
            posted_by=posted_by,
        )
        result = transactions_post(requests=[request])[0]
        instalment.status = InstalmentStatus.PAID
        instalment.transaction = result.transaction
        instalment.paid_at = timezone.now()
        instalment.failure_reason = ""
        instalment.save(update_fields=["status", "transaction", "paid_at", "failure_reason"])
        grant_activate(grant=grant)
    return instalment


@dataclass
class DisbursementRun:
    """What one run of :func:`disbursements_post_due` did."""

    today: date
    paid: int = 0
    held: int = 0
    failures: dict[int, str] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def as_dict(self) -> dict[str, object]:
        return {
            "today": self.today.isoformat(),
            "paid": self.paid,
            "held": self.held,
            "failed": self.failed,
            "failures": {str(pk): reason for pk, reason in self.failures.items()},
        }


def disbursements_post_due(
    *, today: date, chunk_size: int = 500, posted_by: AbstractBaseUser | None = None
) -> DisbursementRun:
    """Pay every instalment due on or before ``today`` that is not paid, held or cancelled.

    The database decides what is due, so instalments missed while the
    scheduler was down are paid at the next run. Instalments are taken by
    chunks in id order, each chunk locked ``FOR UPDATE SKIP LOCKED`` and
    committed on its own: two runs at once share the work, and a run killed
    halfway loses only its uncommitted chunk, which the next run pays. The
    idempotency key ``instalment:<id>`` makes a second posting impossible
    anyway. A refusal on one instalment marks it failed with the reason
    (tried again the next day) and the others go on; a database error that
    is not about one instalment (a lost connection, a deadlock) stops the run
    so that its caller retries it.
    """
    run = DisbursementRun(today=today)
    last_pk = 0
    while True:
        with transaction.atomic():
            chunk = list(
                Instalment.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk__gt=last_pk, due_date__lte=today, status__in=DUE, grant__status__in=PAYABLE_GRANTS)
                .select_related("grant__programme__fund_account", "grant__party")
                .order_by("pk")[:chunk_size]
            )
            if not chunk:
                return run
            last_pk = chunk[-1].pk
            _pay_chunk(chunk=chunk, today=today, run=run, posted_by=posted_by)


def _pay_chunk(
    *, chunk: list[Instalment], today: date, run: DisbursementRun, posted_by: AbstractBaseUser | None
) -> None:
    """Pay a locked chunk: in one batch posting, or one by one if the batch is refused.

    The batch is all or nothing, so a refusal means one instalment at least
    cannot be paid; paying them one by one then lets only those fail.
    """
    grants = list({instalment.grant_id: instalment.grant for instalment in chunk}.values())
    holds = hold_reasons(grants=[grant for grant in grants if grant.programme.holds_on_overdue_report], today=today)
    received = _received_accounts(grants)
    payable = []
    for instalment in chunk:
        if instalment.grant_id in holds:
            instalment.status = InstalmentStatus.HELD
            instalment.hold_reason = holds[instalment.grant_id].message[:500]
            run.held += 1
        else:
            payable.append(instalment)

    def request_for(instalment: Instalment) -> PostingRequest:
        grant = instalment.grant
        return _disbursement_request(
            instalment=instalment, received=received[(grant.party_id, grant.currency)], today=today, posted_by=posted_by
        )

    try:
        outcomes: list[PostingResult | Exception] = list(
            transactions_post(requests=[request_for(instalment) for instalment in payable])
        )
    except (DomainError, IntegrityError, DataError):
        outcomes = []
        for instalment in payable:
            try:
                outcomes.append(transactions_post(requests=[request_for(instalment)])[0])
            except (DomainError, IntegrityError, DataError) as error:
                # The posting's own atomic block has rolled its writes back.
                outcomes.append(error)

    now = timezone.now()
    activated: set[int] = set()
    for instalment, outcome in zip(payable, outcomes, strict=True):
        if isinstance(outcome, Exception):
            reason = " ".join(outcome.messages) if isinstance(outcome, DomainError) else str(outcome)
            instalment.status = InstalmentStatus.FAILED
            instalment.failure_reason = reason[:1000]
            run.failures[instalment.pk] = reason
            continue
        instalment.status = InstalmentStatus.PAID
        instalment.transaction = outcome.transaction
        instalment.paid_at = now
        instalment.failure_reason = ""
        run.paid += 1
        if instalment.grant.status == GrantStatus.APPROVED:
            activated.add(instalment.grant_id)
    _outcomes_record(chunk)
    if activated:
        Grant.objects.filter(pk__in=activated, status=GrantStatus.APPROVED).update(status=GrantStatus.ACTIVE)


OUTCOME_FIELDS = ["status", "hold_reason", "failure_reason", "transaction", "paid_at"]


def _outcomes_record(chunk: list[Instalment]) -> None:
    """Write what happened to each instalment of the chunk, in one statement.

    On PostgreSQL an ``UPDATE ... FROM unnest(arrays)``: Django's
    ``bulk_update`` builds a ``CASE`` per field and row and costs more in
    Python than the postings themselves.
    """
    if connection.vendor != "postgresql":
        Instalment.objects.bulk_update(chunk, OUTCOME_FIELDS, batch_size=100)
        return
    quote = connection.ops.quote_name
    columns = [Instalment._meta.get_field(name).column for name in OUTCOME_FIELDS]
    types = ["varchar", "varchar", "varchar", "bigint", "timestamptz"]
    values = [
        [getattr(instalment, Instalment._meta.get_field(name).attname) for instalment in chunk]
        for name in OUTCOME_FIELDS
    ]
    assignments = ", ".join(f"{quote(column)} = v.{quote(column)}" for column in columns)
    arrays = ", ".join(f"%s::{kind}[]" for kind in ["bigint", *types])
    names = ", ".join(quote(column) for column in ["id", *columns])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Instalment._meta.db_table)} AS i SET {assignments} "
            f"FROM unnest({arrays}) AS v({names}) WHERE i.{quote('id')} = v.{quote('id')}",
            [[instalment.pk for instalment in chunk], *values],
        )


def instalment_reverse_payment(
    *, instalment: Instalment, reversed_by: AbstractBaseUser, reason: str = "", on: date | None = None
) -> Instalment:
    """Correct a mistaken payment with a reversing transaction; the payment itself is never edited.

    The money returns to the programme fund and the instalment reads
    "payment reversed". To pay the amount again, amend the grant: its unpaid
    part is planned anew.
    """
    _require_administrator(reversed_by, refusal=_("Only an administrator can reverse a payment."))
    with transaction.atomic():
        instalment = Instalment.objects.select_for_update(of=("self",)).select_related("transaction", "grant").get(
            pk=instalment.pk
        )
        if instalment.status != InstalmentStatus.PAID:
            raise GrantError(
                _("Instalment %(number)s is %(status)s; only a paid instalment's payment is reversed."),
                code="not_paid",
                params={"number": instalment.sequence, "status": instalment.get_status_display()},
            )
        memo = _("Reversal of instalment %(number)s of the grant %(title)s") % {
            "number": instalment.sequence,
            "title": instalment.grant.title,
        }
        transaction_reverse(
            original=instalment.transaction,
            date=on,
            memo=f"{memo}: {reason}" if reason else memo,
            posted_by=reversed_by,
        )
        instalment.status = InstalmentStatus.REVERSED
        instalment.save(update_fields=["status"])
    return instalment
