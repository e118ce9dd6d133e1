"""Paying: the daily run, a payment by hand, holds for an overdue report, reversal."""

from datetime import date
from decimal import Decimal

import pytest

from grants.errors import GrantError
from grants.holds import HoldReason
from grants.models import (
    FundingProgramme,
    Grant,
    GrantStatus,
    HoldCode,
    Instalment,
    InstalmentStatus,
    ProjectReport,
    ReportKind,
    ReportRequirement,
    ReportStatus,
)
from grants.selectors import programme_amounts
from grants.services import (
    disbursements_post_due,
    grant_cancel,
    grant_holds_release,
    instalment_pay,
    instalment_reverse_payment,
    reports_overdue,
)
from ledger.models import Account, Entry, Transaction, TransactionKind
from ledger.selectors import account_balance
from ledger.services import Line, transaction_post

from .conftest import RUN_DAY, amounts, cad

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def overdue_report():
    """Make a grant owe an interim report due on 15 May, overdue on the day of the run."""

    def owe(grant: Grant) -> ReportRequirement:
        return ReportRequirement.objects.create(grant=grant, kind=ReportKind.INTERIM, due_date=date(2025, 5, 15))

    return owe


def test_an_overdue_report_holds_the_instalment_until_it_is_released(make_grant, overdue_report):
    grant = make_grant()
    requirement = overdue_report(grant)
    run = disbursements_post_due(today=RUN_DAY)
    assert (run.paid, run.held) == (0, 1)
    held = grant.instalments.get(sequence=1)
    assert held.status == InstalmentStatus.HELD
    assert reports_overdue(grants=[grant], today=RUN_DAY)[grant.pk] == HoldReason.overdue_report(requirement)
    assert (held.hold_code, held.hold_params, held.hold_reason) == (
        HoldCode.OVERDUE_REPORT, {"report": requirement.pk, "kind": "interim", "due_date": "2025-05-15"}, ""
    )
    assert disbursements_post_due(today=RUN_DAY).paid == 0  # held is not due

    ProjectReport.objects.create(requirement=requirement, status=ReportStatus.ACCEPTED, version_count=1)
    assert grant_holds_release(grant=grant) == 1
    assert disbursements_post_due(today=RUN_DAY).paid == 1
    held.refresh_from_db()
    assert (held.status, held.hold_code, held.hold_params) == (InstalmentStatus.PAID, "", {})


def test_a_programme_without_the_policy_pays_despite_an_overdue_report(make_grant, overdue_report, programme):
    FundingProgramme.objects.filter(pk=programme.pk).update(holds_on_overdue_report=False)
    grant = make_grant()
    overdue_report(grant)
    assert disbursements_post_due(today=RUN_DAY).paid == 1


def test_the_daily_run_leaves_a_history_row_for_each_outcome(make_grant, other_party, overdue_report):
    paid = make_grant()
    held = make_grant(party=other_party, title="Autre partenaire")
    overdue_report(held)
    disbursements_post_due(today=RUN_DAY)
    changes = Instalment.history.filter(history_type="~").order_by("grant_id")
    assert list(changes.values_list("grant_id", "sequence", "status", "history_user")) == [
        (paid.pk, 1, InstalmentStatus.PAID, None),
        (held.pk, 1, InstalmentStatus.HELD, None),
    ]
    payment = paid.instalments.get(sequence=1)
    assert changes.get(grant_id=paid.pk).transaction_id == payment.transaction_id
    assert Grant.history.filter(id=paid.pk, history_type="~", status=GrantStatus.ACTIVE).exists()


def test_a_payment_by_hand_is_kept_in_the_history_with_who_paid(make_grant, finance_user):
    grant = make_grant()
    instalment_pay(instalment=grant.instalments.get(sequence=2), today=RUN_DAY, posted_by=finance_user)
    change = Instalment.history.get(grant_id=grant.pk, history_type="~")
    assert (change.sequence, change.status, change.history_user) == (2, InstalmentStatus.PAID, finance_user)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACTIVE


def test_a_mistaken_payment_is_reversed_in_the_ledger_never_edited(make_grant, administrator, amend, programme):
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
    grant = amend(grant, amount=cad("10000.00"))
    assert amounts(grant)[0] == (1, date(2025, 5, 1), cad("3333.34"), "reversed")
    assert sum(a for _, _, a, s in amounts(grant) if s == "scheduled") == cad("10000.00")
