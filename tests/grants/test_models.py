"""The invariants the database holds by itself."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation
from moneyed import Money

from grants.models import Grant, GrantStatus, HoldCode, Instalment, InstalmentStatus

pytestmark = pytest.mark.django_db


def refused(**changes) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Instalment.objects.filter(pk=changes.pop("pk")).update(**changes)


def test_an_instalment_number_is_unique_within_its_grant(make_grant):
    grant = make_grant()
    with pytest.raises(IntegrityError), transaction.atomic():
        Instalment.objects.create(grant=grant, sequence=1, due_date=date(2025, 5, 2), amount=Money("1.00", "CAD"))


def test_amounts_are_positive_and_a_paid_instalment_has_its_transaction(make_grant):
    instalment = make_grant().instalments.get(sequence=1)
    refused(pk=instalment.pk, amount=Money("0.00", "CAD"))
    refused(pk=instalment.pk, status=InstalmentStatus.PAID)
    refused(pk=instalment.pk, status=InstalmentStatus.HELD, hold_reason="")


def test_a_hold_s_code_names_what_it_needs_and_only_a_held_instalment_has_one(make_grant):
    instalment = make_grant().instalments.get(sequence=1)
    report = {"report": 1, "kind": "interim", "due_date": "2025-05-15"}
    refused(pk=instalment.pk, status=InstalmentStatus.HELD, hold_code=HoldCode.OVERDUE_REPORT, hold_params={})
    refused(pk=instalment.pk, status=InstalmentStatus.HELD, hold_code=HoldCode.STAFF, hold_reason="")
    refused(pk=instalment.pk, hold_code=HoldCode.OVERDUE_REPORT, hold_params=report)
    Instalment.objects.filter(pk=instalment.pk).update(
        status=InstalmentStatus.HELD, hold_code=HoldCode.OVERDUE_REPORT, hold_params=report
    )
    Instalment.objects.filter(pk=instalment.pk).update(hold_code="", hold_params={}, hold_reason="Écrit avant les codes")


def test_a_grant_ends_after_it_starts_and_an_approval_is_recorded(make_grant):
    grant = make_grant(approve=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.filter(pk=grant.pk).update(end_date=date(2025, 3, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.filter(pk=grant.pk).update(status="approved")


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("fr-ca", ["Prévu", "Retenu", "Payé", "En échec", "Paiement contrepassé", "Annulé"]),
        ("en", ["Scheduled", "Held", "Paid", "Failed", "Payment reversed", "Cancelled"]),
    ],
)
def test_an_instalment_s_statuses_agree_with_un_versement(language, labels):
    with translation.override(language):
        assert [str(label) for label in InstalmentStatus.labels] == labels
        assert str(GrantStatus.CANCELLED.label) == ("Annulée" if language == "fr-ca" else "Cancelled")
