"""Accounts named in the reader's language by the apps that made them; the staff's own keep their name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ledger.account_words import accounts_names
from ledger.models import Account

pytestmark = pytest.mark.django_db

NAMES = {
    "fr-ca": {
        "GR-{party}-CAD": "Subventions reçues (CAD)",
        "SITE-FUNDING-CAD": "Contributions du site aux programmes de financement (CAD)",
        "PF-{programme}": "Fonds du programme : Soutien aux partenaires",
        "POOL-{pool}-COST": "Coût du regroupement Locaux partagés",
        "POOL-{pool}-P{party}": "Position dans le regroupement Locaux partagés",
        "SITE-CASH": "Encaisse du site",
    },
    "en": {
        "GR-{party}-CAD": "Grants received (CAD)",
        "SITE-FUNDING-CAD": "Site contributions to the funding programmes (CAD)",
        "PF-{programme}": "Programme fund: Soutien aux partenaires",
        "POOL-{pool}-COST": "Cost of the pool Locaux partagés",
        "POOL-{pool}-P{party}": "Position in the pool Locaux partagés",
        "SITE-CASH": "Encaisse du site",
    },
}


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_an_account_made_by_a_feature_is_named_in_the_readers_language(movements, party, pool, programme, cash, language):
    codes = {
        template.format(party=party.pk, pool=pool.pk, programme=programme.pk): name
        for template, name in NAMES[language].items()
    }
    accounts = list(Account.objects.filter(code__in=codes))
    assert len(accounts) == len(codes)
    with translation.override(language), CaptureQueriesContext(connection) as queries:
        names = accounts_names(accounts=accounts)
    assert {account.code: names[account.pk] for account in accounts} == {
        code: name.replace(" : ", "\u00a0: ") for code, name in codes.items()
    }
    assert len(queries) == 2  # the programmes' names and the pools'


def test_no_account_asks_nothing():
    with CaptureQueriesContext(connection) as queries:
        assert accounts_names(accounts=[]) == {}
    assert len(queries) == 0


def test_an_account_whose_code_only_looks_like_a_features_keeps_its_name(db):
    typed = Account.objects.create(code="POOL-999999-COST", name="Coût saisi à la main", type="expense", currency="CAD")
    with translation.override("en"):
        assert accounts_names(accounts=[typed]) == {typed.pk: "Coût saisi à la main"}
