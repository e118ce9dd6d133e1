"""Reading what grants moved in the ledger."""

from datetime import date

import pytest
from django.utils import translation
from moneyed import Money

from grants.selectors import grants_received, report_spending_lines
from grants.services import grants_received_account
from ledger.models import AccountType, FiscalPeriod, TransactionKind
from ledger.services import Line, account_get_or_create, transaction_post

from .conftest import cad

pytestmark = pytest.mark.django_db


def _pay(party, amount: Money, day: date, key: str) -> None:
    source = account_get_or_create(
        code=f"FUND-{amount.currency.code}", name="Fonds", type=AccountType.ASSET, currency=amount.currency.code
    )
    received = grants_received_account(party=party, currency=amount.currency.code)
    transaction_post(
        lines=[Line(source, -amount), Line(received, amount)],
        date=day,
        kind=TransactionKind.DISBURSEMENT,
        idempotency_key=f"test:{key}",
    )


def test_grants_received_in_a_period_by_party_and_currency(party, other_party, django_assert_num_queries):
    _pay(party, Money("5000.00", "CAD"), date(2025, 6, 1), "a")
    _pay(party, Money("-1000.00", "CAD"), date(2025, 7, 1), "reversal")
    _pay(party, Money("300.00", "USD"), date(2025, 6, 1), "usd")
    _pay(party, Money("200.00", "CAD"), date(2025, 3, 31), "year-before")
    _pay(party, Money("50.00", "CAD"), date(2026, 3, 31), "last-day")
    _pay(party, Money("700.00", "CAD"), date(2026, 4, 1), "next-year")
    _pay(other_party, Money("900.00", "CAD"), date(2025, 6, 1), "other")
    period = FiscalPeriod(start_year=2025)
    with django_assert_num_queries(1):
        received = grants_received(period=period, party_ids=iter([party.pk]))
    assert received == {
        (party.pk, "CAD"): Money("4050.00", "CAD"),
        (party.pk, "USD"): Money("300.00", "USD"),
    }
    assert grants_received(period=period, party_ids=[party.pk, other_party.pk], currencies=["CAD"]) == {
        (party.pk, "CAD"): Money("4050.00", "CAD"),
        (other_party.pk, "CAD"): Money("900.00", "CAD"),
    }
    assert grants_received(period=FiscalPeriod(start_year=2024), party_ids=[party.pk]) == {
        (party.pk, "CAD"): Money("200.00", "CAD")
    }


def test_a_reports_spending_reads_as_labelled_amounts_in_the_budgets_order(make_grant):
    grant = make_grant()
    with translation.override("fr-ca"):
        lines = report_spending_lines(grant=grant, spending={"material": "320.00", "activities": "1450.50"})
    assert lines == [("Activités", cad("1450.50")), ("Matériel", cad("320.00"))]
    assert report_spending_lines(grant=grant, spending=None) == []
