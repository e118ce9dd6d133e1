"""Values in words: people by their names, file sizes in the reader's units."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from moneyed import Money

from ledger.models import TransactionKind
from ledger.services import Line, transaction_post
from ledger.words import de_name, file_size_words, km_words, name_sort_key, number_words, person_words


@pytest.mark.parametrize(
    ("language", "size", "expected"),
    [
        ("fr-ca", 43213, "42,2\xa0Ko"),
        ("en", 43213, "42.2\xa0KB"),
        ("fr-ca", 10 * 1024 * 1024, "10,0\xa0Mo"),
        ("fr-ca", 13_107_200 + 2_621_440, "15,0\xa0Mo"),
        ("fr-ca", 512, "512\xa0octets"),
        ("en", 1, "1\xa0byte"),
        ("fr-ca", 3 * 1024**3, "3,0\xa0Go"),
    ],
)
def test_file_sizes_read_in_the_readers_units(language, size, expected):
    with translation.override(language):
        assert file_size_words(size) == expected


def test_a_person_is_named_by_their_full_name_else_their_username():
    user_model = get_user_model()
    assert person_words(user_model(username="agagnon", first_name="Aline", last_name="Gagnon")) == "Aline Gagnon"
    assert person_words(user_model(username="agagnon")) == "agagnon"


def test_every_user_reads_as_their_name_wherever_it_is_written_with_str():
    user_model = get_user_model()
    assert str(user_model(username="agagnon", first_name="Aline", last_name="Gagnon")) == "Aline Gagnon"
    assert str(user_model(username="agagnon")) == "agagnon"


@pytest.mark.parametrize(
    ("language", "name", "expected"),
    [
        ("fr-ca", "Aire ouverte Laurentides", "d’Aire ouverte Laurentides"),
        ("fr-ca", "Hébergement jeunesse Le Tournant", "d’Hébergement jeunesse Le Tournant"),
        ("fr-ca", "Unité mobile — tournée du secteur Nord", "d’Unité mobile — tournée du secteur Nord"),
        ("fr-ca", "École Polyvalente", "d’École Polyvalente"),
        ("fr-ca", "Carrefour jeunesse-emploi", "de Carrefour jeunesse-emploi"),
        ("fr-ca", "CISSS — Dépendance jeunesse", "de CISSS — Dépendance jeunesse"),
        ("en", "Aire ouverte Laurentides", "Aire ouverte Laurentides"),
        ("en", "Carrefour jeunesse-emploi", "Carrefour jeunesse-emploi"),
    ],
)
def test_a_name_after_de_is_elided_in_french_before_a_vowel_or_an_h(language, name, expected):
    with translation.override(language):
        assert de_name(name) == expected


def test_names_sort_as_a_french_reader_looks_them_up_not_by_character_code():
    names = ["CISSS — Dépendance jeunesse", "Centre de services scolaire", "Cégep de Saint-Jérôme", "Carrefour jeunesse-emploi", "cegep", "Élan", "Ecole"]
    assert sorted(names, key=name_sort_key) == [
        "Carrefour jeunesse-emploi",
        "cegep",
        "Cégep de Saint-Jérôme",
        "Centre de services scolaire",
        "CISSS — Dépendance jeunesse",
        "Ecole",
        "Élan",
    ]


@pytest.mark.django_db
def test_a_read_only_person_is_their_name_with_no_link_to_a_page_they_cannot_open(
    client, administrator, finance_user, cash, party_account
):
    administrator.first_name, administrator.last_name = "Sophie", "Lévesque"
    administrator.save(update_fields=["first_name", "last_name"])
    posted, _ = transaction_post(
        lines=[Line(account=cash, amount=Money("-80.00", "CAD")), Line(account=party_account, amount=Money("80.00", "CAD"))],
        date=date(2025, 6, 1),
        kind=TransactionKind.ADJUSTMENT,
        idempotency_key="words:1",
        posted_by=administrator,
    )
    finance_user.is_staff = True
    finance_user.save(update_fields=["is_staff"])
    client.force_login(finance_user)
    page = client.get(reverse("admin:ledger_transaction_change", args=[posted.pk])).content.decode()
    assert '<div class="readonly">Sophie Lévesque</div>' in page
    assert "/admin/auth/user/" not in page
    assert reverse("admin:ledger_fiscalperiod_change", args=[posted.period_id]) in page


@pytest.mark.parametrize(
    ("language", "value", "number", "km"),
    [
        ("fr-ca", Decimal("9854.0"), "9\u00a0854", "9\u00a0854\u00a0km"),
        ("fr-ca", Decimal("195.5"), "195,5", "195,5\u00a0km"),
        ("en", Decimal("9854.0"), "9,854", "9,854\u00a0km"),
        ("en", Decimal("368.0"), "368", "368\u00a0km"),
    ],
)
def test_a_measure_is_written_as_the_reader_writes_it_without_a_useless_zero(language, value, number, km):
    with translation.override(language):
        assert (number_words(value), km_words(value)) == (number, km)
