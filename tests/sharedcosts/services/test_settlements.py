"""Settlements between two parties: recorded once, never beyond what is owed."""


import pytest
from moneyed import Money

from ledger.models import TransactionKind
from sharedcosts.errors import CurrencyError, SettlementRecordError, SharedCostsError
from sharedcosts.models import Expense
from sharedcosts.selectors import pool_balances
from sharedcosts.services import expense_post, settlement_record

from ..conftest import cad
from .helpers import DAY, posted_allocation, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def owed(joined, parties, finance_user, administrator):
    """Shares 2000 / 4000 / 4000; the second party paid the whole 10 000."""
    posted_allocation(joined, finance_user, administrator)
    expense = Expense.objects.create(pool=joined, payer=parties[1], vendor="Loyer", date=DAY, amount=cad("10000.00"))
    expense_post(expense=expense, posted_by=finance_user)
    return joined


def test_balances_after_an_expense_sum_to_zero(owed, parties):
    assert pool_balances(pool=owed) == {parties[0].pk: cad("-2000.00"), parties[1].pk: cad("6000.00"), parties[2].pk: cad("-4000.00")}


def test_a_settlement_clears_positions_once(owed, parties, finance_user):
    txn = settlement_record(
        pool=owed, payer=parties[0], payee=parties[1], amount=cad("2000.00"), date=DAY, recorded_by=finance_user
    )
    assert txn.kind == TransactionKind.SETTLEMENT
    again = settlement_record(
        pool=owed, payer=parties[0], payee=parties[1], amount=cad("2000.00"), date=DAY, recorded_by=finance_user
    )
    assert again.pk == txn.pk
    assert pool_balances(pool=owed) == {parties[0].pk: cad("0.00"), parties[1].pk: cad("4000.00"), parties[2].pk: cad("-4000.00")}


@pytest.mark.parametrize(
    ("payer", "payee", "amount", "code"),
    [
        (0, 1, cad("2000.01"), "settlement_exceeds"),
        (1, 0, cad("10.00"), "settlement_exceeds"),
        (0, 0, cad("10.00"), "same_party"),
        (0, 1, cad("0.00"), "not_positive"),
        (0, 1, Money("10.00", "USD"), "currency_mismatch"),
    ],
)
def test_bad_settlements_are_refused(owed, parties, finance_user, payer, payee, amount, code):
    before = written()
    with pytest.raises(SharedCostsError) as refused:
        settlement_record(pool=owed, payer=parties[payer], payee=parties[payee], amount=amount, date=DAY, recorded_by=finance_user)
    assert refused.value.code == code
    assert written() == before
    assert isinstance(refused.value, (SettlementRecordError, CurrencyError))
