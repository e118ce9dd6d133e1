from datetime import date

import pytest

from ledger.errors import PeriodError
from ledger.models import FiscalPeriod
from ledger.periods import fiscal_period_close, fiscal_period_open
from tests.ledger.test_services import pay

pytestmark = pytest.mark.django_db


def test_only_an_administrator_closes_a_period_and_only_once_it_has_ended(finance_user, administrator):
    period = FiscalPeriod.objects.get_or_create(start_year=2025)[0]
    with pytest.raises(PeriodError) as refused:
        fiscal_period_close(period=period, closed_by=finance_user, today=date(2026, 5, 1))
    assert refused.value.code == "not_administrator"
    with pytest.raises(PeriodError) as refused:
        fiscal_period_close(period=period, closed_by=administrator, today=date(2026, 3, 31))
    assert refused.value.code == "not_ended"
    period.refresh_from_db()
    assert not period.is_closed
    fiscal_period_close(period=period, closed_by=administrator, today=date(2026, 4, 1))
    with pytest.raises(PeriodError) as refused:
        fiscal_period_close(period=period, closed_by=administrator, today=date(2026, 4, 1))
    assert refused.value.code == "already_closed"


def test_an_administrator_opens_another_year_and_the_history_says_who(cash, party_account, administrator, finance_user):
    with pytest.raises(PeriodError) as refused:
        fiscal_period_open(start_year=2019, opened_by=finance_user)
    assert refused.value.code == "not_administrator"
    with pytest.raises(PeriodError) as refused:
        fiscal_period_open(start_year=1999, opened_by=administrator)
    assert refused.value.code == "year_out_of_range"
    period = fiscal_period_open(start_year=2019, opened_by=administrator)
    assert fiscal_period_open(start_year=2019, opened_by=administrator) == period
    assert [(row.history_type, row.history_user) for row in period.history.all()] == [("+", administrator)]
    txn, created = pay(cash, party_account, date(2019, 6, 1))
    assert created and txn.period_id == 2019
