"""The due dates of a schedule and the exact split of a grant over them."""

from datetime import date

import pytest

from grants.models import GrantStatus, ScheduleFrequency

from .conftest import amounts, cad

pytestmark = pytest.mark.django_db


def test_instalments_sum_exactly_and_the_first_take_the_extra_cents(make_grant):
    grant = make_grant(approve=False)
    assert amounts(grant) == [
        (1, date(2025, 5, 1), cad("3333.34"), "scheduled"),
        (2, date(2025, 9, 1), cad("3333.33"), "scheduled"),
        (3, date(2026, 1, 15), cad("3333.33"), "scheduled"),
    ]
    assert grant.status == GrantStatus.DRAFT


def test_a_monthly_schedule_keeps_the_day_or_the_end_of_a_shorter_month(make_grant):
    grant = make_grant(
        amount="1000.00",
        frequency=ScheduleFrequency.MONTHLY,
        start_date=date(2026, 1, 31),
        end_date=date(2026, 5, 30),
        approve=False,
    )
    assert [(d, a) for _, d, a, _ in amounts(grant)] == [
        (date(2026, 1, 31), cad("250.00")),
        (date(2026, 2, 28), cad("250.00")),
        (date(2026, 3, 31), cad("250.00")),
        (date(2026, 4, 30), cad("250.00")),
    ]


def test_a_quarterly_schedule_and_a_single_payment(make_grant):
    quarterly = make_grant(amount="1000.01", frequency=ScheduleFrequency.QUARTERLY, approve=False)
    assert [(d, a) for _, d, a, _ in amounts(quarterly)] == [
        (date(2025, 4, 1), cad("250.01")),
        (date(2025, 7, 1), cad("250.00")),
        (date(2025, 10, 1), cad("250.00")),
        (date(2026, 1, 1), cad("250.00")),
    ]
    single = make_grant(amount="500.00", frequency=ScheduleFrequency.SINGLE, approve=False, title="Une fois")
    assert [(d, a) for _, d, a, _ in amounts(single)] == [(date(2025, 4, 1), cad("500.00"))]
