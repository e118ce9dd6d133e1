"""A grant's payments in the ledger, written in the reader's language from their instalment."""

from datetime import date

import pytest
from django.utils import translation

from grants.memos import grant_memos
from grants.services import disbursements_post_due, instalment_reverse_payment
from ledger.models import Transaction

from .conftest import RUN_DAY

pytestmark = pytest.mark.django_db


def test_a_payment_and_its_reversal_are_each_written_from_their_instalment(make_grant, administrator):
    grant = make_grant()
    disbursements_post_due(today=RUN_DAY)
    instalment = grant.instalments.get(sequence=1)
    instalment_reverse_payment(instalment=instalment, reversed_by=administrator, reason="Erreur", on=date(2025, 6, 2))
    payment, reversal = Transaction.objects.order_by("date", "pk").filter(date__gte=date(2025, 5, 1))
    with translation.override("en"):
        assert grant_memos([payment, reversal]) == {
            payment.pk: "Instalment 1 of the grant Soirées 16-25 ans",
            reversal.pk: "Reversal of instalment 1 of the grant Soirées 16-25 ans",
        }
    with translation.override("fr-ca"):
        assert grant_memos([reversal]) == {reversal.pk: "Contrepassation du versement 1 de la subvention Soirées 16-25 ans"}


def test_other_movements_are_left_to_their_stored_memo(programme, django_assert_num_queries):
    programme_funding = Transaction.objects.get()
    with django_assert_num_queries(0):
        assert grant_memos([programme_funding]) == {}
