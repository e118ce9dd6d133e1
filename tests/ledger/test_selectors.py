from datetime import date
from decimal import Decimal

import pytest
from moneyed import Money

from ledger.models import Account, AccountType, TransactionKind
from ledger.selectors import (
    account_balance,
    account_balances,
    balances_by_code,
    party_balances,
    party_statement,
    year_movements,
)
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


@pytest.fixture
def years(cash, party_account):
    """Movements over four fiscal years, on both sides of their first and last days."""
    movements = [
        (date(2023, 6, 15), "10.00"),
        (date(2024, 3, 31), "20.00"),
        (date(2024, 4, 1), "40.00"),
        (date(2025, 3, 31), "80.00"),
        (date(2025, 4, 1), "-5.00"),
        (date(2026, 1, 15), "160.00"),
    ]
    for number, (day, amount) in enumerate(movements):
        transaction_post(
            lines=[Line(account=cash, amount=-cad(amount)), Line(account=party_account, amount=cad(amount))],
            date=day,
            kind=TransactionKind.ADJUSTMENT,
            idempotency_key=f"years:{number}",
        )


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2023, 3, 31), "0.00"),
        (date(2023, 6, 14), "0.00"),
        (date(2023, 6, 15), "10.00"),
        (date(2024, 3, 30), "10.00"),
        (date(2024, 3, 31), "30.00"),
        (date(2024, 4, 1), "70.00"),
        (date(2025, 3, 30), "70.00"),
        (date(2025, 3, 31), "150.00"),
        (date(2025, 4, 1), "145.00"),
        (date(2026, 3, 31), "305.00"),
        (date(2030, 1, 1), "305.00"),
    ],
)
def test_a_balance_as_of_a_date_adds_the_years_before_and_the_days_of_its_year(
    years, cash, party_account, party, as_of, expected, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert account_balance(account=party_account, as_of=as_of) == cad(expected)
    assert account_balances(accounts=Account.objects.filter(code__in=["SITE-CASH", "P-MDJ"]), as_of=as_of) == {
        cash.pk: -cad(expected),
        party_account.pk: cad(expected),
    }
    assert party_balances(party=party, as_of=as_of) == ({"CAD": cad(expected)} if as_of >= date(2023, 6, 15) else {})


def test_a_statement_from_a_years_first_day_opens_with_the_years_before(years, party, django_assert_num_queries):
    with django_assert_num_queries(2):
        statement = party_statement(party=party, start=date(2025, 4, 1), end=date(2026, 3, 31), currency="CAD")
    assert statement.opening == cad("150.00")
    assert [(line.amount, line.balance) for line in statement.lines] == [
        (cad("-5.00"), cad("145.00")),
        (cad("160.00"), cad("305.00")),
    ]
    assert statement.closing == cad("305.00")


def test_a_statement_across_two_years_opens_with_the_days_before_it(years, party):
    statement = party_statement(party=party, start=date(2024, 6, 1), end=date(2025, 4, 30), currency="CAD")
    assert statement.opening == cad("70.00")
    assert [(line.date, line.balance) for line in statement.lines] == [
        (date(2025, 3, 31), cad("150.00")),
        (date(2025, 4, 1), cad("145.00")),
    ]
    assert statement.closing == cad("145.00")


def test_balances_by_code_read_today_or_as_of_a_date(years, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert balances_by_code(codes=["SITE-CASH", "P-MDJ", "NOBODY"]) == {
            "SITE-CASH": Decimal("-305.00"),
            "P-MDJ": Decimal("305.00"),
        }
    assert balances_by_code(codes=["P-MDJ"], as_of=date(2024, 4, 1)) == {"P-MDJ": Decimal("70.00")}
    assert balances_by_code(codes=["P-MDJ"], as_of=date(2023, 4, 1)) == {}


def test_year_movements_are_what_moved_in_one_fiscal_year(years, party):
    assert year_movements(start_year=2023, by="account__code", account__party=party) == {"P-MDJ": Decimal("30.00")}
    assert year_movements(start_year=2024, by="amount_currency", account__party=party) == {"CAD": Decimal("120.00")}
    assert year_movements(start_year=2025, by="account__code", account__code__in=["SITE-CASH"]) == {
        "SITE-CASH": Decimal("-155.00")
    }
    assert year_movements(start_year=2026, by="account__code", account__party=party) == {}
