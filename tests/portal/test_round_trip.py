"""Export the demo territory, import it into an empty database, export again: the same files."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from ledger.imports import file_export, file_import
from ledger.models import Party
from portal.resources import IMPORTABLE

# Memberships name users, which are not imported: they are left out of the round trip.
ROUND_TRIP = [name for name in IMPORTABLE if name != "adhesions"]


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
