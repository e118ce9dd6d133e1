"""Fixtures shared by the whole suite.

The suite runs on PostgreSQL (the test settings refuse to start without
it). Tests marked ``redis`` need a Redis server: ``make test`` starts one;
run without it, such a test is skipped with the reason, except under
``CI=true``, where a missing server fails the run instead.
"""

import os
from datetime import date

import pytest
from django.contrib.auth.models import Group

from ledger.models import Account, AccountType, Party, PartyKind, Sector
from ledger.roles import ADMINISTRATORS_GROUP, FINANCE_GROUP

IN_CI = os.environ.get("CI", "").lower() == "true"


def _missing_service(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: no test may be skipped for lack of a service)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _require_services(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        _missing_service("needs Redis: run it with `make test`, or set REDIS_URL")


@pytest.fixture
def party(db) -> Party:
    return Party.objects.create(name="Maison des jeunes de Saint-Jérôme", kind=PartyKind.COMMUNITY_YOUTH, sector=Sector.SUD)


@pytest.fixture
def other_party(db) -> Party:
    return Party.objects.create(name="Travail de rue Laurentides", kind=PartyKind.STREET_WORK, sector=Sector.NORD)


@pytest.fixture
def cash(db) -> Account:
    return Account.objects.create(code="SITE-CASH", name="Encaisse du site", type=AccountType.ASSET, currency="CAD")


@pytest.fixture
def party_account(party: Party) -> Account:
    return Account.objects.create(
        code="P-MDJ", name="Subventions reçues", type=AccountType.INCOME, currency="CAD", party=party
    )


@pytest.fixture
def administrator(django_user_model):
    user = django_user_model.objects.create_user(username="admin-test", password="x")
    user.groups.add(Group.objects.get(name=ADMINISTRATORS_GROUP))
    return user


@pytest.fixture
def finance_user(django_user_model):
    user = django_user_model.objects.create_user(username="finance-test", password="x")
    user.groups.add(Group.objects.get(name=FINANCE_GROUP))
    return user


@pytest.fixture
def day() -> date:
    return date(2025, 6, 15)
