"""Time the ledger against django-hordak 2.0: posting, and a balance over a long history.

Run from the project root with ``DATABASE_URL`` naming a PostgreSQL server
(``scripts/with-services --durable .venv/bin/python bench/ledger_post.py``).
The data of that database is left alone: the bench makes a throw-away
database with Django's test machinery, migrates it (our triggers and
hordak's are installed) and drops it at the end.

- Posting: 10,000 two-entry transactions through ``transaction_post`` and
  10,000 through hordak's ``Account.transfer_to``, each its own database
  transaction, from a site account to party accounts in turn. They run in
  interleaved rounds so that both meet the same server state; the figure of
  each is the median rate of its rounds.
- Balance: an account of ours with 1,000,000 entries and a hordak account
  with 1,000,000 legs, each loaded in SQL as 1,000,000 balanced
  transactions of two entries (one on the big account, one on a counter
  account). After ``VACUUM ANALYZE``, the median of 7 timed calls of
  ``account_balance`` and of hordak's ``Account.get_balance``, both checked
  against the total computed here.

The last line, ``posts_per_s=N hordak_posts_per_s=N ratio_vs_hordak=N
balance_ms=N hordak_balance_ms=N``, is for scripts to read.
"""

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_hordak"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db import transaction as db_transaction  # noqa: E402
from django.db.models import Model  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from hordak.models import Account as HordakAccount  # noqa: E402
from hordak.models import AccountType as HordakAccountType  # noqa: E402
from hordak.models import Leg as HordakLeg  # noqa: E402
from hordak.models import Transaction as HordakTransaction  # noqa: E402
from moneyed import Money  # noqa: E402

from ledger.models import (  # noqa: E402
    Account,
    AccountType,
    Entry,
    FiscalPeriod,
    Party,
    PartyKind,
    Sector,
    TransactionKind,
)
from ledger.models import Transaction as LedgerTransaction  # noqa: E402
from ledger.selectors import account_balance  # noqa: E402
from ledger.services import Line, transaction_post  # noqa: E402

CURRENCY = "CAD"
PARTIES = 4
WARM_UP_POSTS = 50
ROUNDS = 5
POSTS_PER_ROUND = 2_000
POST_DATE = date(2025, 6, 16)
BIG_ENTRIES = 1_000_000
BIG_START = date(2024, 4, 1)  # the loaded history spans fiscal year 2024-2025, one day in 365
BALANCE_RUNS = 7


def cents(i: int) -> Decimal:
    """A varied amount, from 0.01 to 10.00: the same for both ledgers."""
    return Decimal((i % 1000) + 1).scaleb(-2)


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def column(model: type[Model], field: str) -> str:
    return q(model._meta.get_field(field).column)


def insert_select(model: type[Model], values: dict[str, str], source: str, *, with_pk: bool) -> str:
    """``INSERT INTO <table> (...) SELECT ... <source>``, its columns read from the model.

    ``values`` maps every concrete field name to an SQL expression, so that
    a column added by a later migration makes the bench fail loudly rather
    than load rows that the application could not have written.
    """
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    missing = {f.name for f in fields} ^ set(values)
    if missing:
        raise RuntimeError(f"{model._meta.label}: no bulk value for, or unknown field, {sorted(missing)}")
    columns = ", ".join(q(f.column) for f in fields)
    expressions = ", ".join(values[f.name] for f in fields)
    return f"INSERT INTO {q(model._meta.db_table)} ({columns}) SELECT {expressions} {source}"


def next_id(cursor, model: type[Model]) -> int:
    cursor.execute(f"SELECT COALESCE(max({q(model._meta.pk.column)}), 0) FROM {q(model._meta.db_table)}")
    return cursor.fetchone()[0]


def move_sequence(cursor, model: type[Model], last: int) -> None:
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, %s), %s)", [model._meta.db_table, model._meta.pk.column, last]
    )


def median_ms(work: Callable[[], object], runs: int = BALANCE_RUNS) -> float:
    work()  # warm-up: plans, caches
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


# --- posting ---------------------------------------------------------------------------------------


def our_accounts() -> tuple[Account, list[Account]]:
    site = Account.objects.create(code="bench:site", name="Bench site", type=AccountType.ASSET, currency=CURRENCY)
    parties = []
    for i in range(PARTIES):
        party = Party.objects.create(name=f"Bench party {i}", kind=PartyKind.OTHER, sector=Sector.REGIONAL)
        parties.append(
            Account.objects.create(
                code=f"bench:party:{i}", name=f"Bench party {i}", party=party, type=AccountType.LIABILITY,
                currency=CURRENCY,
            )
        )
    return site, parties


def hordak_accounts() -> tuple[HordakAccount, list[HordakAccount]]:
    site = HordakAccount.objects.create(name="Bench site", code="1", type=HordakAccountType.asset)
    parties = [
        HordakAccount.objects.create(name=f"Bench party {i}", code=str(2 + i), type=HordakAccountType.liability)
        for i in range(PARTIES)
    ]
    return site, parties


def time_posting() -> tuple[list[float], list[float], int, int]:
    site, parties = our_accounts()
    hordak_site, hordak_parties = hordak_accounts()

    def ours(i: int) -> None:
        amount = Money(cents(i), CURRENCY)
        _txn, created = transaction_post(
            lines=[Line(site, -amount), Line(parties[i % PARTIES], amount)],
            date=POST_DATE,
            kind=TransactionKind.DISBURSEMENT,
            idempotency_key=f"bench:post:{i}",
            memo="Bench posting",
        )
        assert created

    def theirs(i: int) -> None:
        hordak_site.transfer_to(
            hordak_parties[i % PARTIES], Money(cents(i), CURRENCY), date=POST_DATE, description="Bench posting"
        )

    assert connection.get_autocommit() and not connection.in_atomic_block
    n = 0
    for _ in range(WARM_UP_POSTS):
        ours(n)
        theirs(n)
        n += 1
    with CaptureQueriesContext(connection) as our_queries:
        ours(n)
    with CaptureQueriesContext(connection) as their_queries:
        theirs(n)
    n += 1

    def run(post: Callable[[int], None], first: int) -> float:
        start = time.perf_counter()
        for i in range(first, first + POSTS_PER_ROUND):
            post(i)
        return POSTS_PER_ROUND / (time.perf_counter() - start)

    our_rates, their_rates = [], []
    for round_ in range(ROUNDS):
        order = [(ours, our_rates), (theirs, their_rates)]
        if round_ % 2:
            order.reverse()
        for post, rates in order:
            rates.append(run(post, n))
        n += POSTS_PER_ROUND

    # Both ledgers must hold what was posted, or the rates mean nothing.
    expected = sum(cents(i) for i in range(n))
    assert LedgerTransaction.objects.filter(idempotency_key__startswith="bench:post:").count() == n
    assert account_balance(account=site) == Money(-expected, CURRENCY), account_balance(account=site)
    assert HordakTransaction.objects.count() == n
    assert hordak_site.get_balance() == Money(-expected, CURRENCY), hordak_site.get_balance()
    return our_rates, their_rates, len(our_queries), len(their_queries)


# --- balance over a long history -----------------------------------------------------------------


def load_ours(cursor, n: int) -> Account:
    big = Account.objects.create(code="bench:big", name="Bench big", type=AccountType.ASSET, currency=CURRENCY)
    counter = Account.objects.create(
        code="bench:big-counter", name="Bench big counter", type=AccountType.ASSET, currency=CURRENCY
    )
    period, _created = FiscalPeriod.objects.get_or_create(start_year=FiscalPeriod.year_of(BIG_START))
    base = next_id(cursor, LedgerTransaction)
    day = f"DATE '{BIG_START.isoformat()}' + (g % 365)"
    cursor.execute(
        insert_select(
            LedgerTransaction,
            {
                "id": f"{base} + g",
                "date": day,
                "period": str(period.pk),
                "kind": f"'{TransactionKind.ADJUSTMENT.value}'",
                "memo": "''",
                "idempotency_key": "'bench:bulk:' || g",
                "request_hash": "md5(g::text) || md5(g::text)",
                "posted_at": "now()",
                "posted_by": "NULL",
                "reverses": "NULL",
            },
            f"FROM generate_series(1, {n}) AS g",
            with_pk=True,
        )
    )
    move_sequence(cursor, LedgerTransaction, base + n)
    cursor.execute(
        insert_select(
            Entry,
            {
                "transaction": f"{base} + g",
                "account": f"CASE WHEN side = 1 THEN {big.pk} ELSE {counter.pk} END",
                "amount": "side * ((g % 1000) + 1)::numeric / 100",
                "amount_currency": f"'{CURRENCY}'",
                "date": day,
            },
            f"FROM generate_series(1, {n}) AS g CROSS JOIN (VALUES (1), (-1)) AS sides(side)",
            with_pk=False,
        )
    )
    return big


def load_hordak(cursor, n: int) -> HordakAccount:
    big = HordakAccount.objects.create(name="Bench big", code="8", type=HordakAccountType.asset)
    counter = HordakAccount.objects.create(name="Bench big counter", code="9", type=HordakAccountType.asset)
    base = next_id(cursor, HordakTransaction)
    cursor.execute(
        insert_select(
            HordakTransaction,
            {
                "id": f"{base} + g",
                "uuid": "gen_random_uuid()",
                "timestamp": "now()",
                "date": f"DATE '{BIG_START.isoformat()}' + (g % 365)",
                "description": "''",
            },
            f"FROM generate_series(1, {n}) AS g",
            with_pk=True,
        )
    )
    move_sequence(cursor, HordakTransaction, base + n)
    # The big asset account is debited (its balance grows), the counter credited.
    amount = "((g % 1000) + 1)::numeric / 100"
    cursor.execute(
        insert_select(
            HordakLeg,
            {
                "uuid": "gen_random_uuid()",
                "transaction": f"{base} + g",
                "account": f"CASE WHEN side = 1 THEN {big.pk} ELSE {counter.pk} END",
                "currency": f"'{CURRENCY}'",
                "debit": f"CASE WHEN side = 1 THEN {amount} END",
                "credit": f"CASE WHEN side = -1 THEN {amount} END",
                "description": "''",
            },
            f"FROM generate_series(1, {n}) AS g CROSS JOIN (VALUES (1), (-1)) AS sides(side)",
            with_pk=False,
        )
    )
    return big


def time_balance() -> tuple[float, float, float]:
    start = time.perf_counter()
    with db_transaction.atomic(), connection.cursor() as cursor:
        # Row triggers (the checks of both ledgers, and the foreign keys) do not
        # fire for replica sessions; SET LOCAL ends with this transaction.
        cursor.execute("SET LOCAL session_replication_role = replica")
        big = load_ours(cursor, BIG_ENTRIES)
        hordak_big = load_hordak(cursor, BIG_ENTRIES)
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
        # VACUUM cannot run in a transaction block: the connection is in autocommit here.
        for model in (LedgerTransaction, Entry, Account, HordakTransaction, HordakLeg, HordakAccount):
            cursor.execute(f"VACUUM ANALYZE {q(model._meta.db_table)}")
    load_s = time.perf_counter() - start

    expected = Money(sum(cents(g) for g in range(1, BIG_ENTRIES + 1)), CURRENCY)
    got = account_balance(account=big)
    assert got == expected, f"our balance {got} != {expected}"
    got = hordak_big.get_balance()
    assert got == expected, f"hordak balance {got} != {expected}"
    assert Entry.objects.filter(account=big).count() == BIG_ENTRIES
    assert HordakLeg.objects.filter(account=hordak_big).count() == BIG_ENTRIES

    ours_ms = median_ms(lambda: account_balance(account=big))
    theirs_ms = median_ms(lambda: hordak_big.get_balance())
    return ours_ms, theirs_ms, load_s


def main() -> None:
    started = time.perf_counter()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        migrated_s = time.perf_counter() - started
        rates, hordak_rates, queries, hordak_queries = time_posting()
        balance_ms, hordak_balance_ms, load_s = time_balance()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    rate, hordak_rate = statistics.median(rates), statistics.median(hordak_rates)
    ratio = rate / hordak_rate
    print(f"Throw-away database migrated in {migrated_s:.1f} s; whole bench {time.perf_counter() - started:.0f} s.")
    print(
        f"Posting, {ROUNDS} rounds of {POSTS_PER_ROUND:,} two-entry transactions each, one database "
        f"transaction per post, median round:"
    )
    print(
        f"  ours   {rate:,.0f} posts/s ({queries} statements a post with BEGIN and COMMIT; "
        f"rounds: {', '.join(f'{r:.0f}' for r in rates)})"
    )
    print(
        f"  hordak {hordak_rate:,.0f} posts/s ({hordak_queries} statements a post with BEGIN and COMMIT; "
        f"rounds: {', '.join(f'{r:.0f}' for r in hordak_rates)})"
    )
    print(f"  ours / hordak = {ratio:.2f} (goal: at least 1)")
    print(
        f"Balance of one account over {BIG_ENTRIES:,} entries (loaded and vacuumed in {load_s:.0f} s), "
        f"median of {BALANCE_RUNS} calls:"
    )
    print(f"  ours   account_balance()      {balance_ms:.1f} ms")
    print(f"  hordak Account.get_balance()  {hordak_balance_ms:.1f} ms")
    print(
        f"posts_per_s={rate:.0f} hordak_posts_per_s={hordak_rate:.0f} ratio_vs_hordak={ratio:.2f} "
        f"balance_ms={balance_ms:.1f} hordak_balance_ms={hordak_balance_ms:.1f}"
    )


if __name__ == "__main__":
    main()
