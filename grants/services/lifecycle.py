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
4. An amendment of its money is proposed and approved by two
   administrators (:mod:`grants.services.amendments`); :func:`grant_cancel`
   cancels the unpaid instalments; :func:`grant_close` ends a grant that is
   fully paid.

:func:`grant_actions` tells a grant's page which of these acts a person may
still ask for, by the same rules.
"""

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money
from simple_history.utils import bulk_create_with_history

from grants.errors import GrantError
from grants.history import history_record
from grants.models import (
    FundingProgramme,
    Grant,
    GrantBudgetLine,
    GrantStatus,
    Instalment,
    InstalmentStatus,
    ScheduleFrequency,
)
from grants.notifications import grant_approved_notify, grant_cancelled_notify
from grants.services.amendments import AMENDABLE_GRANTS
from grants.services.checks import grant_amount_check, grant_budget_check, grant_period_check, programme_available_check
from grants.services.instalments import UNPAID, Outcome, instalments_record
from grants.services.schedules import instalments_plan, schedule_dates
from ledger.models import Party
from ledger.roles import is_administrator, require_administrator, require_staff

# A grant still open to cancelling; a closed or cancelled one stays as it ended.
CANCELLABLE_GRANTS = (GrantStatus.DRAFT, GrantStatus.APPROVED, GrantStatus.ACTIVE)


class GrantActions(NamedTuple):
    """What a person may still do with a grant: the buttons its page offers."""

    approve: bool
    cancel: bool
    amend: bool


def grant_actions(*, grant: Grant, user: AbstractBaseUser) -> GrantActions:
    """The actions the services would accept from this person on this grant now, read by the same rules.

    The services still decide: a page shown a moment ago may offer what another
    person has done since, and the service then refuses it in words.
    """
    administrator = is_administrator(user)
    return GrantActions(
        approve=administrator and grant.status == GrantStatus.DRAFT and grant.created_by_id != user.pk,
        cancel=administrator and grant.status in CANCELLABLE_GRANTS,
        amend=administrator and grant.status in AMENDABLE_GRANTS,
    )


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
    grant_amount_check(amount=amount, programme=programme)
    grant_period_check(start_date=start_date, end_date=end_date)
    lines = grant_budget_check(budget=budget, amount=amount)
    planned_dates = schedule_dates(frequency=frequency, start_date=start_date, end_date=end_date, dates=dates)
    instalments_plan(grant=Grant(), total=amount, dates=planned_dates, first_sequence=1)
    programme_available_check(programme=programme, increase=amount)
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
        programme_available_check(programme=programme, increase=grant.amount)
        grant.status = GrantStatus.APPROVED
        grant.approved_by = approved_by
        grant.approved_at = now or timezone.now()
        grant.save(update_fields=["status", "approved_by", "approved_at"])
        grant_approved_notify(grant=grant)
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
        if grant.status not in CANCELLABLE_GRANTS:
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
        grant_cancelled_notify(grant=grant)
    return grant
