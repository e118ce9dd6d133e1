import pytest
from django.core.management import call_command

from grants.models import FundingProgramme, Grant, GrantStatus, Instalment, InstalmentStatus
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
