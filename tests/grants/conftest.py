"""Fixtures of the grants tests: a funded programme and a way to make grants."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from moneyed import Money

from grants.models import FundingProgramme, Grant, GrantPurpose, ReportContent, ReportKind, ReportRequirement, ScheduleFrequency
from grants.services import (
    ReportData,
    amendment_approve,
    amendment_propose,
    grant_approve,
    grant_create,
    programme_create,
)
from ledger.models import Membership
from ledger.roles import ADMINISTRATORS_GROUP


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


@pytest.fixture
def second_administrator(django_user_model):
    user = django_user_model.objects.create_user(username="admin-deux", password="x")
    user.groups.add(Group.objects.get(name=ADMINISTRATORS_GROUP))
    return user


@pytest.fixture
def amend(administrator, second_administrator):
    """Amend a grant's money with four eyes: the administrator proposes, the second one approves."""

    def amended(grant: Grant, **changes) -> Grant:
        proposal = amendment_propose(grant=grant, proposed_by=administrator, **changes)
        return amendment_approve(proposal=proposal, approved_by=second_administrator).grant

    return amended


RUN_DAY = date(2025, 6, 1)
"""A day of the daily run: the first of the default grant's instalments (1 May) is due, the others not."""


def amounts(grant: Grant) -> list[tuple[int, date, Money, str]]:
    """The grant's instalments as (number, due date, amount, status), in order."""
    return [(i.sequence, i.due_date, i.amount, i.status) for i in grant.instalments.order_by("sequence")]


@pytest.fixture
def member(django_user_model, party):
    user = django_user_model.objects.create_user(username="membre", password="x", email="membre@example.org")
    Membership.objects.create(user=user, party=party)
    return user


@pytest.fixture
def grant(make_grant):
    return make_grant(dates=[date(2025, 5, 1), date(2025, 9, 1), date(2026, 1, 15)])


@pytest.fixture
def requirement(grant):
    return ReportRequirement.objects.create(
        grant=grant, kind=ReportKind.INTERIM, content=ReportContent.BOTH, due_date=date(2025, 8, 15)
    )


def complete(**changes) -> ReportData:
    data = ReportData(
        activities="Six soirées", what_worked="Le transport", what_did_not="Le dimanche",
        partners_involved="Ville", youth_12_17=30, youth_18_25=20, activities_held=6, municipalities_reached=2,
        spending={"activities": Decimal("2500.00")},
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return data
