"""Expenses and in-kind contributions: posted once, in the pool's currency, in kind up to the share."""


import pytest
from moneyed import Money

from ledger.models import Transaction, TransactionKind
from sharedcosts.errors import CurrencyError, InKindError, SharedCostsError
from sharedcosts.models import Expense, InKindContribution
from sharedcosts.selectors import pool_balances
from sharedcosts.services import expense_check, expense_post, in_kind_post

from ..conftest import cad
from .helpers import DAY, SHARE_LIMIT, assert_not_staff, posted_allocation, written

pytestmark = pytest.mark.django_db


# -- expenses ---------------------------------------------------------------------


def test_an_expense_credits_its_payer_and_reduces_the_pool_cost(joined, parties, finance_user):
    expense = Expense.objects.create(pool=joined, payer=parties[1], vendor="Gestion immobilière", date=DAY, amount=cad("10000.00"))
    expense_post(expense=expense, posted_by=finance_user)
    expense.refresh_from_db()
    assert expense.transaction.idempotency_key == f"expense:{expense.reference}"
    assert expense.transaction.kind == TransactionKind.EXPENSE
    assert pool_balances(pool=joined)[parties[1].pk] == cad("10000.00")
    expense_post(expense=expense, posted_by=finance_user)
    assert Transaction.objects.count() == 1


def test_an_expense_in_another_currency_is_refused(joined, parties, finance_user):
    expense = Expense.objects.create(pool=joined, payer=parties[1], vendor="Fournisseur", date=DAY, amount=Money("50.00", "USD"))
    before = written()
    with pytest.raises(CurrencyError) as refused:
        expense_post(expense=expense, posted_by=finance_user)
    assert refused.value.code == "currency_mismatch"
    assert written() == before


def test_an_expense_paid_by_an_outsider_is_refused(joined, finance_user):
    from ledger.models import Party

    outsider = Party.objects.create(name="Autre", kind="other", sector="nord")
    expense = Expense.objects.create(pool=joined, payer=outsider, vendor="Fournisseur", date=DAY, amount=cad("50.00"))
    before = written()
    with pytest.raises(SharedCostsError) as refused:
        expense_post(expense=expense, posted_by=finance_user)
    assert refused.value.code == "not_participant"
    assert written() == before


# -- in kind ----------------------------------------------------------------------


def test_in_kind_is_credited_up_to_the_share(joined, parties, finance_user, administrator):
    posted_allocation(joined, finance_user, administrator)
    contribution = InKindContribution.objects.create(
        pool=joined, party=parties[0], description="Salle le mardi soir", value=cad("1500.00"),
        justification="Tarif de location municipal", date=DAY,
    )
    in_kind_post(contribution=contribution, posted_by=finance_user)
    assert contribution.transaction.kind == TransactionKind.IN_KIND
    assert pool_balances(pool=joined)[parties[0].pk] == cad("-500.00")
    in_kind_post(contribution=contribution, posted_by=finance_user)
    assert Transaction.objects.filter(kind=TransactionKind.IN_KIND).count() == 1


def test_in_kind_above_the_share_is_refused(joined, parties, finance_user, administrator):
    posted_allocation(joined, finance_user, administrator)
    first = InKindContribution.objects.create(
        pool=joined, party=parties[0], description="Salle", value=cad("1500.00"), justification="Tarif", date=DAY
    )
    in_kind_post(contribution=first, posted_by=finance_user)
    second = InKindContribution.objects.create(
        pool=joined, party=parties[0], description="Matériel", value=cad("500.01"), justification="Prix", date=DAY
    )
    before = written()
    with pytest.raises(InKindError) as refused:
        in_kind_post(contribution=second, posted_by=finance_user)
    assert refused.value.code == "in_kind_above_share"
    assert written() == before
    second.refresh_from_db()
    assert second.transaction is None


def test_in_kind_without_a_posted_share_is_refused(joined, parties, finance_user):
    contribution = InKindContribution.objects.create(
        pool=joined, party=parties[0], description="Salle", value=cad("10.00"), justification="Tarif", date=DAY
    )
    before = written()
    with pytest.raises(InKindError) as refused:
        in_kind_post(contribution=contribution, posted_by=finance_user)
    assert refused.value.code == "no_share"
    assert written() == before


def test_in_kind_in_another_currency_is_refused(joined, parties, finance_user, administrator):
    posted_allocation(joined, finance_user, administrator)
    contribution = InKindContribution.objects.create(
        pool=joined, party=parties[0], description="Salle", value=Money("10.00", "EUR"), justification="Tarif", date=DAY
    )
    before = written()
    with pytest.raises(CurrencyError) as refused:
        in_kind_post(contribution=contribution, posted_by=finance_user)
    assert refused.value.code == "currency_mismatch"
    assert written() == before


# -- who may, and how much ----------------------------------------------------------


def test_only_staff_post_an_expense(joined, parties, not_staff):
    expense = Expense.objects.create(pool=joined, payer=parties[1], vendor="Loyer", date=DAY, amount=cad("100.00"))
    before = written()
    with pytest.raises(SharedCostsError) as refused:
        expense_post(expense=expense, posted_by=not_staff)
    assert_not_staff(refused.value)
    assert written() == before
    expense.refresh_from_db()
    assert expense.transaction is None


def test_only_staff_credit_in_kind(joined, parties, finance_user, administrator, not_staff):
    posted_allocation(joined, finance_user, administrator)
    contribution = InKindContribution.objects.create(
        pool=joined, party=parties[0], description="Salle", value=cad("10.00"), justification="Tarif", date=DAY
    )
    before = written()
    with pytest.raises(InKindError) as refused:
        in_kind_post(contribution=contribution, posted_by=not_staff)
    assert_not_staff(refused.value)
    assert written() == before


def test_an_expense_not_saved_yet_is_saved_with_its_posting(joined, parties, finance_user):
    expense = Expense(pool=joined, payer=parties[1], vendor="Loyer", date=DAY, amount=cad("250.00"))
    expense_post(expense=expense, posted_by=finance_user)
    assert Expense.objects.get().transaction.idempotency_key == f"expense:{expense.reference}"
    assert pool_balances(pool=joined)[parties[1].pk] == cad("250.00")


def test_an_expense_past_the_column_is_refused_in_words(joined, parties, finance_user):
    expense = Expense(pool=joined, payer=parties[1], vendor="Loyer", date=DAY, amount=cad("1000000000000.00"))
    before = written()
    with pytest.raises(SharedCostsError) as refused:
        expense_post(expense=expense, posted_by=finance_user)
    assert refused.value.code == "amount_too_large"
    assert refused.value.messages == [
        "Le montant «\xa0dépense\xa0» de 1\xa0000\xa0000\xa0000\xa0000,00\xa0$ dépasse ce que les livres peuvent "
        f"inscrire (au plus {SHARE_LIMIT})."
    ]
    assert written() == before


def test_in_kind_past_the_column_is_refused_in_words(joined, parties, finance_user, administrator):
    posted_allocation(joined, finance_user, administrator)
    contribution = InKindContribution(
        pool=joined, party=parties[0], description="Salle", value=cad("1000000000000.00"), justification="Tarif", date=DAY
    )
    before = written()
    with pytest.raises(InKindError) as refused:
        in_kind_post(contribution=contribution, posted_by=finance_user)
    assert refused.value.code == "amount_too_large"
    assert "«\xa0valeur en nature\xa0»" in refused.value.messages[0] and SHARE_LIMIT in refused.value.messages[0]
    assert written() == before


def test_the_expense_check_refuses_what_posting_would_refuse_and_writes_nothing(joined, parties, third_party):
    before = written()
    outsider = Expense(pool=joined, payer=third_party, vendor="Loyer", date=DAY, amount=cad("10.00"))
    joined.participations.filter(party=third_party).delete()
    with pytest.raises(SharedCostsError) as refused:
        expense_check(expense=outsider)
    assert refused.value.code == "not_participant"
    with pytest.raises(CurrencyError):
        expense_check(expense=Expense(pool=joined, payer=parties[0], vendor="Loyer", date=DAY, amount=Money("10.00", "USD")))
    assert expense_check(expense=Expense(pool=joined, payer=parties[0], vendor="Loyer", date=DAY, amount=cad("10.00"))) is None
    assert written() == before
