"""Four eyes on a grant's money: one administrator proposes an amendment, another approves it."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from grants.errors import GrantError
from grants.models import AmendmentProposal, Grant, GrantAmendment, ProposalStatus
from grants.selectors import amendment_changes, programme_amounts
from grants.services import (
    amendment_approve,
    amendment_propose,
    amendment_reject,
    amendment_withdraw,
    disbursements_post_due,
)

from .conftest import RUN_DAY, amounts, cad

pytestmark = pytest.mark.django_db

PLANNED = [
    (1, date(2025, 5, 1), cad("3333.34"), "scheduled"),
    (2, date(2025, 9, 1), cad("3333.33"), "scheduled"),
    (3, date(2026, 1, 15), cad("3333.33"), "scheduled"),
]


def refused(make, code: str) -> str:
    with translation.override("en"), pytest.raises(GrantError) as refusal:
        make()
    assert refusal.value.code == code
    return refusal.value.messages[0]


def sql_refused(statement: str, params=()) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
    return str(error.value)


def test_one_administrator_cannot_double_a_grant_alone(grant, administrator, programme):
    proposal = amendment_propose(grant=grant, proposed_by=administrator, amount=cad("20000.00"), reason="Deux villes")
    assert Grant.objects.get().amount == cad("10000.00")
    assert amounts(grant) == PLANNED
    message = refused(lambda: amendment_approve(proposal=proposal, approved_by=administrator), "own_amendment")
    assert message == "You proposed this amendment; another administrator must approve it."
    assert Grant.objects.get().amount == cad("10000.00")
    assert amounts(grant) == PLANNED
    assert AmendmentProposal.objects.get().status == ProposalStatus.PROPOSED
    assert programme_amounts(programme=programme).committed == cad("10000.00")
    assert not GrantAmendment.objects.exists()


def test_a_second_administrator_approves_and_the_unpaid_instalments_are_planned_again(
    grant, administrator, second_administrator, programme
):
    disbursements_post_due(today=RUN_DAY)
    proposal = amendment_propose(grant=grant, proposed_by=administrator, amount=cad("20000.00"), reason="Deux villes")
    proposal = amendment_approve(proposal=proposal, approved_by=second_administrator)
    assert amounts(grant) == [
        (1, date(2025, 5, 1), cad("3333.34"), "paid"),
        (2, date(2025, 9, 1), cad("8333.33"), "scheduled"),
        (3, date(2026, 1, 15), cad("8333.33"), "scheduled"),
    ]
    assert Grant.objects.get().amount == cad("20000.00")
    assert programme_amounts(programme=programme).committed == cad("20000.00")
    assert (proposal.status, proposal.proposed_by, proposal.decided_by) == (
        ProposalStatus.APPROVED,
        administrator,
        second_administrator,
    )
    applied = GrantAmendment.objects.get()
    assert applied.proposal == proposal
    assert (applied.previous_amount, applied.new_amount, applied.amended_by, applied.reason) == (
        cad("10000.00"),
        cad("20000.00"),
        second_administrator,
        "Deux villes",
    )


def test_the_proposal_freezes_its_budget_and_reads_in_words(make_grant, administrator, second_administrator):
    grant = make_grant(budget={"salaries": cad("6000.00"), "travel": cad("4000.00")})
    proposal = amendment_propose(grant=grant, proposed_by=administrator, amount=cad("15000.00"), end_date=date(2026, 2, 28))
    assert (proposal.previous_budget, proposal.new_budget) == (
        {"salaries": "6000.00", "travel": "4000.00"},
        {"salaries": "9000.00", "travel": "6000.00"},
    )
    with translation.override("en"):
        assert amendment_changes(proposal=proposal) == [
            "Amount: $10,000.00 becomes $15,000.00.",
            "End date: March 31, 2026 becomes February 28, 2026.",
            "Budget line Salaries: $6,000.00 becomes $9,000.00.",
            "Budget line Travel: $4,000.00 becomes $6,000.00.",
            "The unpaid instalments are planned again over the schedule's dates still to come.",
        ]
    amendment_approve(proposal=proposal, approved_by=second_administrator)
    grant.refresh_from_db()
    assert dict(grant.budget_lines.values_list("line", "amount")) == {"salaries": Decimal("9000.00"), "travel": Decimal("6000.00")}
    assert grant.end_date == date(2026, 2, 28)
    assert amounts(grant) == [
        (1, date(2025, 5, 1), cad("5000.00"), "scheduled"),
        (2, date(2025, 9, 1), cad("5000.00"), "scheduled"),
        (3, date(2026, 1, 15), cad("5000.00"), "scheduled"),
    ]


def test_the_inputs_of_a_proposal_are_frozen_in_the_database(grant, administrator, second_administrator):
    proposal = amendment_propose(grant=grant, proposed_by=administrator, amount=cad("20000.00"))
    message = sql_refused("UPDATE grants_amendmentproposal SET new_amount = 40000 WHERE id = %s", [proposal.pk])
    assert f"the inputs of amendment proposal {proposal.pk} are frozen" in message
    with pytest.raises(DatabaseError), transaction.atomic():
        AmendmentProposal.objects.filter(pk=proposal.pk).update(new_budget={"activities": "40000.00"})
    refused(
        lambda: amendment_propose(grant=grant, proposed_by=second_administrator, amount=cad("40000.00")),
        "proposal_waiting",
    )
    amendment_approve(proposal=proposal, approved_by=second_administrator)
    assert Grant.objects.get().amount == cad("20000.00")
    message = sql_refused("UPDATE grants_amendmentproposal SET status = 'rejected' WHERE id = %s", [proposal.pk])
    assert f"amendment proposal {proposal.pk} is approved, and kept as it was decided" in message
    assert f"{proposal.pk} is approved" in sql_refused("DELETE FROM grants_amendmentproposal WHERE id = %s", [proposal.pk])
    refused(lambda: amendment_approve(proposal=proposal, approved_by=second_administrator), "not_proposed")
    refused(lambda: amendment_withdraw(proposal=proposal, withdrawn_by=administrator), "not_proposed")
    assert GrantAmendment.objects.count() == 1


@pytest.mark.parametrize("status", ["approved", "rejected"])
def test_the_database_refuses_a_decision_by_the_proposer(grant, administrator, status):
    proposal = amendment_propose(grant=grant, proposed_by=administrator, amount=cad("20000.00"))
    applied = GrantAmendment.objects.create(
        grant=grant,
        previous_amount=grant.amount,
        new_amount=cad("20000.00"),
        previous_end_date=grant.end_date,
        new_end_date=grant.end_date,
        amended_by=administrator,
    )
    message = sql_refused(
        "UPDATE grants_amendmentproposal SET status = %s, decided_by_id = proposed_by_id, decided_at = now(), "
        "amendment_id = CASE WHEN %s = 'approved' THEN %s END WHERE id = %s",
        [status, status, applied.pk, proposal.pk],
    )
    assert "grants_proposal_four_eyes" in message


def test_the_history_keeps_who_proposed_and_who_decided(grant, administrator, second_administrator):
    proposal = amendment_propose(grant=grant, proposed_by=administrator, amount=cad("20000.00"))
    amendment_approve(proposal=proposal, approved_by=second_administrator)
    rows = proposal.history.order_by("history_id")
    assert [(row.status, row.new_amount, row.history_user) for row in rows] == [
        ("proposed", cad("20000.00"), administrator),
        ("approved", cad("20000.00"), second_administrator),
    ]


def test_another_administrator_rejects_and_only_the_proposer_withdraws(grant, administrator, second_administrator):
    first = amendment_propose(grant=grant, proposed_by=administrator, amount=cad("20000.00"))
    message = refused(lambda: amendment_reject(proposal=first, rejected_by=administrator), "own_amendment")
    assert message == "You proposed this amendment; withdraw it rather than reject it."
    first = amendment_reject(proposal=first, rejected_by=second_administrator)
    assert (first.status, first.decided_by) == (ProposalStatus.REJECTED, second_administrator)
    second = amendment_propose(grant=grant, proposed_by=administrator, amount=cad("12000.00"))
    refused(lambda: amendment_withdraw(proposal=second, withdrawn_by=second_administrator), "not_proposer")
    second = amendment_withdraw(proposal=second, withdrawn_by=administrator)
    assert (second.status, second.decided_by) == (ProposalStatus.WITHDRAWN, administrator)
    assert Grant.objects.get().amount == cad("10000.00")
    assert amounts(grant) == PLANNED
    assert not GrantAmendment.objects.exists()


def test_an_amendment_that_changes_nothing_is_refused(grant, administrator):
    message = refused(
        lambda: amendment_propose(grant=grant, proposed_by=administrator, amount=cad("10000.00")), "changes_nothing"
    )
    assert message == "This amendment changes nothing: give a new amount, end date or budget."
    assert not AmendmentProposal.objects.exists()


def test_the_approval_checks_the_envelope_again(make_grant, grant, administrator, second_administrator, programme):
    proposal = amendment_propose(grant=grant, proposed_by=administrator, amount=cad("20000.00"))
    make_grant(amount="85000.00", title="Table de concertation")
    refused(lambda: amendment_approve(proposal=proposal, approved_by=second_administrator), "exceeds_available")
    assert AmendmentProposal.objects.get().status == ProposalStatus.PROPOSED
    assert programme_amounts(programme=programme).committed == cad("95000.00")
    assert amounts(grant) == PLANNED
