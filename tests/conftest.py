"""Fixtures shared by the whole suite.

The suite runs on PostgreSQL (the test settings refuse to start without
it), as production does: its database is created, migrated and flushed by
the owner role, and every test runs as the application role, which may only
read and write rows (config/database_roles.py). Tests marked ``redis`` need a Redis server: ``make test`` starts one;
run without it, such a test is skipped with the reason, except under
``CI=true``, where a missing server fails the run instead.
"""

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import translation

from config.database_roles import application_credentials, credentials_switch, owner_credentials

from ledger.models import Account, AccountType, FiscalPeriod, Party, PartyKind, Sector
from ledger.roles import ADMINISTRATORS_GROUP, FINANCE_GROUP

IN_CI = os.environ.get("CI", "").lower() == "true"


def _missing_service(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: no test may be skipped for lack of a service)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """The test database is created and migrated by the owner role."""
    owner = owner_credentials()
    if owner is not None:
        credentials_switch("default", owner)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Once created and migrated, the database is used as the application role; dropped by the owner."""
    owner = owner_credentials()
    if owner is None:
        yield
        return
    credentials_switch("default", application_credentials("default"))
    yield
    credentials_switch("default", owner)


@pytest.fixture(autouse=True)
def _require_services(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        _missing_service("needs Redis: run it with `make test`, or set REDIS_URL")


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """Each test starts in French: a request in English leaves English active in the thread that made it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


# The fiscal years the suite posts in, opened as an administrator would before posting.
TEST_FISCAL_YEARS = range(2023, 2029)


@pytest.fixture(autouse=True)
def _fiscal_periods_open(request: pytest.FixtureRequest) -> None:
    """Tests that reach the database find the fiscal years they post in open."""
    if request.node.get_closest_marker("django_db") is None and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    request.getfixturevalue("db")
    FiscalPeriod.objects.bulk_create([FiscalPeriod(start_year=year) for year in TEST_FISCAL_YEARS], ignore_conflicts=True)


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


@pytest.fixture
def deliver(django_capture_on_commit_callbacks) -> Callable[[], AbstractContextManager[None]]:
    """``with deliver():`` runs what the block's commits queue, the tasks in this process: its mail is then sent.

    A test runs inside a transaction that never commits, so without it the
    tasks queued after commit (notifications above all) never start.
    """
    from config.celery import app

    @contextmanager
    def delivering() -> Iterator[None]:
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = True
        try:
            with django_capture_on_commit_callbacks(execute=True):
                yield
        finally:
            app.conf.task_always_eager = eager

    return delivering
