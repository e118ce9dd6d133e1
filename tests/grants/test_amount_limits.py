"""Amounts wider than their column are refused in words, naming the limit, before the database sees them."""

from decimal import Decimal

import pytest
from django.utils import translation
from moneyed import Money

from grants.errors import GrantError, ReportError
from grants.models import AmendmentProposal, FundingProgramme, Grant, GrantBudgetLine, Instalment, ProjectReport
from grants.services import amendment_propose, programme_create, report_save
from ledger.models import Transaction

from .conftest import cad, complete

pytestmark = pytest.mark.django_db

TOO_MUCH = cad("1000000000000.00")
REFUSAL = "An amount is more than the books can hold: at most $999,999,999,999.99."


def refused(error: type[GrantError], make) -> None:
    with translation.override("en"), pytest.raises(error) as refusal:
        make()
    assert refusal.value.code == "amount_too_large"
    assert refusal.value.messages == [REFUSAL]


def test_an_envelope_wider_than_its_column_is_refused(finance_user):
    refused(GrantError, lambda: programme_create(name="Trop", fiscal_year=2025, amount=TOO_MUCH, created_by=finance_user))
    assert not FundingProgramme.objects.exists() and not Transaction.objects.exists()


def test_a_grant_wider_than_its_column_is_refused(make_grant):
    refused(GrantError, lambda: make_grant(amount="1000000000000.00", approve=False))
    assert not Grant.objects.exists() and not Instalment.objects.exists()


def test_a_budget_line_wider_than_its_column_is_refused(make_grant):
    budget = {"activities": TOO_MUCH, "salaries": cad("-999999999990.00")}
    refused(GrantError, lambda: make_grant(amount="10000.00", budget=budget, approve=False))
    assert not Grant.objects.exists() and not GrantBudgetLine.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"amount": TOO_MUCH},
        {"amount": cad("10000.00"), "budget": {"activities": TOO_MUCH, "salaries": cad("-999999999990.00")}},
    ],
)
def test_an_amendment_wider_than_its_column_is_refused(grant, administrator, changes):
    refused(GrantError, lambda: amendment_propose(grant=grant, proposed_by=administrator, **changes))
    assert not AmendmentProposal.objects.exists()
    assert Grant.objects.get().amount == cad("10000.00")


def test_spending_wider_than_a_budget_line_is_refused(requirement, member):
    data = complete(spending={"activities": Decimal("1000000000000.00")})
    refused(ReportError, lambda: report_save(requirement=requirement, user=member, data=data, submit=True))
    assert not ProjectReport.objects.exists()


def test_spending_of_hundreds_of_digits_is_refused_in_words_too(requirement, member):
    data = complete(spending={"activities": Decimal("1e400")})
    refused(ReportError, lambda: report_save(requirement=requirement, user=member, data=data, submit=True))
    assert not ProjectReport.objects.exists()


def test_the_largest_amount_a_column_holds_is_accepted(finance_user):
    programme = programme_create(
        name="Plein", fiscal_year=2025, amount=cad("999999999999.99"), created_by=finance_user
    )
    assert FundingProgramme.objects.get(pk=programme.pk).amount == Money(Decimal("999999999999.99"), "CAD")
