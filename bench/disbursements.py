"""Time the daily disbursement run over 10,000 due instalments, beside a raw bulk insert.

Run from the project root with ``DATABASE_URL`` (and ``DATABASE_OWNER_URL``)
naming a PostgreSQL server (``scripts/with-services --durable
.venv/bin/python bench/disbursements.py``). The data of that database is
left alone: the bench makes a throw-away database, migrated by the owner
role, times the run as the application role, and drops it at the end.

- Set-up (not timed): one funded programme, 500 parties, 2,500 approved
  grants of four quarterly instalments each, all 10,000 due on the day of
  the run, loaded with ``bulk_create``; the fiscal years 2024 and 2025
  opened; a past year of 100,000 ledger transactions, then ``VACUUM
  ANALYZE``, so that the planner sees a ledger in use. (On an empty, freshly analysed ledger the ledger's deferred
  balance trigger plans a sequential scan of the entries and both timings
  grow with the square of the rows written.)
- Ours: one call of ``disbursements_post_due``: the instalments locked in
  chunks, each chunk posted through ``ledger.services.transactions_post``
  (a savepoint, the idempotency keys, the ledger's triggers, the kept
  balances) and marked paid; the
  parties' grants-received accounts are made on first use, as in real life.
  The queries are counted while it runs.
- Raw: the same rows the run writes to the ledger (10,000 transactions and
  their 20,000 entries) inserted with plain multi-row ``INSERT`` statements
  in one database transaction, the same triggers firing. The ratio, our time
  over the raw insert's, is what exactly-once posting costs over writing the
  rows blind.

The last line, ``instalments_per_s=N raw_per_s=N ratio_vs_raw=N
queries_per_instalment=N``, is for scripts to read. Goals: at least 3,000
instalments per second, within 1.5 times the raw insert, and a number of
queries per instalment that does not grow with the run.
"""

import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.db import transaction as db_transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from moneyed import Money  # noqa: E402

from grants.models import Grant, GrantPurpose, GrantStatus, Instalment, InstalmentStatus, ScheduleFrequency  # noqa: E402
from grants.services import disbursements_post_due, programme_create  # noqa: E402
from ledger.models import Account, AccountType, Entry, FiscalPeriod, Party, PartyKind, Sector  # noqa: E402
from ledger.models import Transaction, TransactionKind  # noqa: E402
from bench import ledger_bulk_load, throwaway_database  # noqa: E402
from config.database_roles import as_owner  # noqa: E402
from ledger.roles import ADMINISTRATORS_GROUP, FINANCE_GROUP  # noqa: E402
from ledger.selectors import account_balance  # noqa: E402

CURRENCY = "CAD"
PARTIES = 500
GRANTS = 2_500
PER_GRANT = 4
INSTALMENTS = GRANTS * PER_GRANT
RUN_DAY = date(2026, 3, 31)
DUE_DATES = [date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1), date(2026, 1, 1)]
INSTALMENT_AMOUNT = Money("250.00", CURRENCY)
HISTORY = 100_000


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def set_up() -> Account:
    FiscalPeriod.objects.bulk_create([FiscalPeriod(start_year=year) for year in (2024, 2025)])
    users = get_user_model()
    finance = users.objects.create_user(username="bench-finance")
    finance.groups.add(Group.objects.get(name=FINANCE_GROUP))
    administrator = users.objects.create_user(username="bench-admin")
    administrator.groups.add(Group.objects.get(name=ADMINISTRATORS_GROUP))
    programme = programme_create(
        name="Bench programme",
        fiscal_year=2025,
        amount=Money(INSTALMENT_AMOUNT.amount * INSTALMENTS, CURRENCY),
        created_by=finance,
        funded_on=date(2025, 4, 1),
    )
    parties = Party.objects.bulk_create(
        Party(name=f"Bench partner {i:04d}", kind=PartyKind.COMMUNITY_YOUTH, sector=Sector.SUD) for i in range(PARTIES)
    )
    now = timezone.now()
    grants = Grant.objects.bulk_create(
        Grant(
            programme=programme,
            party=parties[i % PARTIES],
            title=f"Bench project {i}",
            purpose=GrantPurpose.SERVICE_OFFER,
            amount=INSTALMENT_AMOUNT * PER_GRANT,
            start_date=DUE_DATES[0],
            end_date=date(2026, 3, 31),
            frequency=ScheduleFrequency.QUARTERLY,
            status=GrantStatus.APPROVED,
            created_by=finance,
            approved_by=administrator,
            approved_at=now,
        )
        for i in range(GRANTS)
    )
    Instalment.objects.bulk_create(
        (
            Instalment(grant=grant, sequence=n + 1, due_date=due, amount=INSTALMENT_AMOUNT)
            for grant in grants
            for n, due in enumerate(DUE_DATES)
        ),
        batch_size=2_000,
    )
    load_history(HISTORY)
    with as_owner(), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return programme.fund_account


def load_history(n: int) -> None:
    """A year of past movements, so that the planner sees a ledger in use, not an empty one.

    Loaded in SQL by the owner with the transactions' triggers off (they
    would only check these balanced rows), like bench/ledger_post.py does.
    """
    site = Account.objects.create(code="bench:past:site", name="Past", type=AccountType.ASSET, currency=CURRENCY)
    party = Account.objects.create(code="bench:past:party", name="Past", type=AccountType.INCOME, currency=CURRENCY)
    period = FiscalPeriod.objects.get(start_year=2024)
    txn_table, entry_table = Transaction._meta.db_table, Entry._meta.db_table
    with ledger_bulk_load() as cursor:
        cursor.execute(f"SELECT COALESCE(max(id), 0) FROM {txn_table}")
        base = cursor.fetchone()[0]
        cursor.execute(
            f"INSERT INTO {txn_table} (id, date, period_id, kind, memo, idempotency_key, request_hash, posted_at)"
            f" SELECT {base} + g, DATE '2024-04-01' + (g % 365), {period.pk}, 'adjustment', '',"
            f" 'bench:past:' || g, md5(g::text) || md5(g::text), now() FROM generate_series(1, {n}) AS g"
        )
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{txn_table}', 'id'), {base + n})"
        )
        cursor.execute(
            f"INSERT INTO {entry_table} (transaction_id, account_id, amount, amount_currency, date)"
            f" SELECT {base} + g, CASE WHEN side = 1 THEN {party.pk} ELSE {site.pk} END,"
            f" side * ((g % 1000) + 1)::numeric / 100, '{CURRENCY}', DATE '2024-04-01' + (g % 365)"
            f" FROM generate_series(1, {n}) AS g CROSS JOIN (VALUES (1), (-1)) AS sides(side)"
        )


def time_ours() -> tuple[float, int]:
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        run = disbursements_post_due(today=RUN_DAY)
        elapsed = time.perf_counter() - start
    assert (run.paid, run.held, run.failed) == (INSTALMENTS, 0, 0), run.as_dict()
    return elapsed, counter.count


def time_raw() -> float:
    site = Account.objects.create(code="bench:raw:site", name="Raw site", type=AccountType.ASSET, currency=CURRENCY)
    party = Account.objects.create(code="bench:raw:party", name="Raw party", type=AccountType.INCOME, currency=CURRENCY)
    period = FiscalPeriod.objects.get(start_year=FiscalPeriod.year_of(RUN_DAY))
    now = timezone.now()
    start = time.perf_counter()
    with db_transaction.atomic():
        transactions = Transaction.objects.bulk_create(
            (
                Transaction(
                    date=RUN_DAY,
                    period=period,
                    kind=TransactionKind.DISBURSEMENT,
                    memo=f"Raw {i}",
                    idempotency_key=f"bench:raw:{i}",
                    request_hash="0" * 64,
                    posted_at=now,
                )
                for i in range(INSTALMENTS)
            ),
            batch_size=1_000,
        )
        Entry.objects.bulk_create(
            (
                Entry(transaction=txn, account=account, amount=amount, date=RUN_DAY)
                for txn in transactions
                for account, amount in ((site, -INSTALMENT_AMOUNT), (party, INSTALMENT_AMOUNT))
            ),
            batch_size=2_000,
        )
    return time.perf_counter() - start


def check(fund: Account) -> None:
    assert Instalment.objects.filter(status=InstalmentStatus.PAID).count() == INSTALMENTS
    assert Transaction.objects.filter(kind=TransactionKind.DISBURSEMENT, idempotency_key__startswith="instalment:").count() == INSTALMENTS
    assert account_balance(account=fund) == Money(0, CURRENCY), account_balance(account=fund)
    assert disbursements_post_due(today=RUN_DAY).paid == 0


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench/disbursements.py needs PostgreSQL: set DATABASE_URL.")
    started = time.perf_counter()
    with throwaway_database():
        fund = set_up()
        ours_s, queries = time_ours()
        check(fund)
        raw_s = time_raw()
    rate = INSTALMENTS / ours_s
    raw_rate = INSTALMENTS / raw_s
    ratio = ours_s / raw_s
    per_instalment = queries / INSTALMENTS
    print(f"Whole bench {time.perf_counter() - started:.0f} s.")
    print(
        f"One run of disbursements_post_due over {INSTALMENTS:,} due instalments of {GRANTS:,} grants to "
        f"{PARTIES} parties: {ours_s:.2f} s, {rate:,.0f} instalments/s, {queries:,} queries "
        f"({per_instalment:.2f} an instalment)."
    )
    print(
        f"Raw bulk insert of the same ledger rows ({INSTALMENTS:,} transactions, {2 * INSTALMENTS:,} entries): "
        f"{raw_s:.2f} s, {raw_rate:,.0f} transactions/s; ours / raw = {ratio:.2f} (goal: at most 1.5)."
    )
    print(
        f"instalments_per_s={rate:.0f} raw_per_s={raw_rate:.0f} ratio_vs_raw={ratio:.2f} "
        f"queries_per_instalment={per_instalment:.2f}"
    )


if __name__ == "__main__":
    main()
