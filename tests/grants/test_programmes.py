"""A programme's envelope, opened and funded once."""


import pytest

from grants.errors import GrantError
from grants.models import FundingProgramme
from grants.selectors import programme_amounts
from grants.services import programme_create
from ledger.models import Account, Transaction, TransactionKind
from ledger.selectors import account_balance

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
