"""PostgreSQL holds the ledger's invariants even against raw SQL."""

from datetime import date

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction
from moneyed import Money

from config.database_roles import owner_credentials
from ledger.models import Entry, FiscalPeriod, Transaction, TransactionKind
from ledger.services import Line, transaction_post



def posted(cash, party_account):
    txn, _ = transaction_post(
        lines=[Line(account=cash, amount=Money("-40.00", "CAD")), Line(account=party_account, amount=Money("40.00", "CAD"))],
        date=date(2025, 6, 1),
        kind=TransactionKind.ADJUSTMENT,
        idempotency_key="raw:1",
    )
    return txn


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def refused(statement: str, params=(), *, deferred: bool = False) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        sql(statement, params)
        if deferred:
            sql("SET CONSTRAINTS ALL IMMEDIATE")
    return str(error.value)


def insert_transaction(key: str, day: str = "2025-06-01", period: int = 2025) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_transaction (date, period_id, kind, memo, idempotency_key, request_hash, posted_at) "
            "VALUES (%s, %s, 'adjustment', '', %s, '', now()) RETURNING id",
            [day, period, key],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_posted_entries_cannot_be_updated_or_deleted(cash, party_account):
    txn = posted(cash, party_account)
    assert "immutable" in refused("UPDATE ledger_entry SET amount = 0 WHERE transaction_id = %s", [txn.pk])
    assert "immutable" in refused("DELETE FROM ledger_entry WHERE transaction_id = %s", [txn.pk])
    assert "immutable" in refused("UPDATE ledger_transaction SET memo = 'x' WHERE id = %s", [txn.pk])
    assert "immutable" in refused("DELETE FROM ledger_transaction WHERE id = %s", [txn.pk])
    assert sorted(Entry.objects.filter(transaction=txn).values_list("amount", flat=True)) == [-40, 40]


@pytest.mark.django_db
def test_an_unbalanced_transaction_is_refused_by_the_database(cash, party_account):
    FiscalPeriod.objects.get_or_create(start_year=2025)
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        txn_id = insert_transaction("raw:unbalanced")
        sql(
            "INSERT INTO ledger_entry (transaction_id, account_id, amount, amount_currency, date) "
            "VALUES (%s, %s, -10, 'CAD', '2025-06-01'), (%s, %s, 9, 'CAD', '2025-06-01')",
            [txn_id, cash.pk, txn_id, party_account.pk],
        )
        sql("SET CONSTRAINTS ALL IMMEDIATE")
    assert "does not balance in CAD" in str(error.value)
    assert not Transaction.objects.exists()


@pytest.mark.django_db
def test_a_transaction_needs_two_entries_in_the_database(cash):
    FiscalPeriod.objects.get_or_create(start_year=2025)
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        insert_transaction("raw:empty")
        sql("SET CONSTRAINTS ALL IMMEDIATE")
    assert "needs at least two" in str(error.value)


@pytest.mark.django_db
def test_an_unbalancing_entry_cannot_be_added_to_a_posted_transaction(cash, party_account):
    txn = posted(cash, party_account)
    message = refused(
        "INSERT INTO ledger_entry (transaction_id, account_id, amount, amount_currency, date) "
        "VALUES (%s, %s, 5, 'CAD', '2025-06-01')",
        [txn.pk, cash.pk],
        deferred=True,
    )
    assert "does not balance" in message


@pytest.mark.django_db
def test_an_entry_must_be_in_its_account_currency_and_on_its_transaction_date(cash, party_account):
    txn = posted(cash, party_account)
    entry = "INSERT INTO ledger_entry (transaction_id, account_id, amount, amount_currency, date) VALUES (%s, %s, %s, %s, %s)"
    assert "kept in CAD" in refused(entry, [txn.pk, cash.pk, 5, "USD", "2025-06-01"])
    assert "dated" in refused(entry, [txn.pk, cash.pk, 5, "CAD", "2025-06-02"])


@pytest.mark.django_db
def test_the_database_refuses_a_closed_or_wrong_period():
    FiscalPeriod.objects.filter(start_year=2024).update(is_closed=True, closed_at="2025-05-01T00:00Z")
    FiscalPeriod.objects.get_or_create(start_year=2025)
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        insert_transaction("raw:closed", day="2024-06-01", period=2024)
    assert "fiscal period 2024 is closed" in str(error.value)
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        insert_transaction("raw:outside", day="2026-06-01", period=2025)
    assert "outside fiscal period" in str(error.value)


@pytest.mark.django_db
def test_a_closed_period_cannot_be_reopened():
    FiscalPeriod.objects.filter(start_year=2024).update(is_closed=True, closed_at="2025-05-01T00:00Z")
    assert "stays closed" in refused("UPDATE ledger_fiscalperiod SET is_closed = false WHERE start_year = 2024")


@pytest.mark.django_db
def test_an_account_with_entries_keeps_its_currency(cash, party_account):
    posted(cash, party_account)
    assert "keeps its currency" in refused("UPDATE ledger_account SET currency = 'USD' WHERE id = %s", [cash.pk])


@pytest.mark.django_db(transaction=True)
def test_the_balance_is_checked_when_the_database_transaction_commits(cash, party_account):
    FiscalPeriod.objects.get_or_create(start_year=2025)
    with pytest.raises(DatabaseError) as error:
        with transaction.atomic():
            txn_id = insert_transaction("raw:commit")
            sql(
                "INSERT INTO ledger_entry (transaction_id, account_id, amount, amount_currency, date) "
                "VALUES (%s, %s, -10, 'CAD', '2025-06-01')",
                [txn_id, cash.pk],
            )
            sql(
                "INSERT INTO ledger_entry (transaction_id, account_id, amount, amount_currency, date) "
                "VALUES (%s, %s, 10, 'CAD', '2025-06-01')",
                [txn_id, party_account.pk],
            )
            sql(
                "INSERT INTO ledger_entry (transaction_id, account_id, amount, amount_currency, date) "
                "VALUES (%s, %s, 1, 'CAD', '2025-06-01')",
                [txn_id, party_account.pk],
            )
    assert "does not balance" in str(error.value)
    assert not Transaction.objects.exists()
    assert not Entry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_no_entry_can_be_added_to_a_transaction_posted_earlier(cash, party_account):
    txn = posted(cash, party_account)
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        sql(
            "INSERT INTO ledger_entry (transaction_id, account_id, amount, amount_currency, date) "
            "VALUES (%s, %s, 5, 'CAD', '2025-06-01'), (%s, %s, -5, 'CAD', '2025-06-01')",
            [txn.pk, cash.pk, txn.pk, party_account.pk],
        )
    assert "already posted" in str(error.value)
    assert Entry.objects.filter(transaction=txn).count() == 2


@pytest.mark.django_db
def test_the_tests_run_as_an_application_role_that_owns_nothing():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, current_user <> (SELECT tableowner FROM pg_tables WHERE tablename = 'ledger_entry') "
            "FROM pg_roles WHERE rolname = current_user"
        )
        superuser, creates_roles, not_the_owner = cursor.fetchone()
    assert (superuser, creates_roles, not_the_owner) == (False, False, True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("statement", "words"),
    [
        ("SET session_replication_role = replica", "permission denied"),
        ("ALTER TABLE ledger_entry DISABLE TRIGGER ALL", "must be owner"),
        ("ALTER TABLE ledger_entry DISABLE TRIGGER ledger_entry_immutable", "must be owner"),
        ("DROP TRIGGER ledger_entry_immutable ON ledger_entry", "must be owner"),
        (
            "CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RETURN NEW; END $$",
            "permission denied for schema public",
        ),
        ("TRUNCATE ledger_entry", "permission denied"),
        ("TRUNCATE ledger_transaction CASCADE", "permission denied"),
        ("ALTER TABLE ledger_entry ADD COLUMN note text", "must be owner"),
    ],
)
def test_the_application_role_cannot_switch_the_guarantees_off(cash, party_account, statement, words):
    txn = posted(cash, party_account)
    assert words in refused(statement)
    assert "immutable" in refused("UPDATE ledger_entry SET amount = 0 WHERE transaction_id = %s", [txn.pk])
    assert Entry.objects.filter(transaction=txn).count() == 2


@pytest.mark.django_db(transaction=True)
def test_truncate_is_refused_even_to_the_owner_outside_the_flush(cash, party_account):
    posted(cash, party_account)
    owner = owner_credentials()
    assert owner is not None
    as_owner = {**owner, "NAME": connection.settings_dict["NAME"]}
    with psycopg.connect(
        host=as_owner["HOST"], port=as_owner["PORT"], user=as_owner["USER"], password=as_owner["PASSWORD"] or None,
        dbname=as_owner["NAME"], autocommit=True,
    ) as owner_connection:
        for statement, table in (("TRUNCATE ledger_entry", "ledger_entry"), ("TRUNCATE ledger_transaction CASCADE", "ledger_transaction")):
            with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match=f"TRUNCATE of {table} is refused"):
                owner_connection.execute(statement)
    assert Entry.objects.count() == 2


@pytest.mark.django_db
def test_a_closed_period_is_never_deleted_and_an_open_empty_one_may_be():
    FiscalPeriod.objects.filter(start_year=2023).update(is_closed=True, closed_at="2024-05-01T00:00Z")
    assert "closed and is kept" in refused("DELETE FROM ledger_fiscalperiod WHERE start_year = 2023")
    sql("DELETE FROM ledger_fiscalperiod WHERE start_year = 2028")
    assert sorted(FiscalPeriod.objects.values_list("start_year", flat=True)) == [2023, 2024, 2025, 2026, 2027]


@pytest.mark.django_db
def test_an_account_with_entries_keeps_its_party_and_type(cash, party_account, other_party):
    posted(cash, party_account)
    assert "keeps its currency, party and type" in refused(
        "UPDATE ledger_account SET party_id = %s WHERE id = %s", [other_party.pk, party_account.pk]
    )
    assert "keeps its currency, party and type" in refused("UPDATE ledger_account SET type = 'expense' WHERE id = %s", [party_account.pk])
    sql("UPDATE ledger_account SET name = 'Subventions reçues (renommé)' WHERE id = %s", [party_account.pk])
    party_account.refresh_from_db()
    assert (party_account.party, party_account.type, party_account.name) == (
        party_account.party,
        "income",
        "Subventions reçues (renommé)",
    )
