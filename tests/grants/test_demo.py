import pytest
from django.core.management import call_command

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
