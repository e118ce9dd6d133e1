"""Time the import of 10,000 expense rows and 10,000 means declarations, beside a raw bulk_create.

Run from the project root with ``DATABASE_URL`` naming a PostgreSQL server
(``scripts/with-services --durable .venv/bin/python bench/import.py``). The
bench makes a throw-away database with Django's test machinery and drops it.

- Set-up (not timed): 200 parties taking part in one cost pool; two French
  CSV files (semicolons, ``1 234,56 $`` amounts) of 10,000 rows each.
- Ours: ``spreadsheets.runs.file_import`` of each file, not a dry run: reading,
  validating every row, all or nothing in one transaction; each expense
  recorded and posted by ``sharedcosts.services.expenses_record`` under its
  reference, read from the row's content; the declarations recorded, with
  their history, by ``sharedcosts.services.means_record``.
- Raw: every row ours writes, with ``bulk_create``, in one database
  transaction: the 10,000 means declarations and their first history rows
  (copied by the database in one statement), the 10,000 expenses, and the
  ledger rows their posting writes (10,000 transactions, 20,000 entries; the
  ledger's triggers fire as for ours), as ``bench/disbursements.py`` compares.

The last line is ``rows_per_s=N raw_rows_per_s=N ratio_vs_raw=N``. Goals:
at least 1,500 rows per second, within 3 times the raw insert.
"""

import os
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db import transaction as db_transaction  # noqa: E402
from moneyed import Money  # noqa: E402

from django.utils import timezone  # noqa: E402

from config.database_roles import as_owner  # noqa: E402

from ledger.models import Entry, FiscalPeriod, Party, PartyKind, Sector, Transaction  # noqa: E402
from sharedcosts.models import CostPool, Expense, MeansDeclaration, Participation  # noqa: E402
from sharedcosts.resources import ExpenseResource, MeansDeclarationResource  # noqa: E402
from sharedcosts.services import pool_cost_account, pool_position_account  # noqa: E402
from spreadsheets.runs import file_import  # noqa: E402

ROWS = 10_000
PARTIES = 200
START = date(2025, 4, 1)


def amount(number: int) -> Decimal:
    return Decimal(1000 + number % 9000) + Decimal(number % 100) / 100


def setup() -> tuple[list[Party], CostPool]:
    parties = Party.objects.bulk_create(
        Party(name=f"Partenaire {n:04d}", kind=PartyKind.COMMUNITY_YOUTH, sector=Sector.SUD) for n in range(PARTIES)
    )
    pool = CostPool.objects.create(
        kind="premises", name="Local partagé", budgeted_cost=Money("1000000.00", "CAD"), start_date=START, end_date=date(2026, 3, 31)
    )
    Participation.objects.bulk_create(Participation(pool=pool, party=party) for party in parties)
    return parties, pool


def french(value: Decimal) -> str:
    whole, cents = f"{value:.2f}".split(".")
    groups = f"{int(whole):,}".replace(",", "\u00a0")
    return f"{groups},{cents} $"


def files(parties: list[Party], pool: CostPool) -> tuple[bytes, bytes]:
    expenses = ["regroupement;payé par;fournisseur;date;montant;devise;description"]
    means = ["partenaire;mesure;valeur;date;source"]
    for n in range(ROWS):
        party = parties[n % PARTIES]
        day = START + timedelta(days=n % 360)
        expenses.append(f"{pool.name};{party.name};Fournisseur {n};{day.isoformat()};{french(amount(n))};CAD;Facture {n}")
        means.append(f"{party.name};annual_budget;{french(amount(n) * 100)};{day.isoformat()};Rapport {n}")
    return ("\n".join(expenses) + "\n").encode("utf-8"), ("\n".join(means) + "\n").encode("utf-8")


def history_copy(means: list[MeansDeclaration], user) -> None:
    """The declarations' first history rows, copied by the database in one statement, the cheapest raw way."""
    history = MeansDeclaration.history.model
    columns = ", ".join(field.column for field in MeansDeclaration._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {history._meta.db_table} ({columns}, history_date, history_type, history_user_id)"
            f" SELECT {columns}, now(), '+', %s FROM {MeansDeclaration._meta.db_table} WHERE id = ANY(%s)",
            [user.pk, [declaration.pk for declaration in means]],
        )


def raw(parties: list[Party], pool: CostPool, user) -> float:
    expenses = [
        Expense(pool=pool, payer=parties[n % PARTIES], vendor=f"Fournisseur {n}", date=START + timedelta(days=n % 360),
                amount=Money(amount(n), "CAD"), description=f"Facture {n}")
        for n in range(ROWS)
    ]  # fmt: skip
    means = [
        MeansDeclaration(party=parties[n % PARTIES], measure="annual_budget", value=amount(n) * 100,
                         as_of=START + timedelta(days=n % 360), source=f"Rapport {n}")
        for n in range(ROWS)
    ]  # fmt: skip
    cost = pool_cost_account(pool)
    positions = {party.pk: pool_position_account(pool, party) for party in parties}
    FiscalPeriod.objects.get_or_create(start_year=2025)
    now = timezone.now()
    transactions = [
        Transaction(date=e.date, period_id=2025, kind="expense", memo=e.vendor, idempotency_key=f"raw:{n}",
                    request_hash="x" * 64, posted_at=now)
        for n, e in enumerate(expenses)
    ]  # fmt: skip
    started = time.perf_counter()
    with db_transaction.atomic():
        Transaction.objects.bulk_create(transactions, batch_size=1000)
        Entry.objects.bulk_create(
            [
                entry
                for txn, e in zip(transactions, expenses)
                for entry in (
                    Entry(transaction=txn, account=cost, amount=-e.amount, date=e.date),
                    Entry(transaction=txn, account=positions[e.payer_id], amount=e.amount, date=e.date),
                )
            ],
            batch_size=1000,
        )
        for txn, expense in zip(transactions, expenses):
            expense.transaction = txn
        Expense.objects.bulk_create(expenses, batch_size=1000)
        MeansDeclaration.objects.bulk_create(means, batch_size=1000)
        history_copy(means, user)
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred triggers run inside the timing
        elapsed = time.perf_counter() - started
        db_transaction.set_rollback(True)
    return elapsed


def main() -> None:
    started = time.perf_counter()
    with as_owner():  # the application role may not create a database; it imports, as in production
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        user = get_user_model().objects.create_superuser("bench", password="x")
        parties, pool = setup()
        expense_file, means_file = files(parties, pool)
        raw_time = raw(parties, pool, user)
        timings = {}
        for name, resource, data in (("expenses", ExpenseResource, expense_file), ("means", MeansDeclarationResource, means_file)):
            begin = time.perf_counter()
            report = file_import(resource(), data, f"{name}.csv", dry_run=False, user=user)
            timings[name] = time.perf_counter() - begin
            assert report.saved and report.created == ROWS, (name, [str(e) for e in report.errors[:3]])
            print(f"{name}: {ROWS} rows in {timings[name]:.2f} s ({ROWS / timings[name]:.0f} rows/s)")
        assert Expense.objects.filter(transaction__isnull=False).count() == ROWS
        again = file_import(ExpenseResource(), expense_file, "expenses.csv", dry_run=False, user=user)
        assert again.already_imported == ROWS, again.summary()
        print(f"expenses again: {again.summary()}")
    finally:
        with as_owner():
            connection.creation.destroy_test_db(old_name, verbosity=0)
    ours = sum(timings.values())
    rows = 2 * ROWS
    print(f"raw bulk_create: {rows} rows in {raw_time:.2f} s")
    print(f"Whole bench {time.perf_counter() - started:.0f} s.")
    print(f"rows_per_s={rows / ours:.0f} raw_rows_per_s={rows / raw_time:.0f} ratio_vs_raw={ours / raw_time:.1f}")


if __name__ == "__main__":
    main()
