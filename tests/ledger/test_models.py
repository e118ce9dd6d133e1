"""The names people sort lists by sort as a French reader looks them up, in the database itself."""

import pytest
from django.db import IntegrityError, transaction

from ledger.models import Party, PartyKind, Sector
from ledger.words import name_sort_key

pytestmark = pytest.mark.django_db

NAMES = ["CISSS — Dépendance jeunesse", "Centre de services scolaire", "Cégep de Saint-Jérôme", "Carrefour jeunesse-emploi", "Élan", "Ecole"]
FRENCH_ORDER = [
    "Carrefour jeunesse-emploi",
    "Cégep de Saint-Jérôme",
    "Centre de services scolaire",
    "CISSS — Dépendance jeunesse",
    "Ecole",
    "Élan",
]


def test_parties_sort_by_name_as_a_french_reader_looks_them_up_and_as_the_python_key_does():
    for name in NAMES:
        Party.objects.create(name=name, kind=PartyKind.OTHER, sector=Sector.SUD)
    assert list(Party.objects.order_by("name").values_list("name", flat=True)) == FRENCH_ORDER
    assert sorted(NAMES, key=name_sort_key) == FRENCH_ORDER


def test_names_that_differ_by_an_accent_or_a_capital_are_two_names_and_a_repeated_name_is_refused():
    for name in ("Cégep", "Cegep", "cegep"):
        Party.objects.create(name=name, kind=PartyKind.OTHER, sector=Sector.SUD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Party.objects.create(name="Cégep", kind=PartyKind.OTHER, sector=Sector.SUD)
    assert Party.objects.filter(name="Cegep").count() == 1
