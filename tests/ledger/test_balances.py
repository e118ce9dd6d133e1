"""The balances the database keeps equal the sums of the entries, whoever posts and however."""

import threading
import uuid
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moneyed import Money

from config.database_roles import as_owner, owner_credentials
from ledger.balances import balances_rebuild
from ledger.models import (
    Account,
    AccountBalance,
    AccountDayMovement,
    AccountPeriodMovement,
    AccountType,
    Entry,
    FiscalPeriod,
    Party,
    Transaction,
    TransactionKind,
)
from ledger.selectors import account_balance, account_balances, party_balances
from ledger.services import Line, PostingRequest, transaction_post, transaction_reverse, transactions_post


BEFORE_BALANCES = ("ledger", "0012_account_balances")
KEPT_BALANCES = ("ledger", "0013_balances_kept_by_the_database")
KEPT_TABLES = ("ledger_accountbalance", "ledger_accountperiodmovement", "ledger_accountdaymovement")


def cad(amount: str | Decimal) -> Money:
    return Money(amount, "CAD")


def entry_sums() -> dict[int, Decimal]:
    return dict(Entry.objects.values("account").annotate(total=Sum("amount")).values_list("account", "total"))


def kept_sums() -> dict[int, Decimal]:
    return dict(AccountBalance.objects.values("account").annotate(total=Sum("amount")).values_list("account", "total"))


def entry_sums_as_of(day: date) -> dict[int, Decimal]:
    return dict(
        Entry.objects.filter(date__lte=day).values("account").annotate(total=Sum("amount")).values_list("account", "total")
    )


def kept_movements() -> tuple[dict[tuple[int, int], Decimal], dict[tuple[int, date], Decimal]]:
    years = AccountPeriodMovement.objects.values_list("account", "start_year").annotate(total=Sum("amount"))
    days = AccountDayMovement.objects.values_list("account", "day").annotate(total=Sum("amount"))
    return (
        {(account, year): total for account, year, total in years.values_list("account", "start_year", "total")},
        {(account, day): total for account, day, total in days.values_list("account", "day", "total")},
    )


def summed_movements() -> tuple[dict[tuple[int, int], Decimal], dict[tuple[int, date], Decimal]]:
    years: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    days: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    for account, day, amount in Entry.objects.values_list("account", "date", "amount"):
        years[account, FiscalPeriod.year_of(day)] += amount
        days[account, day] += amount
    return dict(years), dict(days)


def transfer(source: Account, target: Account, amount: str, key: str, day: date = date(2025, 6, 1)):
    return transaction_post(
        lines=[Line(account=source, amount=-cad(amount)), Line(account=target, amount=cad(amount))],
        date=day,
        kind=TransactionKind.ADJUSTMENT,
        idempotency_key=key,
    )


@pytest.fixture
def accounts(cash, party_account, other_party) -> list[Account]:
    other = Account.objects.create(code="P-TDR", name="Reçu", type=AccountType.INCOME, currency="CAD", party=other_party)
    envelope = Account.objects.create(code="SITE-ENV", name="Enveloppe", type=AccountType.ASSET, currency="CAD")
    return [cash, envelope, party_account, other]


POSTING = st.tuples(
    st.just("post"),
    st.integers(0, 3),
    st.integers(0, 3),
    st.integers(1, 1_000_000).map(lambda cents: Decimal(cents).scaleb(-2)),
    st.sampled_from([date(2024, 4, 1), date(2025, 3, 31), date(2025, 4, 1), date(2025, 6, 1), date(2026, 3, 31), date(2026, 7, 15)]),
)
YEAR_EDGES = [date(2024, 3, 31), date(2024, 4, 1), date(2025, 3, 31), date(2025, 4, 1), date(2026, 3, 31)]
AS_OF = st.lists(
    st.one_of(st.sampled_from(YEAR_EDGES), st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31))),
    min_size=1,
    max_size=6,
)
REVERSAL = st.tuples(st.just("reverse"), st.integers(0, 1_000))
DAILY_RUN = st.tuples(st.just("run"), st.lists(st.integers(1, 50_000).map(lambda cents: Decimal(cents).scaleb(-2)), min_size=1, max_size=30))


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.one_of(POSTING, REVERSAL, DAILY_RUN), min_size=1, max_size=12), as_of_days=AS_OF)
def test_kept_balances_equal_the_entries_after_postings_reversals_and_runs(accounts, steps, as_of_days):
    envelope, parties = accounts[1], accounts[2:]
    # Hypothesis runs every example against the same database, so keys must never repeat between examples.
    example = uuid.uuid4().hex
    for run_number, step in enumerate(steps):
        if step[0] == "post":
            _kind, source, target, amount, day = step
            if source != target:
                transfer(accounts[source], accounts[target], str(amount), f"prop:{example}:{run_number}", day)
        elif step[0] == "reverse":
            candidates = list(Transaction.objects.filter(reverses__isnull=True, reversed_by__isnull=True).exclude(kind=TransactionKind.REVERSAL))
            if candidates:
                transaction_reverse(original=candidates[step[1] % len(candidates)], date=date(2025, 7, 1))
        else:
            transactions_post(
                requests=[
                    PostingRequest(
                        lines=[Line(account=envelope, amount=-cad(amount)), Line(account=parties[n % 2], amount=cad(amount))],
                        date=date(2025, 9, 1),
                        kind=TransactionKind.DISBURSEMENT,
                        idempotency_key=f"prop:{example}:{run_number}:{n}",
                    )
                    for n, amount in enumerate(step[1])
                ]
            )
    summed = entry_sums()
    assert kept_sums() == summed
    for account in accounts:
        assert account_balance(account=account) == cad(summed.get(account.pk, Decimal("0.00")))
    assert account_balances(accounts=Account.objects.all()) == {
        account.pk: cad(summed.get(account.pk, Decimal("0.00"))) for account in Account.objects.all()
    }
    by_party: dict[int, Decimal] = defaultdict(Decimal)
    for account in accounts:
        if account.party_id is not None:
            by_party[account.party_id] += summed.get(account.pk, Decimal("0.00"))
    for party in Party.objects.all():
        posted = Entry.objects.filter(account__party=party).exists()
        assert party_balances(party=party) == ({"CAD": cad(by_party[party.pk])} if posted else {})

    assert kept_movements() == summed_movements()
    for day in as_of_days:
        summed = entry_sums_as_of(day)
        for account in accounts:
            assert account_balance(account=account, as_of=day) == cad(summed.get(account.pk, Decimal("0.00"))), day
        assert account_balances(accounts=Account.objects.all(), as_of=day) == {
            account.pk: cad(summed.get(account.pk, Decimal("0.00"))) for account in Account.objects.all()
        }
        for party in Party.objects.all():
            posted = Entry.objects.filter(account__party=party, date__lte=day).exists()
            total = sum((summed.get(account.pk, Decimal("0.00")) for account in accounts if account.party_id == party.pk), Decimal("0.00"))
            assert party_balances(party=party, as_of=day) == ({"CAD": cad(total)} if posted else {}), day


@pytest.mark.django_db
def test_a_balance_reads_a_bounded_handful_of_rows(cash, party_account, django_assert_num_queries):
    for number in range(40):
        transfer(cash, party_account, "1.25", f"rows:{number}")
    with django_assert_num_queries(1):
        assert account_balance(account=party_account) == cad("50.00")
    assert AccountBalance.objects.filter(account=party_account).count() <= 16


@pytest.mark.django_db
def test_a_balance_as_of_a_date_reads_one_year_of_days_in_one_query(cash, party_account, django_assert_num_queries):
    for number in range(40):
        transfer(cash, party_account, "1.25", f"days:{number}", date(2024, 4, 1) + timedelta(days=number * 20))
    assert AccountDayMovement.objects.filter(account=party_account).values("day").distinct().count() == 40
    with django_assert_num_queries(1):
        assert account_balance(account=party_account, as_of=date(2025, 6, 1)) == cad("27.50")
    with django_assert_num_queries(1):
        assert account_balance(account=party_account, as_of=date(2025, 3, 31)) == cad("23.75")
    assert AccountPeriodMovement.objects.filter(account=party_account).values("start_year").distinct().count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("table", "statement"),
    [
        ("ledger_accountbalance", "UPDATE ledger_accountbalance SET amount = amount + 1"),
        (
            "ledger_accountbalance",
            "INSERT INTO ledger_accountbalance (account_id, shard, amount, amount_currency) VALUES (%(account)s, 9, 1, 'CAD')",
        ),
        ("ledger_accountdaymovement", "UPDATE ledger_accountdaymovement SET amount = amount + 1"),
        (
            "ledger_accountdaymovement",
            "INSERT INTO ledger_accountdaymovement (account_id, day, shard, amount, amount_currency)"
            " VALUES (%(account)s, '2025-06-02', 9, 1, 'CAD')",
        ),
        ("ledger_accountperiodmovement", "UPDATE ledger_accountperiodmovement SET amount = amount + 1"),
        (
            "ledger_accountperiodmovement",
            "INSERT INTO ledger_accountperiodmovement (account_id, start_year, shard, amount, amount_currency)"
            " VALUES (%(account)s, 2024, 9, 1, 'CAD')",
        ),
    ],
)
def test_the_application_role_reads_balances_but_cannot_write_them(cash, party_account, table, statement):
    transfer(cash, party_account, "40.00", "guard:1")
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, {"account": party_account.pk})
    assert f'violates row-level security policy for table "{table}"' in str(error.value)
    assert account_balance(account=party_account) == cad("40.00")
    assert account_balance(account=party_account, as_of=date(2025, 6, 2)) == cad("40.00")


@pytest.mark.django_db
@pytest.mark.parametrize("table", KEPT_TABLES)
def test_the_application_role_deletes_no_balance(cash, party_account, table):
    transfer(cash, party_account, "40.00", "guard:2")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        assert cursor.rowcount == 0
    assert account_balance(account=party_account) == cad("40.00")
    assert account_balance(account=party_account, as_of=date(2025, 6, 1)) == cad("40.00")


@pytest.mark.django_db
def test_a_temporary_table_of_the_same_name_catches_no_balance(cash, party_account):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE ledger_accountbalance (LIKE public.ledger_accountbalance) ON COMMIT DROP")
        transfer(cash, party_account, "40.00", "shadow:1")
        cursor.execute("SELECT count(*) FROM pg_temp.ledger_accountbalance")
        assert cursor.fetchone() == (0,)
        cursor.execute("SELECT sum(amount) FROM public.ledger_accountbalance WHERE account_id = %s", [party_account.pk])
        assert cursor.fetchone() == (Decimal("40.00"),)


@pytest.mark.django_db
def test_a_refused_posting_leaves_the_balances_alone(cash, party_account):
    transfer(cash, party_account, "40.00", "refused:1")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_entry (transaction_id, account_id, amount, amount_currency, date) "
            "SELECT id, %s, 5, 'CAD', '2025-06-02' FROM ledger_transaction WHERE idempotency_key = 'refused:1'",
            [party_account.pk],
        )
    assert account_balance(account=party_account) == cad("40.00")


@pytest.mark.django_db(transaction=True)
def test_workers_posting_at_once_to_a_hot_account_lose_nothing(cash, accounts):
    workers, posts = 6, 15
    start = threading.Barrier(workers)
    errors: list[BaseException] = []

    def post(worker: int) -> None:
        try:
            start.wait()
            for number in range(posts):
                transfer(cash, accounts[1 + (number + worker) % 3], "0.07", f"hot:{worker}:{number}")
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(worker,)) for worker in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert account_balance(account=cash) == cad(Decimal("-0.07") * workers * posts)
    assert kept_sums() == entry_sums()
    assert kept_movements() == summed_movements()
    assert AccountBalance.objects.filter(account=cash).count() > 1
    assert AccountDayMovement.objects.filter(account=cash, day=date(2025, 6, 1)).count() > 1
    assert account_balance(account=cash, as_of=date(2025, 6, 1)) == cad(Decimal("-0.07") * workers * posts)


def corrupt_as_owner(account: Account, table: str, key: str, change: str) -> None:
    """Change one of the account's kept rows in ``table`` (its lowest share), as the owner may."""
    owner = owner_credentials()
    assert owner is not None
    with psycopg.connect(
        host=owner["HOST"], port=owner["PORT"], user=owner["USER"], password=owner["PASSWORD"] or None,
        dbname=connection.settings_dict["NAME"], autocommit=True,
    ) as owner_connection:
        owner_connection.execute(
            f"UPDATE {table} SET amount = amount + {change}"
            f" WHERE ({key}, shard) = (SELECT {key}, min(shard) FROM {table} WHERE account_id = %s GROUP BY {key})",
            [account.pk],
        )


@pytest.mark.django_db(transaction=True)
def test_the_rebuild_reports_a_wrong_balance_and_movements_and_mends_them(cash, party_account):
    transfer(cash, party_account, "40.00", "rebuild:1")
    transfer(cash, party_account, "2.50", "rebuild:2")
    corrupt_as_owner(party_account, "ledger_accountbalance", "account_id", "1")
    corrupt_as_owner(party_account, "ledger_accountperiodmovement", "account_id, start_year", "2")
    corrupt_as_owner(party_account, "ledger_accountdaymovement", "account_id, day", "-0.50")
    assert account_balance(account=party_account) == cad("43.50")
    assert account_balance(account=party_account, as_of=date(2025, 6, 1)) == cad("42.00")
    assert account_balance(account=party_account, as_of=date(2026, 3, 31)) == cad("44.50")

    stderr = StringIO()
    with pytest.raises(CommandError, match="3 kept balances or movements differed"):
        call_command("ledger_balances_rebuild", stdout=StringIO(), stderr=stderr)
    assert stderr.getvalue() == (
        f"account {party_account.pk} CAD: kept 43.50, entries 42.50\n"
        f"account {party_account.pk} CAD in 2025-2026: kept 44.50, entries 42.50\n"
        f"account {party_account.pk} CAD on 2025-06-01: kept 42.00, entries 42.50\n"
    )
    assert account_balance(account=party_account) == cad("42.50")
    assert account_balance(account=party_account, as_of=date(2025, 6, 1)) == cad("42.50")
    assert account_balance(account=party_account, as_of=date(2026, 3, 31)) == cad("42.50")
    assert kept_sums() == entry_sums()
    assert kept_movements() == summed_movements()

    stdout = StringIO()
    call_command("ledger_balances_rebuild", stdout=stdout, stderr=StringIO())
    assert stdout.getvalue() == "balances rebuilt; differences: 0\n"


@pytest.mark.django_db(transaction=True)
def test_the_rebuild_is_the_owners_alone(cash, party_account):
    transfer(cash, party_account, "40.00", "rebuild:app")
    with pytest.raises(DatabaseError, match="row-level security"):
        balances_rebuild()
    with as_owner():
        assert balances_rebuild() == []
    assert account_balance(account=party_account) == cad("40.00")


def migrate_as_owner(target: tuple[str, str] | None = None) -> None:
    """Migrate the ledger to ``target``, or every app to its latest migration.

    Going back in the ledger also unapplies the other apps' migrations that
    depend on it, so the way forward is every app's, not the ledger's alone.
    """
    with as_owner():
        executor = MigrationExecutor(connection)
        executor.migrate([target] if target else executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migrations_sum_the_existing_entries_and_go_back(cash, party_account):
    transfer(cash, party_account, "40.00", "migration:1")
    transfer(party_account, cash, "15.25", "migration:2", date(2026, 5, 1))
    try:
        migrate_as_owner(BEFORE_BALANCES)
        assert not AccountBalance.objects.exists()
        migrate_as_owner(KEPT_BALANCES)
        transfer(cash, party_account, "1.00", "migration:kept", date(2025, 7, 1))
        assert kept_sums() == {cash.pk: Decimal("-25.75"), party_account.pk: Decimal("25.75")}
    finally:
        migrate_as_owner()
    assert kept_sums() == {cash.pk: Decimal("-25.75"), party_account.pk: Decimal("25.75")}
    assert kept_movements() == summed_movements()
    transfer(cash, party_account, "0.75", "migration:3")
    assert account_balance(account=party_account) == cad("26.50")
    assert account_balance(account=party_account, as_of=date(2026, 4, 30)) == cad("41.75")
    with as_owner():
        assert balances_rebuild() == []


@pytest.mark.django_db(transaction=True)
def test_the_rebuild_finds_no_difference_on_the_demo():
    call_command("seed_demo", stdout=StringIO())
    assert Entry.objects.exists()
    stdout = StringIO()
    call_command("ledger_balances_rebuild", stdout=stdout, stderr=StringIO())
    assert stdout.getvalue() == "balances rebuilt; differences: 0\n"
    assert kept_sums() == entry_sums()
