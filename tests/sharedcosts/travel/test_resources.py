from decimal import Decimal

import pytest

from sharedcosts.travel.models import Municipality, Premises, RoadDistance
from spreadsheets.registry import IMPORTABLE
from spreadsheets.runs import file_export, file_import

pytestmark = pytest.mark.django_db


def imported(key: str, text: str, administrator):
    return file_import(IMPORTABLE[key](), text.encode(), f"{key}.csv", dry_run=False, user=administrator)


def test_distances_import_in_either_order_one_row_a_pair(places, administrator):
    report = imported(
        "distances",
        "municipalité;autre municipalité;km\nMont-Laurier;Saint-Jérôme;196,5\nLachute;Saint-Jérôme;38\n",
        administrator,
    )
    assert [error.row for error in report.errors] == [3] and "Lachute" in report.errors[0].message
    assert not report.saved  # Lachute is not a municipality yet: nothing is written
    assert RoadDistance.objects.count() == 3
    imported("municipalites", "nom\nLachute\n", administrator)
    report = imported(
        "distances",
        "municipalité;autre municipalité;km\nMont-Laurier;Saint-Jérôme;196,5\nLachute;Saint-Jérôme;38\n",
        administrator,
    )
    assert report.saved and report.errors == []
    jerome, laurier, lachute = (Municipality.objects.get(name=n) for n in ("Saint-Jérôme", "Mont-Laurier", "Lachute"))
    assert RoadDistance.objects.get(first=min(jerome, laurier, key=lambda m: m.pk), second=max(jerome, laurier, key=lambda m: m.pk)).km == Decimal("196.5")
    assert RoadDistance.objects.count() == 4
    assert file_export(IMPORTABLE["distances"]()).decode("utf-8-sig").splitlines() == [
        "municipalité;autre municipalité;km",
        "Lachute;Saint-Jérôme;38,0",
        "Mont-Laurier;Saint-Jérôme;196,5",
        "Mont-Laurier;Sainte-Agathe-des-Monts;145,0",
        "Saint-Jérôme;Sainte-Agathe-des-Monts;50,0",
    ]


def test_a_pair_given_twice_or_a_place_with_itself_is_refused(places, administrator):
    report = imported(
        "distances",
        "municipalité;autre municipalité;km\nMont-Laurier;Saint-Jérôme;190\nSaint-Jérôme;Mont-Laurier;200\nMont-Laurier;Mont-Laurier;4\n",
        administrator,
    )
    assert [(error.row, error.message) for error in report.errors] == [
        (3, "La ligne 2 donne déjà la distance entre ces deux lieux."),
        (4, "Une distance relie deux municipalités différentes; Mont-Laurier est à zéro km d’elle-même."),
    ]
    assert RoadDistance.objects.filter(km=Decimal("190")).count() == 0


def test_premises_import_by_names(places, party, administrator):
    report = imported("locaux", "partenaire;municipalité;adresse\nMaison des jeunes de Saint-Jérôme;Saint-Jérôme;1 rue Principale\n", administrator)
    assert report.saved
    assert Premises.objects.get(party=party).municipality.name == "Saint-Jérôme"
