"""The registry's keys; and a round trip through it: export the demo territory, import it into an
empty database, export again: the same files."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from ledger.models import Party
from spreadsheets.registry import EXPORTABLE, IMPORTABLE, importable_choices
from spreadsheets.runs import file_export, file_import

# Memberships name users, which are not imported: they are left out of the round trip.
ROUND_TRIP = [name for name in IMPORTABLE if name != "adhesions"]


def test_the_importable_keys_in_the_order_an_empty_database_is_filled_then_the_exported_only():
    assert list(IMPORTABLE) == [
        "partenaires",
        "adhesions",
        "moyens",
        "regroupements",
        "participations",
        "depenses",
        "contributions",
        "municipalites",
        "distances",
        "locaux",
        "programmes",
        "subventions",
        "rapports",
    ]
    assert [key for key in EXPORTABLE if key not in IMPORTABLE] == ["transactions", "releves", "repartitions", "versements"]


def test_the_admin_offers_the_importable_ones_by_their_name():
    with translation.override("fr-ca"):
        choices = importable_choices()
    assert choices == [
        ("adhesions", "Appartenances"),
        ("contributions", "Contributions en nature"),
        ("distances", "Distances routières"),
        ("moyens", "Déclarations de capacité"),
        ("depenses", "Dépenses partagées"),
        ("locaux", "Locaux"),
        ("municipalites", "Municipalités"),
        ("partenaires", "Partenaires"),
        ("participations", "Participations"),
        ("programmes", "Programmes de financement"),
        ("rapports", "Rapports exigés"),
        ("regroupements", "Regroupements de coûts"),
        ("subventions", "Subventions"),
    ]


def _export_all() -> dict[str, bytes]:
    return {name: file_export(IMPORTABLE[name]()) for name in ROUND_TRIP}


@pytest.mark.slow
def test_demo_territory_round_trip(db, administrator):
    with transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        first = _export_all()
        transaction.set_rollback(True)
    assert not Party.objects.exists()
    assert all(first[name].count(b"\n") > 1 for name in ROUND_TRIP), {k: v[:200] for k, v in first.items()}

    for name in ROUND_TRIP:
        report = file_import(IMPORTABLE[name](), first[name], f"{name}.csv", dry_run=False, user=administrator)
        assert report.saved, (name, [str(error) for error in report.errors[:5]])

    assert _export_all() == first
