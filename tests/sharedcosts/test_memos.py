"""A pool's movements in the ledger, written in the reader's language from what each transaction records."""

from datetime import date

import pytest
from django.utils import translation

from ledger.models import Party, Transaction, TransactionKind
from sharedcosts.memos import allocation_memo, in_kind_memo, pool_memos
from sharedcosts.models import Allocation, CostPool, InKindContribution
from sharedcosts.services import allocation_approve, allocation_compute, allocation_post

from .conftest import declare

pytestmark = pytest.mark.django_db


def post_version(pool, finance_user, administrator, day):
    allocation = allocation_compute(pool=pool, prepared_by=finance_user)
    allocation_approve(allocation=allocation, approved_by=administrator)
    return allocation_post(allocation=allocation, posted_by=administrator, date=day)


def test_a_first_share_and_a_later_change_are_written_as_they_were_posted(
    joined, parties, finance_user, administrator
):
    post_version(joined, finance_user, administrator, date(2025, 5, 1))
    declare(parties[0], "300000", as_of=date(2025, 4, 1))
    post_version(joined, finance_user, administrator, date(2025, 6, 1))
    first, change = (
        Transaction.objects.filter(kind=TransactionKind.ALLOCATION, entries__account__party=parties[0]).order_by("pk")
    )
    with translation.override("en"):
        assert pool_memos([first, change]) == {
            first.pk: "Share of Maison des jeunes de Saint-Jérôme in Locaux partagés, version 1",
            change.pk: "Change of the share of Maison des jeunes de Saint-Jérôme in Locaux partagés, version 2",
        }
    assert change.memo == "Changement de la part de Maison des jeunes de Saint-Jérôme dans Locaux partagés, version 2"


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        (TransactionKind.ALLOCATION, "allocation:999999:party:999999"),
        (TransactionKind.ALLOCATION, "allocation:x:party:1"),
        (TransactionKind.SETTLEMENT, "settlement:pool:999999:1:2:2025-05-01:10.00"),
        (TransactionKind.SETTLEMENT, "settlement:pool"),
        (TransactionKind.EXPENSE, "expense:sans-frais"),
    ],
)
def test_a_key_that_names_nothing_leaves_the_stored_memo(db, kind, key):
    assert pool_memos([Transaction(pk=1, kind=kind, idempotency_key=key)]) == {}


@pytest.mark.parametrize(
    ("language", "party", "first", "expected"),
    [
        ("fr-ca", "Aire ouverte Laurentides", True, "Part d’Aire ouverte Laurentides dans Soirée 16-25 ans, version 2"),
        ("fr-ca", "Hébergement jeunesse Le Tournant", False, "Changement de la part d’Hébergement jeunesse Le Tournant dans Soirée 16-25 ans, version 2"),
        ("fr-ca", "Carrefour jeunesse-emploi", True, "Part de Carrefour jeunesse-emploi dans Soirée 16-25 ans, version 2"),
        ("en", "Aire ouverte Laurentides", True, "Share of Aire ouverte Laurentides in Soirée 16-25 ans, version 2"),
    ],
)
def test_a_share_names_its_party_after_de_elided_in_french(language, party, first, expected):
    allocation = Allocation(pool=CostPool(name="Soirée 16-25 ans"), version=2)
    with translation.override(language):
        assert allocation_memo(allocation=allocation, party=Party(name=party), first=first) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr-ca", "Contribution en nature d’Unité mobile pour Soirée 16-25 ans\xa0: Salle"),
        ("en", "In kind from Unité mobile for Soirée 16-25 ans: Salle"),
    ],
)
def test_an_in_kind_contribution_names_its_party_after_de_elided_in_french(language, expected):
    gift = InKindContribution(pool=CostPool(name="Soirée 16-25 ans"), party=Party(name="Unité mobile"), description="Salle")
    with translation.override(language):
        assert in_kind_memo(gift) == expected
