"""A grant's life: creation, approval, amendment, cancellation, closing."""

from datetime import date
from decimal import Decimal

import pytest
from moneyed import Money

from grants.errors import GrantError
from grants.models import (
    AmendmentProposal,
    BudgetLine,
    Grant,
    GrantAmendment,
    GrantBudgetLine,
    GrantPurpose,
    GrantStatus,
    Instalment,
    InstalmentStatus,
    ScheduleFrequency,
)
from grants.selectors import programme_amounts
from grants.services import (
    amendment_propose,
    disbursements_post_due,
    grant_actions,
    grant_approve,
    grant_cancel,
    grant_close,
    grant_create,
)

from .conftest import RUN_DAY, amounts, cad

pytestmark = pytest.mark.django_db


def nothing_written(grants: int = 0, instalments: int = 0) -> bool:
    return Grant.objects.count() == grants and Instalment.objects.count() == instalments


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"dates": [date(2025, 5, 1), date(2026, 4, 1)]}, "schedule_outside_period"),
        ({"dates": []}, "schedule_empty"),
        ({"dates": [date(2025, 5, 1), date(2025, 5, 1)]}, "schedule_duplicate_dates"),
        ({"budget": {"activities": cad("6000.00"), "salaries": cad("3999.99")}}, "budget_mismatch"),
        ({"budget": {"activities": Money("10000.00", "USD")}}, "currency_mismatch"),
        ({"budget": {"lunch": cad("10000.00")}}, "unknown_budget_line"),
        ({"amount": "100000.01", "budget": {"activities": cad("100000.01")}}, "exceeds_available"),
        ({"start_date": date(2026, 4, 1), "end_date": date(2026, 3, 31)}, "end_before_start"),
        ({"amount": "0.02", "budget": {"activities": cad("0.02")}}, "schedule_too_fine"),
    ],
)
def test_a_grant_that_cannot_be_made_is_refused_and_nothing_is_written(make_grant, changes, code):
    with pytest.raises(GrantError) as refused:
        make_grant(approve=False, **changes)
    assert refused.value.code == code
    assert refused.value.messages[0]
    assert nothing_written()
    assert not GrantBudgetLine.objects.exists()


def test_a_grant_in_another_currency_than_its_programme_is_refused(programme, party, finance_user):
    with pytest.raises(GrantError) as refused:
        grant_create(
            programme=programme,
            party=party,
            title="USD",
            purpose="other",
            amount=Money("100.00", "USD"),
            start_date=date(2025, 4, 1),
            end_date=date(2025, 4, 1),
            budget={"other": Money("100.00", "USD")},
            created_by=finance_user,
        )
    assert refused.value.code == "currency_mismatch"
    assert "CAD" in refused.value.messages[0] and "USD" in refused.value.messages[0]
    assert nothing_written()


def test_approval_is_an_administrators_act_recorded_with_who_and_when(make_grant, administrator, finance_user):
    grant = make_grant(approve=False)
    with pytest.raises(GrantError) as refused:
        grant_approve(grant=grant, approved_by=finance_user)
    assert refused.value.code == "not_administrator"
    grant.refresh_from_db()
    assert grant.status == GrantStatus.DRAFT and grant.approved_by is None
    grant = grant_approve(grant=grant, approved_by=administrator)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.APPROVED
    assert grant.approved_by == administrator and grant.approved_at is not None
    assert programme_amounts(programme=grant.programme).committed == cad("10000.00")
    assert programme_amounts(programme=grant.programme).available == cad("90000.00")


def test_a_grant_cannot_commit_more_than_the_programme_has_available(make_grant, administrator):
    first = make_grant(amount="60000.00", approve=False)
    second = make_grant(amount="60000.00", approve=False, title="Autre")
    grant_approve(grant=first, approved_by=administrator)
    with pytest.raises(GrantError) as refused:
        grant_approve(grant=second, approved_by=administrator)
    assert refused.value.code == "exceeds_available"
    assert "40" in refused.value.messages[0]
    second.refresh_from_db()
    assert second.status == GrantStatus.DRAFT


def test_an_administrator_does_not_approve_a_grant_they_prepared(programme, party, administrator):
    grant = grant_create(
        programme=programme,
        party=party,
        title="Table de concertation jeunesse",
        purpose=GrantPurpose.CONCERTATION_TABLE,
        amount=cad("1000.00"),
        start_date=date(2025, 4, 1),
        end_date=date(2026, 3, 31),
        budget={BudgetLine.ACTIVITIES: cad("1000.00")},
        frequency=ScheduleFrequency.SINGLE,
        created_by=administrator,
    )
    with pytest.raises(GrantError) as refused:
        grant_approve(grant=grant, approved_by=administrator)
    assert refused.value.code == "own_grant"
    grant.refresh_from_db()
    assert grant.status == GrantStatus.DRAFT and grant.approved_by is None


def test_cancelling_cancels_the_unpaid_instalments_and_leaves_the_paid_one(make_grant, administrator, programme):
    grant = make_grant()
    disbursements_post_due(today=RUN_DAY)
    grant_cancel(grant=grant, cancelled_by=administrator, reason="Projet abandonné")
    assert [status for *_, status in amounts(grant)] == ["paid", "cancelled", "cancelled"]
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CANCELLED and grant.cancelled_by == administrator
    figures = programme_amounts(programme=programme)
    assert figures.committed == cad("3333.34")
    assert figures.disbursed == cad("3333.34")
    assert figures.available == cad("96666.66")
    with pytest.raises(GrantError) as refused:
        grant_cancel(grant=grant, cancelled_by=administrator)
    assert refused.value.code == "not_cancellable"


def test_an_amendment_replans_only_the_unpaid_instalments(make_grant, amend, programme):
    grant = make_grant()
    disbursements_post_due(today=RUN_DAY)
    paid = grant.instalments.get(sequence=1)
    grant = amend(grant, amount=cad("12000.00"), reason="Ajout d'une municipalité")
    assert amounts(grant) == [
        (1, date(2025, 5, 1), cad("3333.34"), "paid"),
        (2, date(2025, 9, 1), cad("4333.33"), "scheduled"),
        (3, date(2026, 1, 15), cad("4333.33"), "scheduled"),
    ]
    assert grant.instalments.get(sequence=1).transaction_id == paid.transaction_id
    assert sum(i.amount for i in grant.instalments.all()) == cad("12000.00")
    assert dict(grant.budget_lines.values_list("line", "amount")) == {"activities": Decimal("12000.00")}
    assert programme_amounts(programme=programme).committed == cad("12000.00")
    amendment = GrantAmendment.objects.get()
    assert (amendment.previous_amount, amendment.new_amount) == (cad("10000.00"), cad("12000.00"))


def test_an_amendment_of_the_end_date_spreads_the_rest_over_the_new_schedule(make_grant, amend):
    grant = make_grant(
        amount="1200.00", frequency=ScheduleFrequency.QUARTERLY, budget={"salaries": cad("800.00"), "travel": cad("400.00")}
    )
    disbursements_post_due(today=RUN_DAY)  # pays the one of 1 April: 300.00
    grant = amend(grant, amount=cad("1000.00"), end_date=date(2025, 12, 31))
    assert amounts(grant) == [
        (1, date(2025, 4, 1), cad("300.00"), "paid"),
        (2, date(2025, 7, 1), cad("350.00"), "scheduled"),
        (3, date(2025, 10, 1), cad("350.00"), "scheduled"),
    ]
    assert dict(grant.budget_lines.values_list("line", "amount")) == {
        "salaries": Decimal("666.67"),
        "travel": Decimal("333.33"),
    }


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"amount": cad("3333.33")}, "amendment_below_paid"),
        ({"amount": Money("10000.00", "USD")}, "currency_mismatch"),
        ({"end_date": date(2025, 4, 30)}, "end_before_paid"),
        ({"amount": cad("200000.00")}, "exceeds_available"),
        ({"amount": cad("11000.00"), "budget": {"activities": cad("10000.00")}}, "budget_mismatch"),
    ],
)
def test_a_bad_amendment_is_refused_and_nothing_is_written(make_grant, administrator, changes, code):
    grant = make_grant()
    disbursements_post_due(today=RUN_DAY)
    before = amounts(grant)
    with pytest.raises(GrantError) as refused:
        amendment_propose(grant=grant, proposed_by=administrator, **changes)
    assert refused.value.code == code
    assert amounts(grant) == before
    grant.refresh_from_db()
    assert grant.amount == cad("10000.00") and grant.end_date == date(2026, 3, 31)
    assert not GrantAmendment.objects.exists() and not AmendmentProposal.objects.exists()


def test_amending_needs_an_administrator(make_grant, finance_user):
    grant = make_grant()
    with pytest.raises(GrantError) as refused:
        amendment_propose(grant=grant, proposed_by=finance_user, amount=cad("9000.00"))
    assert refused.value.code == "not_administrator"
    assert grant.instalments.count() == 3 and not AmendmentProposal.objects.exists()


def test_a_fully_paid_grant_is_closed(make_grant, finance_user):
    grant = make_grant()
    with pytest.raises(GrantError) as refused:
        grant_close(grant=grant, closed_by=finance_user)
    assert refused.value.code == "not_active"
    disbursements_post_due(today=RUN_DAY)
    with pytest.raises(GrantError) as refused:
        grant_close(grant=grant, closed_by=finance_user)
    assert refused.value.code == "unpaid_instalments"
    disbursements_post_due(today=date(2026, 3, 31))
    assert grant_close(grant=grant, closed_by=finance_user).status == GrantStatus.CLOSED


def test_the_audit_trail_keeps_who_planned_and_who_cancelled_each_instalment(make_grant, administrator, finance_user):
    grant = make_grant()
    assert Instalment.history.filter(grant_id=grant.pk, history_type="+").count() == 3
    assert set(Instalment.history.filter(grant_id=grant.pk, history_type="+").values_list("history_user", flat=True)) == {
        finance_user.pk
    }
    disbursements_post_due(today=RUN_DAY)
    grant_cancel(grant=grant, cancelled_by=administrator, reason="Projet abandonné")
    cancelled = Instalment.history.filter(grant_id=grant.pk, history_type="~", status=InstalmentStatus.CANCELLED)
    assert sorted(cancelled.values_list("sequence", flat=True)) == [2, 3]
    assert set(cancelled.values_list("history_user", flat=True)) == {administrator.pk}
    assert Grant.history.filter(id=grant.pk, status=GrantStatus.CANCELLED).exists()


def test_the_acts_offered_on_a_grant_follow_the_services_rules(make_grant, administrator, second_administrator, finance_user):
    draft = make_grant(approve=False)
    assert tuple(grant_actions(grant=draft, user=administrator)) == (True, True, True)
    assert tuple(grant_actions(grant=draft, user=finance_user)) == (False, False, False)
    draft.created_by = second_administrator
    assert tuple(grant_actions(grant=draft, user=second_administrator)) == (False, True, True)
    approved = grant_approve(grant=draft, approved_by=administrator)
    assert tuple(grant_actions(grant=approved, user=administrator)) == (False, True, True)
    cancelled = grant_cancel(grant=approved, cancelled_by=administrator)
    assert tuple(grant_actions(grant=cancelled, user=administrator)) == (False, False, False)
