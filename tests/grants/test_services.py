from datetime import date
from decimal import Decimal

import pytest
from moneyed import Money

from grants.errors import GrantError
from grants.holds import HoldReason, hold_provider_register, hold_provider_unregister
from grants.models import (
    BudgetLine,
    FundingProgramme,
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
    disbursements_post_due,
    grant_amend,
    grant_approve,
    grant_cancel,
    grant_close,
    grant_create,
    grant_holds_release,
    instalment_pay,
    instalment_reverse_payment,
    instalments_hold,
    programme_create,
)
from ledger.models import Account, Entry, Transaction, TransactionKind
from ledger.selectors import account_balance
from ledger.services import Line, transaction_post

from .conftest import cad

pytestmark = pytest.mark.django_db

RUN_DAY = date(2025, 6, 1)


def amounts(grant: Grant) -> list[tuple[int, date, Money, str]]:
    return [(i.sequence, i.due_date, i.amount, i.status) for i in grant.instalments.order_by("sequence")]


def nothing_written(grants: int = 0, instalments: int = 0) -> bool:
    return Grant.objects.count() == grants and Instalment.objects.count() == instalments


# --- Programmes --------------------------------------------------------------------------------------------------


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


# --- The schedule -----------------------------------------------------------------------------------------------


def test_instalments_sum_exactly_and_the_first_take_the_extra_cents(make_grant):
    grant = make_grant(approve=False)
    assert amounts(grant) == [
        (1, date(2025, 5, 1), cad("3333.34"), "scheduled"),
        (2, date(2025, 9, 1), cad("3333.33"), "scheduled"),
        (3, date(2026, 1, 15), cad("3333.33"), "scheduled"),
    ]
    assert grant.status == GrantStatus.DRAFT


def test_a_monthly_schedule_keeps_the_day_or_the_end_of_a_shorter_month(make_grant):
    grant = make_grant(
        amount="1000.00",
        frequency=ScheduleFrequency.MONTHLY,
        start_date=date(2026, 1, 31),
        end_date=date(2026, 5, 30),
        approve=False,
    )
    assert [(d, a) for _, d, a, _ in amounts(grant)] == [
        (date(2026, 1, 31), cad("250.00")),
        (date(2026, 2, 28), cad("250.00")),
        (date(2026, 3, 31), cad("250.00")),
        (date(2026, 4, 30), cad("250.00")),
    ]


def test_a_quarterly_schedule_and_a_single_payment(make_grant):
    quarterly = make_grant(amount="1000.01", frequency=ScheduleFrequency.QUARTERLY, approve=False)
    assert [(d, a) for _, d, a, _ in amounts(quarterly)] == [
        (date(2025, 4, 1), cad("250.01")),
        (date(2025, 7, 1), cad("250.00")),
        (date(2025, 10, 1), cad("250.00")),
        (date(2026, 1, 1), cad("250.00")),
    ]
    single = make_grant(amount="500.00", frequency=ScheduleFrequency.SINGLE, approve=False, title="Une fois")
    assert [(d, a) for _, d, a, _ in amounts(single)] == [(date(2025, 4, 1), cad("500.00"))]


# --- Bad input: a clear error, nothing written --------------------------------------------------------------------


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
    from grants.services import grant_create

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


# --- Approval -------------------------------------------------------------------------------------------------------


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


# --- Paying ---------------------------------------------------------------------------------------------------------


def test_a_due_instalment_is_paid_from_the_programme_fund_to_the_party_once(make_grant, programme, party):
    grant = make_grant()
    first = grant.instalments.get(sequence=1)
    run = disbursements_post_due(today=RUN_DAY)
    assert (run.paid, run.held, run.failed) == (1, 0, 0)
    first.refresh_from_db()
    assert first.status == InstalmentStatus.PAID
    txn = first.transaction
    assert txn.kind == TransactionKind.DISBURSEMENT
    assert txn.idempotency_key == f"instalment:{first.pk}"
    assert txn.date == RUN_DAY
    assert dict(txn.entries.values_list("account__code", "amount")) == {
        f"PF-{programme.pk}": Decimal("-3333.34"),
        f"GR-{party.pk}-CAD": Decimal("3333.34"),
    }
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACTIVE
    assert disbursements_post_due(today=RUN_DAY).paid == 0
    assert Transaction.objects.filter(kind=TransactionKind.DISBURSEMENT).count() == 1
    assert programme_amounts(programme=programme).disbursed == cad("3333.34")
    assert grant.instalments.filter(status=InstalmentStatus.SCHEDULED).count() == 2


def test_instalments_missed_while_the_scheduler_was_down_are_caught_up(make_grant):
    grant = make_grant()
    run = disbursements_post_due(today=date(2026, 2, 1))
    assert run.paid == 3
    assert set(grant.instalments.values_list("status", flat=True)) == {"paid"}
    assert account_balance(account=Account.objects.get(code=f"GR-{grant.party_id}-CAD")) == cad("10000.00")


def test_draft_and_cancelled_grants_are_not_paid(make_grant, administrator):
    make_grant(approve=False)
    cancelled = make_grant(title="Annulée")
    grant_cancel(grant=cancelled, cancelled_by=administrator)
    assert disbursements_post_due(today=date(2026, 2, 1)).paid == 0
    assert not Transaction.objects.filter(kind=TransactionKind.DISBURSEMENT).exists()


def test_a_permanent_error_on_one_instalment_marks_it_failed_and_the_others_are_paid(make_grant, other_party, cash):
    grant = make_grant()
    other = make_grant(party=other_party, title="Autre partenaire")
    blocked = grant.instalments.get(sequence=1)
    squatter = Account.objects.create(code="X", name="x", type="asset", currency="CAD")
    transaction_post(  # the key was taken by something else
        lines=[Line(account=cash, amount=cad("-1.00")), Line(account=squatter, amount=cad("1.00"))],
        date=RUN_DAY,
        kind=TransactionKind.ADJUSTMENT,
        idempotency_key=f"instalment:{blocked.pk}",
    )
    run = disbursements_post_due(today=RUN_DAY)
    assert (run.paid, run.failed) == (1, 1)
    blocked.refresh_from_db()
    assert blocked.status == InstalmentStatus.FAILED
    assert "instalment:" in blocked.failure_reason and run.failures == {blocked.pk: blocked.failure_reason}
    assert other.instalments.get(sequence=1).status == InstalmentStatus.PAID


def test_paying_one_instalment_by_hand_is_the_same_posting(make_grant, finance_user):
    grant = make_grant()
    instalment = grant.instalments.get(sequence=2)
    paid = instalment_pay(instalment=instalment, today=RUN_DAY, posted_by=finance_user)
    again = instalment_pay(instalment=instalment, today=RUN_DAY, posted_by=finance_user)
    assert paid.status == again.status == InstalmentStatus.PAID
    assert paid.transaction_id == again.transaction_id
    assert Transaction.objects.filter(kind=TransactionKind.DISBURSEMENT).count() == 1


# --- Holds ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def overdue_report():
    overdue: set[int] = set()

    def provider(grants, today):
        return {g.pk: HoldReason(code="overdue_report", message="Rapport d'étape en retard") for g in grants if g.pk in overdue}

    hold_provider_register(provider)
    yield overdue
    hold_provider_unregister(provider)


def test_an_overdue_report_holds_the_instalment_until_it_is_released(make_grant, overdue_report):
    grant = make_grant()
    overdue_report.add(grant.pk)
    run = disbursements_post_due(today=RUN_DAY)
    assert (run.paid, run.held) == (0, 1)
    held = grant.instalments.get(sequence=1)
    assert held.status == InstalmentStatus.HELD and held.hold_reason == "Rapport d'étape en retard"
    assert disbursements_post_due(today=RUN_DAY).paid == 0  # held is not due

    overdue_report.discard(grant.pk)  # the report is accepted
    assert grant_holds_release(grant=grant) == 1
    assert disbursements_post_due(today=RUN_DAY).paid == 1
    held.refresh_from_db()
    assert held.status == InstalmentStatus.PAID and held.hold_reason == ""


def test_a_programme_without_the_policy_pays_despite_an_overdue_report(make_grant, overdue_report, programme):
    FundingProgramme.objects.filter(pk=programme.pk).update(holds_on_overdue_report=False)
    grant = make_grant()
    overdue_report.add(grant.pk)
    assert disbursements_post_due(today=RUN_DAY).paid == 1


def test_staff_can_hold_a_grants_instalments_directly(make_grant):
    grant = make_grant()
    assert instalments_hold(grant=grant, reason=HoldReason(code="manual", message="Vérification")) == 3
    assert disbursements_post_due(today=date(2026, 3, 1)).paid == 0


# --- Changes --------------------------------------------------------------------------------------------------------


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


def test_an_amendment_replans_only_the_unpaid_instalments(make_grant, administrator, programme):
    grant = make_grant()
    disbursements_post_due(today=RUN_DAY)
    paid = grant.instalments.get(sequence=1)
    grant = grant_amend(grant=grant, amended_by=administrator, amount=cad("12000.00"), reason="Ajout d'une municipalité")
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


def test_an_amendment_of_the_end_date_spreads_the_rest_over_the_new_schedule(make_grant, administrator):
    grant = make_grant(
        amount="1200.00", frequency=ScheduleFrequency.QUARTERLY, budget={"salaries": cad("800.00"), "travel": cad("400.00")}
    )
    disbursements_post_due(today=RUN_DAY)  # pays the one of 1 April: 300.00
    grant = grant_amend(grant=grant, amended_by=administrator, amount=cad("1000.00"), end_date=date(2025, 12, 31))
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
        grant_amend(grant=grant, amended_by=administrator, **changes)
    assert refused.value.code == code
    assert amounts(grant) == before
    grant.refresh_from_db()
    assert grant.amount == cad("10000.00") and grant.end_date == date(2026, 3, 31)
    assert not GrantAmendment.objects.exists()


def test_amending_needs_an_administrator(make_grant, finance_user):
    grant = make_grant()
    with pytest.raises(GrantError) as refused:
        grant_amend(grant=grant, amended_by=finance_user, amount=cad("9000.00"))
    assert refused.value.code == "not_administrator"
    assert grant.instalments.count() == 3 and not GrantAmendment.objects.exists()


def test_a_mistaken_payment_is_reversed_in_the_ledger_never_edited(make_grant, administrator, programme):
    grant = make_grant()
    disbursements_post_due(today=RUN_DAY)
    instalment = grant.instalments.get(sequence=1)
    payment = instalment.transaction
    instalment = instalment_reverse_payment(
        instalment=instalment, reversed_by=administrator, reason="Mauvais organisme", on=date(2025, 6, 2)
    )
    assert instalment.status == InstalmentStatus.REVERSED
    assert instalment.transaction_id == payment.pk
    reversal = Transaction.objects.get(reverses=payment)
    assert dict(reversal.entries.values_list("account__code", "amount")) == {
        f"PF-{programme.pk}": Decimal("3333.34"),
        f"GR-{grant.party_id}-CAD": Decimal("-3333.34"),
    }
    assert programme_amounts(programme=programme).disbursed == cad("0.00")
    assert Entry.objects.filter(transaction=payment).count() == 2
    with pytest.raises(GrantError) as refused:
        instalment_reverse_payment(instalment=instalment, reversed_by=administrator)
    assert refused.value.code == "not_paid"
    # To pay it again, the grant is amended: the unpaid 10,000 $ are planned anew.
    grant = grant_amend(grant=grant, amended_by=administrator, amount=cad("10000.00"))
    assert amounts(grant)[0] == (1, date(2025, 5, 1), cad("3333.34"), "reversed")
    assert sum(a for _, _, a, s in amounts(grant) if s == "scheduled") == cad("10000.00")


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
