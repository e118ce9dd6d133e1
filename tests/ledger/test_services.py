from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from moneyed import Money

from ledger.errors import PeriodError, PostingError
from ledger.models import Account, AccountType, Entry, FiscalPeriod, Transaction, TransactionKind
from ledger.periods import fiscal_period_close, fiscal_period_open
from ledger.selectors import account_balance
from ledger.services import (
    Line,
    PostingRequest,
    account_get_or_create,
    transaction_post,
    transaction_reverse,
    transactions_post,
)

pytestmark = pytest.mark.django_db


def cad(amount: str) -> Money:
    return Money(amount, "CAD")


def pay(cash, party_account, day, *, amount="250.00", key="test:1"):
    return transaction_post(
        lines=[Line(account=cash, amount=cad(f"-{amount}")), Line(account=party_account, amount=cad(amount))],
        date=day,
        kind=TransactionKind.ADJUSTMENT,
        idempotency_key=key,
        memo="Versement",
    )


def test_post_writes_a_balanced_transaction_in_the_fiscal_period_of_its_date(cash, party_account, day):
    txn, created = pay(cash, party_account, day)
    assert created
    assert txn.period_id == 2025
    assert sorted(Entry.objects.filter(transaction=txn).values_list("amount", flat=True)) == [
        Decimal("-250.00"),
        Decimal("250.00"),
    ]
    assert set(Entry.objects.values_list("date", flat=True)) == {day}


def test_a_date_before_april_belongs_to_the_previous_fiscal_year(cash, party_account):
    txn, _ = pay(cash, party_account, date(2026, 3, 31))
    assert txn.period_id == 2025
    txn, _ = pay(cash, party_account, date(2026, 4, 1), key="test:2")
    assert txn.period_id == 2026


def test_the_same_key_and_request_returns_the_posted_transaction(cash, party_account, day):
    first, _ = pay(cash, party_account, day)
    again, created = pay(cash, party_account, day)
    assert not created
    assert again.pk == first.pk
    assert Transaction.objects.count() == 1
    assert Entry.objects.count() == 2


def test_the_same_key_with_another_request_is_refused(cash, party_account, day):
    first, _ = pay(cash, party_account, day)
    with pytest.raises(PostingError) as refused:
        pay(cash, party_account, day, amount="999.00")
    assert refused.value.code == "key_reused"
    assert Transaction.objects.count() == 1
    assert Entry.objects.count() == 2


@pytest.mark.parametrize(
    ("amounts", "code"),
    [
        (["-10.00", "9.99"], "unbalanced"),
        (["10.00"], "too_few_entries"),
        (["0.00", "0.00"], "zero_entry"),
        (["-10.001", "10.001"], "sub_unit_amount"),
    ],
)
def test_bad_entries_are_refused_and_nothing_is_written(cash, party_account, day, amounts, code):
    accounts = [cash, party_account]
    lines = [Line(account=accounts[i], amount=cad(amount)) for i, amount in enumerate(amounts)]
    with pytest.raises(PostingError) as refused:
        transaction_post(lines=lines, date=day, kind=TransactionKind.ADJUSTMENT, idempotency_key="bad")
    assert refused.value.code == code
    assert not Transaction.objects.exists()
    assert not Entry.objects.exists()


def test_an_entry_in_another_currency_than_its_account_is_refused(cash, party_account, day):
    lines = [Line(account=cash, amount=Money("-5.00", "USD")), Line(account=party_account, amount=Money("5.00", "USD"))]
    with pytest.raises(PostingError) as refused:
        transaction_post(lines=lines, date=day, kind=TransactionKind.ADJUSTMENT, idempotency_key="usd")
    assert refused.value.code == "account_currency"
    assert "CAD" in refused.value.messages[0]
    assert not Transaction.objects.exists()


def test_mixed_currencies_must_balance_in_each_currency(cash, party_account, day, party):
    usd_site = Account.objects.create(code="SITE-USD", name="USD", type=AccountType.ASSET, currency="USD")
    usd_party = Account.objects.create(code="P-USD", name="USD", type=AccountType.ASSET, currency="USD", party=party)
    balanced_in_total_only = [
        Line(account=cash, amount=cad("-10.00")),
        Line(account=usd_party, amount=Money("10.00", "USD")),
    ]
    with pytest.raises(PostingError) as refused:
        transaction_post(lines=balanced_in_total_only, date=day, kind=TransactionKind.ADJUSTMENT, idempotency_key="m")
    assert refused.value.code == "unbalanced"
    balanced_per_currency = [
        Line(account=cash, amount=cad("-10.00")),
        Line(account=party_account, amount=cad("10.00")),
        Line(account=usd_site, amount=Money("-7.00", "USD")),
        Line(account=usd_party, amount=Money("7.00", "USD")),
    ]
    txn, created = transaction_post(
        lines=balanced_per_currency, date=day, kind=TransactionKind.ADJUSTMENT, idempotency_key="m"
    )
    assert created and txn.entries.count() == 4


def test_posting_into_a_closed_period_is_refused(cash, party_account, administrator):
    FiscalPeriod.objects.get_or_create(start_year=2024)
    fiscal_period_close(period=FiscalPeriod.objects.get(pk=2024), closed_by=administrator, today=date(2025, 5, 1))
    with pytest.raises(PostingError) as refused:
        pay(cash, party_account, date(2024, 12, 1))
    assert refused.value.code == "closed_period"
    assert "2024-2025" in refused.value.messages[0]
    assert not Transaction.objects.exists()


def test_unknown_kind_and_missing_key_are_refused(cash, party_account, day):
    lines = [Line(account=cash, amount=cad("-1.00")), Line(account=party_account, amount=cad("1.00"))]
    with pytest.raises(PostingError) as refused:
        transaction_post(lines=lines, date=day, kind="gift", idempotency_key="k")
    assert refused.value.code == "unknown_kind"
    with pytest.raises(PostingError) as refused:
        transaction_post(lines=lines, date=day, kind=TransactionKind.ADJUSTMENT, idempotency_key="")
    assert refused.value.code == "bad_key"


def test_reversal_mirrors_the_original_and_points_at_it(cash, party_account, day):
    original, _ = pay(cash, party_account, day)
    reversal, created = transaction_reverse(original=original, date=date(2025, 7, 1))
    assert created
    assert reversal.reverses_id == original.pk
    assert reversal.kind == TransactionKind.REVERSAL
    amounts = dict(reversal.entries.values_list("account__code", "amount"))
    assert amounts == {"SITE-CASH": Decimal("250.00"), "P-MDJ": Decimal("-250.00")}


def test_a_transaction_is_reversed_once(cash, party_account, day):
    original, _ = pay(cash, party_account, day)
    reversal, _ = transaction_reverse(original=original, date=day)
    with pytest.raises(PostingError) as refused:
        transaction_reverse(original=original, date=day)
    assert refused.value.code == "already_reversed"
    with pytest.raises(PostingError) as refused:
        transaction_reverse(original=reversal, date=day)
    assert refused.value.code == "reverse_reversal"
    assert Transaction.objects.count() == 2


def test_a_transaction_of_a_closed_period_is_reversed_in_an_open_one(cash, party_account, administrator):
    original, _ = pay(cash, party_account, date(2024, 6, 1))
    fiscal_period_close(period=original.period, closed_by=administrator, today=date(2025, 5, 1))
    with pytest.raises(PostingError):
        transaction_reverse(original=original, date=date(2024, 6, 2))
    reversal, _ = transaction_reverse(original=original, date=date(2025, 5, 1))
    assert reversal.period_id == 2025



def test_account_get_or_create_refuses_another_currency(party):
    first = account_get_or_create(code="X-1", name="X", type=AccountType.ASSET, currency="CAD", party=party)
    assert account_get_or_create(code="X-1", name="X", type=AccountType.ASSET, currency="CAD", party=party) == first
    with pytest.raises(PostingError) as refused:
        account_get_or_create(code="X-1", name="X", type=AccountType.ASSET, currency="USD", party=party)
    assert refused.value.code == "account_currency"


def test_refusals_speak_french_by_default(cash, party_account, day):
    lines = [Line(account=cash, amount=cad("-10.00")), Line(account=party_account, amount=cad("9.00"))]
    with pytest.raises(PostingError) as refused:
        transaction_post(lines=lines, date=day, kind=TransactionKind.ADJUSTMENT, idempotency_key="fr")
    assert refused.value.messages[0].startswith("Les écritures ne sont pas équilibrées en CAD")


def request(cash, party_account, key, amount="10.00", day=date(2025, 6, 1)):
    return PostingRequest(
        lines=[Line(account=cash, amount=-cad(amount)), Line(account=party_account, amount=cad(amount))],
        date=day,
        kind=TransactionKind.ADJUSTMENT,
        idempotency_key=key,
    )


def test_a_batch_posts_each_request_once_in_the_order_asked(cash, party_account, django_assert_max_num_queries):
    first, _ = pay(cash, party_account, date(2025, 6, 1), amount="10.00", key="batch:1")
    requests = [request(cash, party_account, f"batch:{n}") for n in (3, 1, 2, 3)]
    # The savepoint, the transactions with their entries, the taken key's transaction, the release.
    with django_assert_max_num_queries(4):
        results = transactions_post(requests=requests)
    assert [created for _, created in results] == [True, False, True, False]
    assert results[1].transaction.pk == first.pk
    assert results[0].transaction.pk == results[3].transaction.pk
    assert Transaction.objects.count() == 3
    assert Entry.objects.count() == 6


def test_a_batch_with_one_bad_request_writes_nothing(cash, party_account):
    requests = [request(cash, party_account, "ok:1"), request(cash, party_account, "ok:2", amount="0.00")]
    with pytest.raises(PostingError) as refused:
        transactions_post(requests=requests)
    assert refused.value.code == "zero_entry"
    assert not Transaction.objects.exists()


def test_a_key_asked_twice_in_a_batch_is_posted_once_then_answered_as_a_retry(cash, party_account):
    results = transactions_post(requests=[request(cash, party_account, "twice"), request(cash, party_account, "twice")])
    assert [(result.transaction.pk, result.created) for result in results] == [
        (results[0].transaction.pk, True),
        (results[0].transaction.pk, False),
    ]
    assert Transaction.objects.count() == 1
    assert Entry.objects.count() == 2


def test_a_batch_that_asks_one_key_for_two_things_is_refused_as_a_reused_key(cash, party_account):
    requests = [request(cash, party_account, "same"), request(cash, party_account, "same", amount="11.00")]
    with pytest.raises(PostingError) as refused:
        transactions_post(requests=requests)
    assert refused.value.code == "key_reused"
    assert refused.value.messages == [
        "La clé same a déjà servi plus tôt dans ce lot pour une transaction qui enregistre autre chose; "
        "rien n’a été comptabilisé."
    ]
    assert not Transaction.objects.exists()


def test_a_batch_refused_for_a_reused_key_writes_nothing(cash, party_account):
    pay(cash, party_account, date(2025, 6, 1), amount="99.00", key="batch:used")
    requests = [request(cash, party_account, "batch:new"), request(cash, party_account, "batch:used")]
    with pytest.raises(PostingError) as refused:
        transactions_post(requests=requests)
    assert refused.value.code == "key_reused"
    assert Transaction.objects.count() == 1


def test_a_large_batch_posts_every_request_with_its_entries(cash, party_account):
    requests = [request(cash, party_account, f"large:{n}", amount=f"{n}.01") for n in range(1, 26)]
    results = transactions_post(requests=requests)
    assert all(created for _, created in results)
    assert Transaction.objects.count() == 25
    assert Entry.objects.count() == 50
    assert sum(Entry.objects.filter(account=party_account).values_list("amount", flat=True)) == Decimal("325.25")
    assert dict(results[4].transaction.entries.values_list("account__code", "amount")) == {
        "SITE-CASH": Decimal("-5.01"),
        "P-MDJ": Decimal("5.01"),
    }


def test_a_retry_after_its_period_closed_answers_with_what_was_posted(cash, party_account, administrator):
    original, _ = pay(cash, party_account, date(2024, 6, 1), key="retry:1")
    fiscal_period_close(period=original.period, closed_by=administrator, today=date(2025, 5, 1))
    again, created = pay(cash, party_account, date(2024, 6, 1), key="retry:1")
    assert (again.pk, created) == (original.pk, False)
    with pytest.raises(PostingError) as refused:
        pay(cash, party_account, date(2024, 6, 1), amount="999.00", key="retry:1")
    assert refused.value.code == "key_reused"
    with pytest.raises(PostingError) as refused:
        pay(cash, party_account, date(2024, 6, 2), key="retry:2")
    assert refused.value.code == "closed_period"
    assert Transaction.objects.count() == 1


@pytest.mark.parametrize("year", [2019, 2099])
def test_a_year_nobody_opened_is_refused_rather_than_opened(cash, party_account, year):
    with pytest.raises(PostingError) as refused:
        pay(cash, party_account, date(year, 6, 1))
    assert refused.value.code == "no_period"
    assert refused.value.messages == [
        f"L’exercice {year}-{year + 1} n’est pas ouvert; un administrateur doit l’ouvrir avant qu’on y comptabilise "
        "quoi que ce soit."
    ]
    assert not FiscalPeriod.objects.filter(start_year=year).exists()
    assert not Transaction.objects.exists()


def test_the_current_and_next_fiscal_years_open_on_their_first_posting(cash, party_account, monkeypatch):
    FiscalPeriod.objects.filter(start_year__in=[2026, 2027, 2028]).delete()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: date(2027, 3, 31))
    pay(cash, party_account, date(2027, 3, 1), key="current")
    pay(cash, party_account, date(2027, 4, 1), key="next")
    with pytest.raises(PostingError) as refused:
        pay(cash, party_account, date(2028, 4, 1), key="after-next")
    assert refused.value.code == "no_period"
    assert sorted(FiscalPeriod.objects.filter(start_year__gte=2026).values_list("start_year", flat=True)) == [2026, 2027]


@pytest.mark.django_db(transaction=True)
def test_a_posting_outside_a_database_transaction_is_one_prepared_statement(cash, party_account):
    with CaptureQueriesContext(connection) as queries:
        txn, created = pay(cash, party_account, date(2025, 6, 1), key="alone")
    assert (len(queries), created) == (1, True)
    assert connection.get_autocommit()
    assert sorted(txn.entries.values_list("amount", flat=True)) == [Decimal("-250.00"), Decimal("250.00")]
    assert account_balance(account=party_account) == cad("250.00")
    with CaptureQueriesContext(connection) as queries:
        again, created = pay(cash, party_account, date(2025, 6, 1), key="alone")
    assert (len(queries), again.pk, created) == (2, txn.pk, False)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE statement LIKE %s", ["WITH posted AS%"]
        )
        assert cursor.fetchall() == [(2,)]


@pytest.mark.django_db(transaction=True)
def test_a_posting_alone_into_a_closed_period_writes_nothing(cash, party_account, administrator):
    period = FiscalPeriod.objects.get(start_year=2024)
    fiscal_period_close(period=period, closed_by=administrator, today=date(2025, 5, 1))
    with pytest.raises(PostingError) as refused:
        pay(cash, party_account, date(2024, 6, 1), key="closed:alone")
    assert refused.value.code == "closed_period"
    assert not Transaction.objects.exists()
    assert account_balance(account=party_account) == cad("0.00")


def test_an_amount_wider_than_the_ledger_is_refused_in_words(cash, party_account):
    with pytest.raises(PostingError) as refused:
        pay(cash, party_account, date(2025, 6, 1), amount="100000000000000.00")
    assert refused.value.code == "amount_too_large"
    assert "(au plus 99\xa0999\xa0999\xa0999\xa0999,99\xa0$)" in refused.value.messages[0]
    assert not Transaction.objects.exists()
