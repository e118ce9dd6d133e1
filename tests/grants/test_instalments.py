"""What becomes of an instalment, written in one place with its history."""

from datetime import date

import pytest
from moneyed import Money

from grants.holds import HoldReason
from grants.models import HoldCode, Instalment, InstalmentStatus
from grants.services import Outcome, disbursements_post_due, grant_holds_release, instalments_hold, instalments_record
from ledger.models import TransactionKind
from ledger.services import Line, transaction_post


pytestmark = pytest.mark.django_db


def test_staff_can_hold_a_grants_instalments_directly(make_grant):
    grant = make_grant()
    assert instalments_hold(grant=grant, reason=HoldReason.staff("Vérification")) == 3
    assert disbursements_post_due(today=date(2026, 3, 1)).paid == 0


def test_each_outcome_is_written_with_a_history_row_naming_who(make_grant, administrator):
    grant = make_grant()
    first, second, third = grant.instalments.order_by("sequence")
    instalments_record(
        outcomes=[(first, Outcome.held(HoldReason.staff("x" * 600))), (second, Outcome.failed("Refusé par le grand livre"))],
        recorded_by=administrator,
    )
    assert list(grant.instalments.order_by("sequence").values_list("status", "hold_reason", "failure_reason")) == [
        (InstalmentStatus.HELD, "x" * 500, ""),
        (InstalmentStatus.FAILED, "", "Refusé par le grand livre"),
        (InstalmentStatus.SCHEDULED, "", ""),
    ]
    changes = Instalment.history.filter(grant_id=grant.pk, history_type="~")
    assert sorted(changes.values_list("sequence", "status", "history_user")) == [
        (1, InstalmentStatus.HELD, administrator.pk),
        (2, InstalmentStatus.FAILED, administrator.pk),
    ]

    instalments_record(outcomes=[(second, Outcome.held(HoldReason.staff("Rapport en retard")))])
    second.refresh_from_db()
    assert (second.status, second.hold_code, second.hold_reason, second.failure_reason) == (
        InstalmentStatus.HELD, HoldCode.STAFF, "Rapport en retard", ""
    )


def test_a_payment_and_a_failure_recorded_together_keep_each_its_own_fields(make_grant, cash, party_account):
    grant = make_grant()
    first, second, third = grant.instalments.order_by("sequence")
    payment = transaction_post(
        lines=[Line(account=cash, amount=Money("-10.00", "CAD")), Line(account=party_account, amount=Money("10.00", "CAD"))],
        date=date(2026, 1, 15),
        kind=TransactionKind.DISBURSEMENT,
        idempotency_key="test:payment",
    ).transaction
    instalments_record(outcomes=[(first, Outcome.paid(payment)), (second, Outcome.failed("Compte fermé"))])
    rows = grant.instalments.order_by("sequence").values_list("status", "transaction", "failure_reason", "paid_at")
    (paid, paid_txn, paid_failure, paid_at), failed, untouched = rows
    assert (paid, paid_txn, paid_failure, paid_at is not None) == (InstalmentStatus.PAID, payment.pk, "", True)
    assert failed == (InstalmentStatus.FAILED, None, "Compte fermé", None)
    assert untouched == (InstalmentStatus.SCHEDULED, None, "", None)


def test_releasing_a_grant_schedules_its_held_instalments_again(make_grant):
    grant = make_grant()
    instalments_hold(grant=grant, reason=HoldReason.staff("Vérification"))
    assert grant_holds_release(grant=grant) == 3
    assert list(grant.instalments.values_list("status", "hold_code", "hold_params", "hold_reason")) == [
        (InstalmentStatus.SCHEDULED, "", {}, "")
    ] * 3
    assert Instalment.history.filter(grant_id=grant.pk, history_type="~", status=InstalmentStatus.SCHEDULED).count() == 3
