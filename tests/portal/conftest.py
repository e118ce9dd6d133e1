"""Fixtures of the portal tests: two organisations, each with a member, a grant and a report;
and a real browser (Debian's chromium driven by Playwright) for the browser tests."""

import os
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from moneyed import Money

from grants.models import GrantPurpose, ReportContent, ReportKind, ReportRequirement, ScheduleFrequency
from grants.services import ReportData, report_save
from grants.services import disbursements_post_due, grant_approve, grant_create, programme_create
from ledger.models import Membership
from sharedcosts.models import CostPool, Participation, PoolKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def cad(amount: str) -> Money:
    return Money(amount, "CAD")


@pytest.fixture
def browser(monkeypatch):
    """Debian's chromium, headless; missing, it fails the run under CI and skips elsewhere."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is missing: .ci/run installs it")
        pytest.skip("needs chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        # Under Playwright's event loop the test's queries ran on a connection of
        # their own context: close it here, or the test database cannot be dropped.
        connections.close_all()
        browser.close()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def programme(finance_user):
    return programme_create(
        name="Projets portés par le milieu",
        fiscal_year=2025,
        amount=cad("500000.00"),
        created_by=finance_user,
        funded_on=date(2025, 4, 1),
    )


@pytest.fixture
def make_grant(programme, finance_user, administrator):
    def make(party, *, title="Soirées 16-25 ans", amount="10000.00", dates=None):
        grant = grant_create(
            programme=programme,
            party=party,
            title=title,
            purpose=GrantPurpose.JOINT_PROJECT,
            amount=cad(amount),
            start_date=date(2025, 4, 1),
            end_date=date(2026, 3, 31),
            budget={"activities": cad("6000.00"), "salaries": cad(str(float(amount) - 6000))},
            frequency=ScheduleFrequency.DATES,
            dates=dates or [date(2025, 5, 1), date(2025, 9, 1)],
            created_by=finance_user,
        )
        return grant_approve(grant=grant, approved_by=administrator)

    return make


@pytest.fixture
def member_a(django_user_model, party):
    user = django_user_model.objects.create_user(
        username="membre-a", password="x", email="a@example.org", first_name="Camille", last_name="Bélanger"
    )
    Membership.objects.create(user=user, party=party)
    return user


@pytest.fixture
def member_b(django_user_model, other_party):
    user = django_user_model.objects.create_user(username="membre-b", password="x", email="b@example.org")
    Membership.objects.create(user=user, party=other_party)
    return user


@pytest.fixture
def world(party, other_party, make_grant, member_a, member_b, finance_user):
    """A's grant (paid once), an interim report submitted with a PDF, a pool; B's grant and report requirement."""
    grant_a = make_grant(party)
    grant_b = make_grant(other_party, title="Travail de rue l’hiver")
    disbursements_post_due(today=date(2025, 5, 1))
    requirement_a = ReportRequirement.objects.create(
        grant=grant_a, kind=ReportKind.INTERIM, content=ReportContent.BOTH, due_date=date(2099, 10, 1)
    )
    requirement_b = ReportRequirement.objects.create(
        grant=grant_b, kind=ReportKind.INTERIM, content=ReportContent.BOTH, due_date=date(2099, 10, 1)
    )
    report_a = report_save(
        requirement=requirement_a,
        user=member_a,
        data=ReportData(activities="Soirées jeux", what_worked="Le transport", what_did_not="Le dimanche",
                        youth_12_17=10, youth_18_25=5, activities_held=3, municipalities_reached=1,
                        spending={"activities": "100.00"}),
        uploads=[SimpleUploadedFile("bilan.pdf", PDF, content_type="application/pdf")],
        submit=True,
    )
    pool = CostPool.objects.create(
        kind=PoolKind.PREMISES, name="Locaux partagés", budgeted_cost=cad("12000.00"),
        start_date=date(2025, 4, 1), end_date=date(2026, 3, 31),
    )
    Participation.objects.create(pool=pool, party=party)
    Participation.objects.create(pool=pool, party=other_party)
    return {
        "grant_a": grant_a,
        "grant_b": grant_b,
        "requirement_a": requirement_a,
        "requirement_b": requirement_b,
        "report_a": report_a,
        "attachment_a": report_a.attachments.get(),
        "pool": pool,
    }
