"""Settlements between two parties: recorded once, never beyond what is owed, even two at once."""

import threading
import uuid

import pytest
from django.db import connection
from moneyed import Money

from ledger.errors import PostingError
from ledger.models import Transaction, TransactionKind
from sharedcosts.errors import CurrencyError, SettlementRecordError, SharedCostsError
from sharedcosts.models import Expense
from sharedcosts.selectors import pool_balances
from sharedcosts.services import expense_post, settlement_record
from sharedcosts.services import settlements as settlements_service

from ..conftest import cad
from .helpers import DAY, assert_not_staff, posted_allocation, written

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
    request_id = uuid.uuid4()
    txn = settlement_record(
        pool=owed, payer=parties[0], payee=parties[1], amount=cad("2000.00"), date=DAY, recorded_by=finance_user,
        request_id=request_id,
    )
    assert txn.kind == TransactionKind.SETTLEMENT
    assert txn.idempotency_key == f"settlement:pool:{owed.pk}:{parties[0].pk}:{parties[1].pk}:request:{request_id}"
    again = settlement_record(
        pool=owed, payer=parties[0], payee=parties[1], amount=cad("2000.00"), date=DAY, recorded_by=finance_user,
        request_id=request_id,
    )
    assert again.pk == txn.pk
    assert Transaction.objects.filter(kind=TransactionKind.SETTLEMENT).count() == 1
    assert pool_balances(pool=owed) == {parties[0].pk: cad("0.00"), parties[1].pk: cad("4000.00"), parties[2].pk: cad("-4000.00")}


def test_two_payments_of_the_same_amount_the_same_day_are_two_settlements(owed, parties, finance_user):
    """The first party owes 2 000,00 $ and pays it in two instalments of 1 000,00 $ the same day: both count."""
    first, second = (
        settlement_record(
            pool=owed, payer=parties[0], payee=parties[1], amount=cad("1000.00"), date=DAY, recorded_by=finance_user,
            request_id=uuid.uuid4(),
        )
        for _ in range(2)
    )
    assert first.pk != second.pk
    assert pool_balances(pool=owed) == {parties[0].pk: cad("0.00"), parties[1].pk: cad("4000.00"), parties[2].pk: cad("-4000.00")}


def test_a_request_id_reused_for_another_payment_is_refused(owed, parties, finance_user):
    request_id = uuid.uuid4()
    first = settlement_record(
        pool=owed, payer=parties[0], payee=parties[1], amount=cad("1000.00"), date=DAY, recorded_by=finance_user,
        request_id=request_id,
    )
    before = written()
    with pytest.raises(PostingError) as refused:
        settlement_record(
            pool=owed, payer=parties[0], payee=parties[1], amount=cad("500.00"), date=DAY, recorded_by=finance_user,
            request_id=request_id,
        )
    assert refused.value.code == "key_reused"
    assert refused.value.messages == [
        f"La clé {first.idempotency_key} a déjà servi pour la transaction no {first.pk}, qui enregistre autre "
        "chose; rien n’a été comptabilisé."
    ]
    assert written() == before


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
        settlement_record(
            pool=owed, payer=parties[payer], payee=parties[payee], amount=amount, date=DAY, recorded_by=finance_user,
            request_id=uuid.uuid4(),
        )
    assert refused.value.code == code
    assert written() == before
    assert isinstance(refused.value, (SettlementRecordError, CurrencyError))


def test_only_staff_record_a_settlement(owed, parties, not_staff):
    before = written()
    with pytest.raises(SettlementRecordError) as refused:
        settlement_record(
            pool=owed, payer=parties[0], payee=parties[1], amount=cad("2000.00"), date=DAY, recorded_by=not_staff,
            request_id=uuid.uuid4(),
        )
    assert_not_staff(refused.value)
    assert written() == before


def test_a_settlement_past_the_ledger_column_is_refused_in_words(owed, parties, finance_user):
    before = written()
    with pytest.raises(SettlementRecordError) as refused:
        settlement_record(
            pool=owed, payer=parties[0], payee=parties[1], amount=cad("100000000000000.00"), date=DAY,
            recorded_by=finance_user, request_id=uuid.uuid4(),
        )
    assert refused.value.code == "amount_too_large"
    assert refused.value.messages == [
        "Le montant «\xa0règlement\xa0» de 100\xa0000\xa0000\xa0000\xa0000,00\xa0$ dépasse ce que les livres peuvent "
        "inscrire (au plus 99\xa0999\xa0999\xa0999\xa0999,99\xa0$)."
    ]
    assert written() == before


@pytest.mark.django_db(transaction=True)
def test_two_settlements_at_once_cannot_both_spend_the_same_debt(owed, parties, finance_user, monkeypatch):
    """The first party owes 2 000,00 $; 2 000,00 $ and 1 500,00 $ are recorded at once: one is refused.

    Each run waits, once it has read the balances, for the other to read them
    too (or for a second to pass): without the pool's lock both read the same
    debt and both would be posted; with it the second reads after the first
    committed.
    """
    both_read = threading.Barrier(2, timeout=1)
    read_balances = settlements_service.pool_balances

    def balances_then_wait(*, pool):
        balances = read_balances(pool=pool)
        try:
            both_read.wait()
        except threading.BrokenBarrierError:
            pass
        return balances

    monkeypatch.setattr(settlements_service, "pool_balances", balances_then_wait)
    outcomes: dict[str, str] = {}

    def record(amount: str) -> None:
        try:
            settlement_record(
                pool=owed, payer=parties[0], payee=parties[1], amount=cad(amount), date=DAY, recorded_by=finance_user,
                request_id=uuid.uuid4(),
            )
            outcomes[amount] = "posted"
        except SettlementRecordError as refusal:
            outcomes[amount] = refusal.code
        finally:
            connection.close()

    runs = [threading.Thread(target=record, args=(amount,)) for amount in ("2000.00", "1500.00")]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert sorted(outcomes.values()) == ["posted", "settlement_exceeds"]
    assert Transaction.objects.filter(kind=TransactionKind.SETTLEMENT).count() == 1
    posted = next(amount for amount, outcome in outcomes.items() if outcome == "posted")
    assert pool_balances(pool=owed)[parties[0].pk] == cad("-2000.00") + cad(posted)
