"""A programme's envelope, opened and funded once."""


import pytest

from grants.errors import GrantError
from grants.models import FundingProgramme
from grants.selectors import programme_amounts
from grants.services import programme_create, programme_fund
from ledger.models import Account, Transaction, TransactionKind
from ledger.selectors import account_balance
from ledger.services import transaction_reverse

from .conftest import cad

pytestmark = pytest.mark.django_db


def test_a_new_programme_is_funded_once_in_its_fund_account(programme, finance_user):
    fund = programme.fund_account
    assert fund.code == f"PF-{programme.pk}" and fund.party is None
    assert account_balance(account=fund) == cad("100000.00")
    assert account_balance(account=Account.objects.get(code="SITE-FUNDING-CAD")) == cad("-100000.00")
    assert Transaction.objects.get().kind == TransactionKind.FUNDING
    assert programme_amounts(programme=programme).available == cad("100000.00")


def test_programme_creation_needs_a_staff_role(django_user_model):
    nobody = django_user_model.objects.create_user(username="nobody")
    with pytest.raises(GrantError) as refused:
        programme_create(name="X", fiscal_year=2025, amount=cad("10.00"), created_by=nobody)
    assert refused.value.code == "not_staff"
    assert not FundingProgramme.objects.exists() and not Transaction.objects.exists()


def test_a_reversed_funding_is_funded_again_by_a_new_posting(programme, finance_user):
    first = Transaction.objects.get(kind=TransactionKind.FUNDING)
    transaction_reverse(original=first, posted_by=finance_user)
    assert account_balance(account=programme.fund_account) == cad("0.00")
    assert programme_amounts(programme=programme).disbursed == cad("0.00")  # a reversed funding is not a payment
    again = programme_fund(programme=programme, posted_by=finance_user)
    assert again is not None and again.created and again.transaction.pk != first.pk
    assert account_balance(account=programme.fund_account) == cad("100000.00")
    assert programme_fund(programme=programme, posted_by=finance_user) is None
    assert Transaction.objects.filter(kind=TransactionKind.FUNDING).count() == 2
    assert programme_amounts(programme=programme).available == cad("100000.00")
