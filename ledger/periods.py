"""Fiscal periods: the years postings are dated in, opened and closed by administrators.

The current fiscal year and the next one open on their first posting
(:mod:`ledger.services`); any other year is opened here, on purpose. A
closed year stays closed: the database refuses to reopen or delete it.
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ledger.errors import PeriodError
from ledger.models import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR, FiscalPeriod
from ledger.roles import require_administrator


def fiscal_period_open(*, start_year: int, opened_by: AbstractBaseUser) -> FiscalPeriod:
    """Open a fiscal year that postings may be dated in, beyond the current and next ones (opened on their own).

    An administrator's decision, kept in the period's history: a year of
    the past to record late documents in, or one further ahead for a
    multi-year grant.
    """
    require_administrator(opened_by, error=PeriodError, message=_("Only an administrator can open a fiscal period."))
    if not FIRST_FISCAL_YEAR <= start_year <= LAST_FISCAL_YEAR:
        raise PeriodError(
            _("A fiscal year starts between %(first)s and %(last)s."),
            code="year_out_of_range",
            params={"first": FIRST_FISCAL_YEAR, "last": LAST_FISCAL_YEAR},
        )
    with transaction.atomic():
        period = FiscalPeriod.objects.select_for_update().filter(start_year=start_year).first()
        if period is not None:
            return period
        period = FiscalPeriod(start_year=start_year)
        period._history_user = opened_by
        period.save(force_insert=True)
    return period


def fiscal_period_close(*, period: FiscalPeriod, closed_by: AbstractBaseUser, today: date | None = None) -> FiscalPeriod:
    """Close a fiscal year that has ended: nothing can be posted in it after."""
    require_administrator(closed_by, error=PeriodError, message=_("Only an administrator can close a fiscal period."))
    today = today or timezone.localdate()
    with transaction.atomic():
        period = FiscalPeriod.objects.select_for_update().get(pk=period.pk)
        if period.is_closed:
            raise PeriodError(
                _("The fiscal period %(period)s is already closed."), code="already_closed", params={"period": str(period)}
            )
        if today <= period.end_date:
            raise PeriodError(
                _("The fiscal period %(period)s ends on %(end)s; it can be closed after that date."),
                code="not_ended",
                params={"period": str(period), "end": period.end_date.isoformat()},
            )
        period.is_closed = True
        period.closed_at = timezone.now()
        period.closed_by = closed_by
        period.save(update_fields=["is_closed", "closed_at", "closed_by"])
    return period
