from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from grants import demo as grants_demo

from grants.models import (
    FundingProgramme,
    Grant,
    GrantStatus,
    Instalment,
    InstalmentStatus,
    ProjectReport,
    ProjectReportVersion,
    ReportRequirement,
)
from ledger.demo import generated_partners, ledger_demo_seed
from ledger.models import Transaction

pytestmark = pytest.mark.django_db


def test_the_demo_has_programmes_grants_and_paid_instalments_once():
    call_command("seed_demo")
    counts = (FundingProgramme.objects.count(), Grant.objects.count(), Instalment.objects.count(), Transaction.objects.count())
    call_command("seed_demo")
    assert (
        FundingProgramme.objects.count(), Grant.objects.count(), Instalment.objects.count(), Transaction.objects.count()
    ) == counts
    assert FundingProgramme.objects.count() == 3
    soirees = Grant.objects.filter(title__startswith="Soirées 16-25 ans")
    assert soirees.values("party").distinct().count() >= 2
    assert Instalment.objects.filter(status=InstalmentStatus.PAID).exists()
    assert Grant.objects.filter(status=GrantStatus.DRAFT).exists()


def test_the_demo_has_reports_in_each_state_and_one_held_instalment():
    call_command("seed_demo")
    call_command("seed_demo")
    states = set(ProjectReport.objects.values_list("status", flat=True))
    assert states == {"draft", "submitted", "changes_requested", "resubmitted", "accepted"}
    assert ReportRequirement.objects.filter(report__isnull=True).exists()  # the overdue one, not started
    held = Instalment.objects.get(status=InstalmentStatus.HELD)
    assert held.grant.party.memberships.exists()  # a demo partner user can see it
    assert ProjectReportVersion.objects.filter(report__status="resubmitted", number=2).exists()


def test_each_generated_partner_gets_a_grant_paid_monthly_with_two_reports_to_write(monkeypatch):
    monkeypatch.setattr(grants_demo, "PARTNERS_PER_PROGRAMME", 2)
    today = date(2026, 11, 30)
    seeded = ledger_demo_seed(today=today, partners=3)
    assert grants_demo.partner_grants_seed(today=today, users=seeded["users"]) == 3
    assert grants_demo.partner_grants_seed(today=today, users=seeded["users"]) == 0
    programmes = FundingProgramme.objects.filter(name__startswith="Soutien aux organismes partenaires")
    assert sorted(programmes.values_list("name", "amount")) == [
        ("Soutien aux organismes partenaires 00001–00002", Decimal("24000.00")),
        ("Soutien aux organismes partenaires 00003–00003", Decimal("12000.00")),
    ]
    for party in generated_partners():
        grant = Grant.objects.get(party=party)
        assert (grant.status, grant.start_date, grant.end_date) == (
            GrantStatus.ACTIVE, date(2026, 4, 1), date(2027, 3, 31)
        )
        assert sorted(grant.report_requirements.values_list("kind", flat=True)) == ["final", "interim"]
        paid = grant.instalments.filter(status=InstalmentStatus.PAID)
        assert paid.count() == 8  # April to November
        assert sum(instalment.amount.amount for instalment in paid) == Decimal("8000.00")
