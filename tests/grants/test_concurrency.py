"""Exactly once across processes: two runs at once, and a run killed halfway.

Each run is ``manage.py post_due_disbursements`` in its own process, on the
test database (committed data: ``transaction=True``).
"""

import signal
import subprocess
import time
from datetime import date

import psycopg
import pytest
from moneyed import Money

from grants.models import GrantPurpose, Instalment, InstalmentStatus, ScheduleFrequency
from grants.services import grant_approve, grant_create, programme_create
from ledger.models import Entry, Transaction, TransactionKind
from ledger.selectors import account_balance
from tests.daily_runs import command_start, database_url, wait_for_backend_gone, waiting_on_a_lock

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

RUN_DAY = "2026-03-31"
KILLED_APP = "grants-killed-run"


def run_command(*args: str, app_name: str = "grants-test-run") -> subprocess.Popen:
    return command_start("post_due_disbursements", "--date", RUN_DAY, *args, app_name=app_name)


def grants_of_twelve_monthly_instalments(*, count, party, programme, finance_user, administrator) -> None:
    for number in range(count):
        grant = grant_create(
            programme=programme,
            party=party,
            title=f"Projet {number}",
            purpose=GrantPurpose.SERVICE_OFFER,
            amount=Money("1200.00", "CAD"),
            start_date=date(2025, 4, 1),
            end_date=date(2026, 3, 31),
            budget={"salaries": Money("1200.00", "CAD")},
            frequency=ScheduleFrequency.MONTHLY,
            created_by=finance_user,
        )
        grant_approve(grant=grant, approved_by=administrator)


@pytest.fixture
def big_programme(finance_user):
    return programme_create(
        name="Grand programme", fiscal_year=2025, amount=Money("1000000.00", "CAD"), created_by=finance_user,
        funded_on=date(2025, 4, 1),
    )


def assert_each_paid_exactly_once(programme, total: int) -> None:
    instalments = Instalment.objects.all()
    assert instalments.count() == total
    assert instalments.filter(status=InstalmentStatus.PAID).count() == total
    disbursements = Transaction.objects.filter(kind=TransactionKind.DISBURSEMENT)
    assert disbursements.count() == total
    assert Entry.objects.filter(transaction__kind=TransactionKind.DISBURSEMENT).count() == 2 * total
    keys = set(disbursements.values_list("idempotency_key", flat=True))
    assert keys == {f"instalment:{pk}" for pk in instalments.values_list("pk", flat=True)}
    assert set(instalments.values_list("transaction__idempotency_key", flat=True)) == keys
    assert account_balance(account=programme.fund_account) == Money(1000000 - 100 * total, "CAD")


def test_two_runs_at_once_pay_each_of_300_instalments_exactly_once(
    big_programme, party, other_party, finance_user, administrator
):
    for who in (party, other_party):
        grants_of_twelve_monthly_instalments(
            count=13 if who == party else 12, party=who, programme=big_programme,
            finance_user=finance_user, administrator=administrator,
        )
    runs = [run_command("--chunk-size", "10") for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    paid = [int(out.split("paid=")[1].split()[0]) for out, _err in outputs]
    assert sum(paid) == 300, outputs
    assert_each_paid_exactly_once(big_programme, 300)


def test_a_run_killed_halfway_is_finished_by_the_next_and_pays_each_once(
    big_programme, party, other_party, finance_user, administrator
):
    grants_of_twelve_monthly_instalments(
        count=12, party=party, programme=big_programme, finance_user=finance_user, administrator=administrator
    )
    grants_of_twelve_monthly_instalments(
        count=13, party=other_party, programme=big_programme, finance_user=finance_user, administrator=administrator
    )
    first_of_second_party = Instalment.objects.filter(grant__party=other_party).order_by("pk").first()
    # Begin (and never commit) a posting under the key of the second party's first instalment: the run's
    # own insert of that key waits for it, in the middle of its sixth chunk, until it is killed.
    with psycopg.connect(database_url()) as lock:
        lock.execute(
            "INSERT INTO ledger_transaction (date, period_id, kind, memo, idempotency_key, request_hash, posted_at)"
            " VALUES ('2026-03-31', 2025, 'adjustment', '', %s, '', now())",
            [f"instalment:{first_of_second_party.pk}"],
        )
        killed = run_command("--chunk-size", "25", app_name=KILLED_APP)
        try:
            deadline = time.monotonic() + 60
            while not waiting_on_a_lock(KILLED_APP):
                assert killed.poll() is None, killed.communicate()
                assert time.monotonic() < deadline, "the run never reached the held account"
                time.sleep(0.05)
        finally:
            killed.send_signal(signal.SIGKILL)
            killed.wait(timeout=30)
        lock.rollback()
    assert killed.returncode == -signal.SIGKILL
    wait_for_backend_gone(KILLED_APP)

    # 144 instalments of the first party: five chunks committed, the sixth rolled back.
    assert Instalment.objects.filter(status=InstalmentStatus.PAID).count() == 125
    assert Transaction.objects.filter(kind=TransactionKind.DISBURSEMENT).count() == 125

    again = run_command()
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert "paid=175 " in out
    assert_each_paid_exactly_once(big_programme, 300)
