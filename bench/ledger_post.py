"""Time the ledger's posting and balances against django-hordak 2.0 and against a raw insert of the same rows.

Run from the project root with ``DATABASE_URL`` (and ``DATABASE_OWNER_URL``)
naming a PostgreSQL server (``scripts/with-services --durable
.venv/bin/python bench/ledger_post.py``). The data of that database is left
alone: the bench makes a throw-away database, migrated by the owner role
(our triggers and hordak's are installed), times everything as the
application role, and drops it at the end.

- Posting: two-entry transactions through ``transaction_post``, through
  hordak's ``Account.transfer_to`` and through the raw reference, each its
  own durable database transaction, from a site account to party accounts in
  turn. They run in interleaved rounds so that all three meet the same
  server state; the figure of each is the median rate of its rounds.
- The raw reference: psycopg without the ORM, into two tables made ``LIKE``
  ours ``INCLUDING ALL`` (the same columns, defaults, checks and indexes,
  the unique key among them) but no trigger and no foreign key: ``BEGIN``;
  ``INSERT`` the transaction row ``RETURNING id``; ``INSERT`` its two
  entries in one statement; ``COMMIT``. ``ratio_vs_raw`` is our rate over
  its rate: what the ledger's guarantees cost over writing the rows blind.
- Concurrent posting: 8 processes post at once, 4 of them from one envelope
  account (the hot account of most postings), 4 between accounts of their
  own; the total rate and the rate of each half, against the single rate.
- Balance: an account of ours with 1,000,000 entries and one with 1,000, a
  hordak account with 1,000,000 legs, loaded in SQL as balanced
  transactions of two entries (one on the measured account, one on a
  counter account; ours in 16 database transactions, so that the kept
  balance is spread over its shares as busy posting would spread it). After
  ``VACUUM ANALYZE``, the median of 7 timed calls of ``account_balance`` and
  of hordak's ``Account.get_balance``, each checked against the total
  computed here; beside them, for scale, the median of a query that reads
  nothing (``SELECT 1``).
- Balance as of a date: the same accounts' ``account_balance(as_of=...)`` on
  the last day but one of the loaded fiscal year, the most days a date
  reads (its year's opening balance and 364 days of kept movements, each day
  spread over the shares like the balance), median of 7 calls, checked
  against the total computed here.

The last line, ``posts_per_s=N hordak_posts_per_s=N ratio_vs_hordak=N
ratio_vs_raw=N balance_ms=N hordak_balance_ms=N balance_ms_1k=N
concurrent_posts_per_s=N as_of_ms=N``, is for scripts to read.
"""

import multiprocessing
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

import psycopg  # noqa: E402
from django.db import connection  # noqa: E402
from django.db import transaction as db_transaction  # noqa: E402
from django.db.models import Model  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from hordak.models import Account as HordakAccount  # noqa: E402
from hordak.models import AccountType as HordakAccountType  # noqa: E402
from hordak.models import Leg as HordakLeg  # noqa: E402
from hordak.models import Transaction as HordakTransaction  # noqa: E402
from moneyed import Money  # noqa: E402

from bench import ledger_bulk_load, throwaway_database  # noqa: E402
from config.database_roles import as_owner  # noqa: E402
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
POSTS_PER_ROUND = 1_000
POST_DATE = date(2025, 6, 16)
FISCAL_YEARS = (2024, 2025)
BIG_ENTRIES = 1_000_000
SMALL_ENTRIES = 1_000
LOAD_TRANSACTIONS = 16  # as many as the shares of a kept balance
BIG_START = date(2024, 4, 1)  # the loaded history spans fiscal year 2024-2025, one day in 365
AS_OF = date(2025, 3, 30)  # the loaded year's last day but one: the most days a balance as of a date reads
BALANCE_RUNS = 7
WORKERS = 8
POSTS_PER_WORKER = 400
RAW_TRANSACTION = "bench_raw_transaction"
RAW_ENTRY = "bench_raw_entry"
RAW_STATEMENTS = 4  # BEGIN, INSERT the transaction, INSERT its entries, COMMIT


def cents(i: int) -> Decimal:
    """A varied amount, from 0.01 to 10.00: the same for every ledger."""
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


def psycopg_connect() -> psycopg.Connection:
    """A plain psycopg connection to the bench's database, as the role the bench runs as."""
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"], password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
    )


# --- posting ---------------------------------------------------------------------------------------


def our_accounts(prefix: str) -> tuple[Account, list[Account]]:
    site = Account.objects.create(code=f"{prefix}:site", name="Bench site", type=AccountType.ASSET, currency=CURRENCY)
    parties = []
    for i in range(PARTIES):
        party = Party.objects.create(name=f"Bench party {prefix} {i}", kind=PartyKind.OTHER, sector=Sector.REGIONAL)
        parties.append(
            Account.objects.create(
                code=f"{prefix}:party:{i}", name=f"Bench party {i}", party=party, type=AccountType.LIABILITY,
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


def raw_tables_create() -> None:
    """Tables of our columns, defaults, checks and indexes, without triggers or foreign keys (made by the owner)."""
    with as_owner(), connection.cursor() as cursor:
        for raw, model in ((RAW_TRANSACTION, LedgerTransaction), (RAW_ENTRY, Entry)):
            cursor.execute(f"CREATE TABLE {q(raw)} (LIKE {q(model._meta.db_table)} INCLUDING ALL)")


def post_ours(site: Account, parties: list[Account], key: str, i: int) -> None:
    amount = Money(cents(i), CURRENCY)
    _txn, created = transaction_post(
        lines=[Line(site, -amount), Line(parties[i % PARTIES], amount)],
        date=POST_DATE,
        kind=TransactionKind.DISBURSEMENT,
        idempotency_key=f"{key}:{i}",
        memo="Bench posting",
    )
    assert created


def time_posting() -> tuple[dict[str, list[float]], int, int]:
    site, parties = our_accounts("bench")
    hordak_site, hordak_parties = hordak_accounts()
    raw_tables_create()
    raw = psycopg_connect()
    transaction_columns = (
        f"{column(LedgerTransaction, 'date')}, {column(LedgerTransaction, 'period')}, {column(LedgerTransaction, 'kind')}, "
        f"{column(LedgerTransaction, 'memo')}, {column(LedgerTransaction, 'idempotency_key')}, "
        f"{column(LedgerTransaction, 'request_hash')}, {column(LedgerTransaction, 'posted_at')}"
    )
    entry_columns = ", ".join(column(Entry, name) for name in ("transaction", "account", "amount", "amount_currency", "date"))
    period = FiscalPeriod.year_of(POST_DATE)

    def ours(i: int) -> None:
        post_ours(site, parties, "bench:post", i)

    def theirs(i: int) -> None:
        hordak_site.transfer_to(
            hordak_parties[i % PARTIES], Money(cents(i), CURRENCY), date=POST_DATE, description="Bench posting"
        )

    def blind(i: int) -> None:
        amount = cents(i)
        with raw.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {q(RAW_TRANSACTION)} ({transaction_columns}) VALUES (%s, %s, %s, %s, %s, %s, now()) RETURNING id",
                [POST_DATE, period, TransactionKind.DISBURSEMENT.value, "Bench posting", f"raw:post:{i}", "0" * 64],
            )
            txn_id = cursor.fetchone()[0]
            cursor.execute(
                f"INSERT INTO {q(RAW_ENTRY)} ({entry_columns}) VALUES (%s, %s, %s, %s, %s), (%s, %s, %s, %s, %s)",
                [txn_id, site.pk, -amount, CURRENCY, POST_DATE, txn_id, parties[i % PARTIES].pk, amount, CURRENCY, POST_DATE],
            )
        raw.commit()

    assert connection.get_autocommit() and not connection.in_atomic_block
    n = 0
    for _ in range(WARM_UP_POSTS):
        ours(n)
        theirs(n)
        blind(n)
        n += 1
    with CaptureQueriesContext(connection) as our_queries:
        ours(n)
    with CaptureQueriesContext(connection) as their_queries:
        theirs(n)
    blind(n)
    n += 1

    def run(post: Callable[[int], None], first: int) -> float:
        start = time.perf_counter()
        for i in range(first, first + POSTS_PER_ROUND):
            post(i)
        return POSTS_PER_ROUND / (time.perf_counter() - start)

    rates: dict[str, list[float]] = {"ours": [], "hordak": [], "raw": []}
    posters = {"ours": ours, "hordak": theirs, "raw": blind}
    for round_ in range(ROUNDS):
        order = list(posters)
        order = order[round_ % 3 :] + order[: round_ % 3]
        for name in order:
            rates[name].append(run(posters[name], n))
        n += POSTS_PER_ROUND
    raw.close()

    # Every ledger must hold what was posted, or the rates mean nothing.
    expected = sum(cents(i) for i in range(n))
    assert LedgerTransaction.objects.filter(idempotency_key__startswith="bench:post:").count() == n
    assert account_balance(account=site) == Money(-expected, CURRENCY), account_balance(account=site)
    assert HordakTransaction.objects.count() == n
    assert hordak_site.get_balance() == Money(-expected, CURRENCY), hordak_site.get_balance()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), sum(amount) FILTER (WHERE amount > 0) FROM {q(RAW_ENTRY)}")
        assert cursor.fetchone() == (2 * n, expected)
    return rates, len(our_queries), len(their_queries)


# --- concurrent posting ----------------------------------------------------------------------------


def worker(number: int, site: Account, parties: list[Account], start, results) -> None:
    connection.close()  # the parent's connection is not shared: this process opens its own
    start.wait()
    began = time.perf_counter()
    for i in range(POSTS_PER_WORKER):
        post_ours(site, parties, f"bench:concurrent:{number}", i)
    results.put((number, began, time.perf_counter()))
    connection.close()


def time_concurrent() -> tuple[float, float, float]:
    """Total posts a second of the 8 workers, then of the envelope's half and of the other half."""
    envelope, envelope_parties = our_accounts("bench:envelope")
    own = [our_accounts(f"bench:own:{n}") for n in range(WORKERS // 2)]
    assignments = [(envelope, envelope_parties)] * (WORKERS // 2) + own
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(WORKERS), context.Queue()
    connection.close()
    processes = [
        context.Process(target=worker, args=(number, site, parties, start, results))
        for number, (site, parties) in enumerate(assignments)
    ]
    for process in processes:
        process.start()
    finished = [results.get() for _ in processes]
    for process in processes:
        process.join()
        assert process.exitcode == 0, f"a worker failed: {process.exitcode}"

    def rate(numbers: range) -> float:
        times = [(began, ended) for number, began, ended in finished if number in numbers]
        return len(times) * POSTS_PER_WORKER / (max(ended for _, ended in times) - min(began for began, _ in times))

    envelope_total = sum(cents(i) for i in range(POSTS_PER_WORKER)) * (WORKERS // 2)
    assert account_balance(account=envelope) == Money(-envelope_total, CURRENCY), account_balance(account=envelope)
    return rate(range(WORKERS)), rate(range(WORKERS // 2)), rate(range(WORKERS // 2, WORKERS))


# --- balance over a long history -----------------------------------------------------------------


def load_ours(code: str, n: int) -> Account:
    """An account with ``n`` entries, loaded in ``LOAD_TRANSACTIONS`` database transactions of the owner."""
    measured = Account.objects.create(code=code, name="Bench history", type=AccountType.ASSET, currency=CURRENCY)
    counter = Account.objects.create(code=f"{code}-counter", name="Bench counter", type=AccountType.ASSET, currency=CURRENCY)
    period = FiscalPeriod.year_of(BIG_START)
    step = -(-n // LOAD_TRANSACTIONS)
    for first in range(1, n + 1, step):
        last = min(first + step - 1, n)
        with ledger_bulk_load() as cursor:
            base = next_id(cursor, LedgerTransaction)
            day = f"DATE '{BIG_START.isoformat()}' + (g % 365)"
            cursor.execute(
                insert_select(
                    LedgerTransaction,
                    {
                        "id": f"{base} + g",
                        "date": day,
                        "period": str(period),
                        "kind": f"'{TransactionKind.ADJUSTMENT.value}'",
                        "memo": "''",
                        "idempotency_key": f"'{code}:' || g",
                        "request_hash": "md5(g::text) || md5(g::text)",
                        "posted_at": "now()",
                        "posted_by": "NULL",
                        "reverses": "NULL",
                    },
                    f"FROM generate_series({first}, {last}) AS g",
                    with_pk=True,
                )
            )
            move_sequence(cursor, LedgerTransaction, base + last)
            cursor.execute(
                insert_select(
                    Entry,
                    {
                        "transaction": f"{base} + g",
                        "account": f"CASE WHEN side = 1 THEN {measured.pk} ELSE {counter.pk} END",
                        "amount": "side * ((g % 1000) + 1)::numeric / 100",
                        "amount_currency": f"'{CURRENCY}'",
                        "date": day,
                    },
                    f"FROM generate_series({first}, {last}) AS g CROSS JOIN (VALUES (1), (-1)) AS sides(side)",
                    with_pk=False,
                )
            )
    return measured


def load_hordak(n: int) -> HordakAccount:
    big = HordakAccount.objects.create(name="Bench big", code="8", type=HordakAccountType.asset)
    counter = HordakAccount.objects.create(name="Bench big counter", code="9", type=HordakAccountType.asset)
    tables = [q(HordakTransaction._meta.db_table), q(HordakLeg._meta.db_table)]
    # The legs balance by construction: hordak's own triggers are off while they load, as ours are.
    with as_owner(), db_transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
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
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    return big


def select_one() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def loaded_through(day: date, n: int) -> Money:
    """The balance, at the end of ``day``, of an account loaded with ``n`` entries by :func:`load_ours`."""
    last = (day - BIG_START).days
    return Money(sum(cents(g) for g in range(1, n + 1) if g % 365 <= last), CURRENCY)


def time_balance() -> tuple[float, float, float, float, float, float, float]:
    start = time.perf_counter()
    big = load_ours("bench:big", BIG_ENTRIES)
    small = load_ours("bench:small", SMALL_ENTRIES)
    hordak_big = load_hordak(BIG_ENTRIES)
    with as_owner(), connection.cursor() as cursor:
        # VACUUM cannot run in a transaction block: the connection is in autocommit here.
        cursor.execute("VACUUM ANALYZE")
    load_s = time.perf_counter() - start

    for account, n in ((big, BIG_ENTRIES), (small, SMALL_ENTRIES)):
        expected = Money(sum(cents(g) for g in range(1, n + 1)), CURRENCY)
        got = account_balance(account=account)
        assert got == expected, f"our balance {got} != {expected}"
        assert Entry.objects.filter(account=account).count() == n
    got = hordak_big.get_balance()
    assert got == account_balance(account=big), f"hordak balance {got} != {account_balance(account=big)}"
    assert HordakLeg.objects.filter(account=hordak_big).count() == BIG_ENTRIES

    for account, n in ((big, BIG_ENTRIES), (small, SMALL_ENTRIES)):
        got = account_balance(account=account, as_of=AS_OF)
        assert got == loaded_through(AS_OF, n), f"our balance as of {AS_OF} {got} != {loaded_through(AS_OF, n)}"

    ours_ms = median_ms(lambda: account_balance(account=big))
    ours_1k_ms = median_ms(lambda: account_balance(account=small))
    theirs_ms = median_ms(lambda: hordak_big.get_balance())
    as_of_ms = median_ms(lambda: account_balance(account=big, as_of=AS_OF))
    as_of_1k_ms = median_ms(lambda: account_balance(account=small, as_of=AS_OF))
    return ours_ms, ours_1k_ms, theirs_ms, median_ms(select_one), load_s, as_of_ms, as_of_1k_ms


def main() -> None:
    started = time.perf_counter()
    with throwaway_database():
        migrated_s = time.perf_counter() - started
        FiscalPeriod.objects.bulk_create([FiscalPeriod(start_year=year) for year in FISCAL_YEARS])
        rates, queries, hordak_queries = time_posting()
        concurrent, envelope_half, own_half = time_concurrent()
        balance_ms, balance_1k_ms, hordak_balance_ms, select_one_ms, load_s, as_of_ms, as_of_1k_ms = time_balance()
    rate, hordak_rate, raw_rate = (statistics.median(rates[name]) for name in ("ours", "hordak", "raw"))
    ratio, raw_ratio = rate / hordak_rate, rate / raw_rate
    print(f"Throw-away database migrated in {migrated_s:.1f} s; whole bench {time.perf_counter() - started:.0f} s.")
    print(
        f"Posting, {ROUNDS} rounds of {POSTS_PER_ROUND:,} two-entry transactions each, one durable database "
        f"transaction per post, median round:"
    )
    for name, figure, statements in (
        ("ours  ", rate, queries),
        ("hordak", hordak_rate, hordak_queries),
        ("raw   ", raw_rate, RAW_STATEMENTS),
    ):
        rounds = ", ".join(f"{r:.0f}" for r in rates[name.strip()])
        print(f"  {name} {figure:,.0f} posts/s ({statements} statements a post with BEGIN and COMMIT; rounds: {rounds})")
    print(f"  ours / hordak = {ratio:.2f}; ours / raw = {raw_ratio:.2f} (goal: at least 0.8)")
    print(
        f"Concurrent posting, {WORKERS} processes of {POSTS_PER_WORKER} posts, half of them from one envelope account: "
        f"{concurrent:,.0f} posts/s in all ({concurrent / rate:.2f}× one process; goal: at least 2×); "
        f"the envelope's half {envelope_half:,.0f}/s ({envelope_half / rate:.2f}×), "
        f"the other half {own_half:,.0f}/s ({own_half / rate:.2f}×)."
    )
    print(f"Balance of one account, median of {BALANCE_RUNS} calls (histories loaded and vacuumed in {load_s:.0f} s):")
    print(f"  ours   account_balance(), {BIG_ENTRIES:,} entries  {balance_ms:.2f} ms")
    print(f"  ours   account_balance(), {SMALL_ENTRIES:,} entries      {balance_1k_ms:.2f} ms ({balance_ms / balance_1k_ms:.2f}× apart)")
    print(f"  hordak Account.get_balance(), {BIG_ENTRIES:,} legs {hordak_balance_ms:.1f} ms")
    print(f"  for scale, a query of nothing (SELECT 1)      {select_one_ms:.2f} ms")
    print(f"  ours   account_balance(as_of={AS_OF}), {BIG_ENTRIES:,} entries  {as_of_ms:.2f} ms")
    print(f"  ours   account_balance(as_of={AS_OF}), {SMALL_ENTRIES:,} entries      {as_of_1k_ms:.2f} ms")
    print(
        f"posts_per_s={rate:.0f} hordak_posts_per_s={hordak_rate:.0f} ratio_vs_hordak={ratio:.2f} "
        f"ratio_vs_raw={raw_ratio:.2f} balance_ms={balance_ms:.2f} hordak_balance_ms={hordak_balance_ms:.1f} "
        f"balance_ms_1k={balance_1k_ms:.2f} concurrent_posts_per_s={concurrent:.0f} as_of_ms={as_of_ms:.2f}"
    )


if __name__ == "__main__":
    main()
