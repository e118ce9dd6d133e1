"""Time the fairness review of a busy year: 500 parties, 50 pools, 200,000 ledger entries.

Run from the project root with ``DATABASE_URL`` naming a PostgreSQL server
(``scripts/with-services --durable .venv/bin/python bench/review.py``). The
data of that database is left alone: the bench makes a throw-away database
with Django's test machinery, migrates it and drops it at the end.

- Set-up (not timed): 500 parties with their means; 50 pools of the fiscal
  year 2025-2026 with 50 participants each (2,500 participations), split by
  the rules in turn; every pool's allocation computed, and one pool in two
  approved and posted through the services; then 100,000 grant payments
  (200,000 ledger entries) spread over two fiscal years on the parties'
  ``GR-<party>-CAD`` accounts, loaded in SQL, and ``VACUUM ANALYZE``.
- Timed: the review page of the year, as an administrator asks for it
  (computation, tables, SVG charts and the HTML), the median of five runs,
  and its number of queries; then the computation alone.

The last line, ``review_s=N queries=N``, is for scripts to read. Goal: under
1 second, in a number of queries that does not grow with the data.
"""

import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from moneyed import Money  # noqa: E402

from bench import ledger_bulk_load, throwaway_database  # noqa: E402
from ledger.models import Account, AccountType, Entry, Party, PartyKind, Sector, Transaction  # noqa: E402
from ledger.periods import fiscal_period_open  # noqa: E402
from ledger.roles import ADMINISTRATORS_GROUP, FINANCE_GROUP  # noqa: E402
from sharedcosts.models import CostPool, MeansDeclaration, Participation, PoolKind  # noqa: E402
from portal.review.composition import fairness_review  # noqa: E402
from sharedcosts.services import allocation_approve, allocation_compute, allocation_post  # noqa: E402

YEAR = 2025
PARTIES = 500
RUNS = 5
POOLS = 50
PER_POOL = 50
PAYMENTS = 100_000  # two entries each
RULES = ["proportional", "equal", "base_plus_proportional", "progressive"]
PARAMS = {"base_plus_proportional": {"base_fraction": "0.5"}, "progressive": {"threshold": "100000"}}


def set_up():
    users = get_user_model()
    finance = users.objects.create_user(username="bench-finance")
    finance.groups.add(Group.objects.get(name=FINANCE_GROUP))
    administrator = users.objects.create_user(username="bench-admin")
    administrator.groups.add(Group.objects.get(name=ADMINISTRATORS_GROUP))
    second = users.objects.create_user(username="bench-admin-2")
    second.groups.add(Group.objects.get(name=ADMINISTRATORS_GROUP))
    for start_year in (2024, 2025):
        fiscal_period_open(start_year=start_year, opened_by=administrator)
    kinds, sectors = PartyKind.values, Sector.values
    parties = Party.objects.bulk_create(
        Party(name=f"Bench partner {i:04d}", kind=kinds[i % len(kinds)], sector=sectors[i % len(sectors)])
        for i in range(PARTIES)
    )
    MeansDeclaration.objects.bulk_create(
        MeansDeclaration(
            party=party,
            value=Decimal(60_000 + (i * 7_919) % 2_000_000),
            as_of=date(2025, 3, 31) if i % 40 else date(2023, 3, 31),
            source="États financiers",
        )
        for i, party in enumerate(parties)
    )
    for n in range(POOLS):
        rule = RULES[n % len(RULES)]
        pool = CostPool.objects.create(
            kind=PoolKind.OTHER,
            name=f"Bench pool {n:02d}",
            budgeted_cost=Money(f"{20_000 + 1_000 * n}.00", "CAD"),
            start_date=date(2025, 4, 1 + n % 28),
            end_date=date(2026, 3, 31),
            rule=rule,
            rule_params=PARAMS.get(rule, {}),
        )
        members = [parties[(n * 10 + k * 10 + n // 10) % PARTIES] for k in range(PER_POOL)]
        Participation.objects.bulk_create(Participation(pool=pool, party=party) for party in dict.fromkeys(members))
        allocation = allocation_compute(pool=pool, prepared_by=finance)
        if n % 2 == 0:
            allocation_approve(allocation=allocation, approved_by=second)
            allocation_post(allocation=allocation, posted_by=administrator, date=date(2025, 5, 1))
    load_grants(parties)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return administrator


def load_grants(parties: list[Party]) -> None:
    """100,000 grant payments over two fiscal years, in SQL with the row triggers off (they are balanced)."""
    fund = Account.objects.create(code="bench:fund", name="Fund", type=AccountType.ASSET, currency="CAD")
    accounts = Account.objects.bulk_create(
        Account(code=f"GR-{party.pk}-CAD", name="Grants received", type=AccountType.INCOME, currency="CAD", party=party)
        for party in parties
    )
    first, last = accounts[0].pk, accounts[-1].pk
    assert last - first == len(accounts) - 1
    txn_table, entry_table = Transaction._meta.db_table, Entry._meta.db_table
    with ledger_bulk_load() as cursor:
        cursor.execute(f"SELECT COALESCE(max(id), 0) FROM {txn_table}")
        base = cursor.fetchone()[0]
        cursor.execute(
            f"INSERT INTO {txn_table} (id, date, period_id, kind, memo, idempotency_key, request_hash, posted_at)"
            f" SELECT {base} + g, DATE '2024-04-01' + (g % 730),"
            f" CASE WHEN DATE '2024-04-01' + (g % 730) < DATE '2025-04-01' THEN 2024 ELSE 2025 END,"
            f" 'disbursement', '', 'bench:grant:' || g, md5(g::text) || md5(g::text), now()"
            f" FROM generate_series(1, {PAYMENTS}) AS g"
        )
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{txn_table}', 'id'), {base + PAYMENTS})")
        cursor.execute(
            f"INSERT INTO {entry_table} (transaction_id, account_id, amount, amount_currency, date)"
            f" SELECT {base} + g, CASE WHEN side = 1 THEN {first} + (g % {len(accounts)}) ELSE {fund.pk} END,"
            f" side * ((g % 1000) + 1)::numeric, 'CAD', DATE '2024-04-01' + (g % 730)"
            f" FROM generate_series(1, {PAYMENTS}) AS g CROSS JOIN (VALUES (1), (-1)) AS sides(side)"
        )


def time_page(administrator) -> tuple[float, int, int]:
    client = Client(HTTP_HOST="localhost")
    client.force_login(administrator)
    url = f"/revue/{YEAR}/"
    client.get(url)  # warm the templates and the connection
    times, queries, size = [], 0, 0
    for _run in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        queries, size = len(captured), len(response.content)
    return statistics.median(times), queries, size


def time_computation() -> tuple[float, object]:
    times, review = [], None
    for _run in range(RUNS):
        start = time.perf_counter()
        review = fairness_review(start_year=YEAR)
        times.append(time.perf_counter() - start)
    return statistics.median(times), review


def main() -> None:
    started = time.perf_counter()
    with throwaway_database():
        administrator = set_up()
        entries = Entry.objects.count()
        page_s, queries, size = time_page(administrator)
        compute_s, review = time_computation()
    flagged = sum(1 for group in review.by_party for line in group.lines if line.flagged)
    print(f"Whole bench {time.perf_counter() - started:.0f} s.")
    print(
        f"Review of {YEAR}-{YEAR + 1}: {PARTIES} parties, {len(review.pools)} pools, {entries:,} ledger entries; "
        f"{flagged} parties flagged across pools."
    )
    print(f"Computation alone: {compute_s:.3f} s. Page (tables, SVG charts, HTML of {size / 1e6:.1f} MB): {page_s:.3f} s.")
    print(f"review_s={page_s:.3f} queries={queries}")


if __name__ == "__main__":
    main()
