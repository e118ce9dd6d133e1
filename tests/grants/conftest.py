"""Fixtures of the grants tests: a funded programme and a way to make grants."""

from datetime import date

import pytest
from moneyed import Money

from grants.models import FundingProgramme, Grant, GrantPurpose, ScheduleFrequency
from grants.services import grant_approve, grant_create, programme_create


def cad(amount: str) -> Money:
    return Money(amount, "CAD")


@pytest.fixture
def programme(finance_user) -> FundingProgramme:
    return programme_create(
        name="Soutien aux partenaires",
        fiscal_year=2025,
        amount=cad("100000.00"),
        created_by=finance_user,
        funded_on=date(2025, 4, 1),
    )


@pytest.fixture
def make_grant(programme, party, finance_user, administrator):
    """A grant of 10,000 $ over the fiscal year, approved unless told otherwise."""

    def make(
        *,
        amount: str = "10000.00",
        frequency: str = ScheduleFrequency.DATES,
        dates: list[date] | None = None,
        start_date: date = date(2025, 4, 1),
        end_date: date = date(2026, 3, 31),
        budget: dict[str, Money] | None = None,
        approve: bool = True,
        party=party,
        programme=programme,
        title: str = "Soirées 16-25 ans",
    ) -> Grant:
        if dates is None and frequency == ScheduleFrequency.DATES:
            dates = [date(2025, 5, 1), date(2025, 9, 1), date(2026, 1, 15)]
        grant = grant_create(
            programme=programme,
            party=party,
            title=title,
            purpose=GrantPurpose.JOINT_PROJECT,
            amount=cad(amount),
            start_date=start_date,
            end_date=end_date,
            budget=budget if budget is not None else {"activities": cad(amount)},
            frequency=frequency,
            dates=dates,
            created_by=finance_user,
        )
        if approve:
            grant = grant_approve(grant=grant, approved_by=administrator)
        return grant

    return make
