from datetime import date
from decimal import Decimal

import pytest
from moneyed import Money

from ledger.models import Account, AccountType, TransactionKind
from ledger.selectors import account_balance, account_balances, party_balances, party_statement
from ledger.services import Line, transaction_post

pytestmark = pytest.mark.django_db


def cad(amount: str) -> Money:
    return Money(amount, "CAD")


@pytest.fixture
def history(cash, party_account, party):
    usd = Account.objects.create(code="P-USD", name="USD", type=AccountType.ASSET, currency="USD", party=party)
    usd_site = Account.objects.create(code="S-USD", name="USD", type=AccountType.ASSET, currency="USD")
    movements = [
        (date(2025, 3, 20), "100.00"),
        (date(2025, 4, 10), "250.00"),
        (date(2025, 5, 2), "-40.50"),
        (date(2025, 6, 30), "12.25"),
    ]
    for number, (day, amount) in enumerate(movements):
        transaction_post(
            lines=[Line(account=cash, amount=-cad(amount)), Line(account=party_account, amount=cad(amount))],
            date=day,
            kind=TransactionKind.ADJUSTMENT,
            idempotency_key=f"history:{number}",
            memo=f"Mouvement {number}",
        )
    transaction_post(
        lines=[Line(account=usd_site, amount=Money("-9.99", "USD")), Line(account=usd, amount=Money("9.99", "USD"))],
        date=date(2025, 4, 11),
        kind=TransactionKind.ADJUSTMENT,
        idempotency_key="history:usd",
    )


def test_account_balance_as_of_a_date(history, party_account, cash):
    assert account_balance(account=party_account) == cad("321.75")
    assert account_balance(account=party_account, as_of=date(2025, 4, 30)) == cad("350.00")
    assert account_balance(account=cash, as_of=date(2025, 1, 1)) == cad("0.00")


def test_party_balances_are_kept_apart_by_currency(history, party):
    assert party_balances(party=party) == {"CAD": cad("321.75"), "USD": Money("9.99", "USD")}


def test_account_balances_reads_many_accounts_at_once(history, cash, party_account, django_assert_num_queries):
    with django_assert_num_queries(2):
        balances = account_balances(accounts=Account.objects.filter(code__in=["SITE-CASH", "P-MDJ"]))
    assert balances == {cash.pk: cad("-321.75"), party_account.pk: cad("321.75")}


def test_statement_has_opening_running_and_closing_balances(history, party):
    statement = party_statement(party=party, start=date(2025, 4, 1), end=date(2025, 5, 31), currency="CAD")
    assert statement.opening == cad("100.00")
    assert [(line.amount, line.balance) for line in statement.lines] == [
        (cad("250.00"), cad("350.00")),
        (cad("-40.50"), cad("309.50")),
    ]
    assert statement.closing == cad("309.50")
    assert [line.memo for line in statement.lines] == ["Mouvement 1", "Mouvement 2"]


def test_a_statement_without_movement_closes_at_its_opening(history, party):
    statement = party_statement(party=party, start=date(2025, 7, 1), end=date(2025, 7, 31), currency="CAD")
    assert statement.lines == []
    assert statement.opening == statement.closing == cad("321.75")
    assert statement.opening.amount == Decimal("321.75")
