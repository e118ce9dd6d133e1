"""Paying a grant: the daily run, a payment by hand, holds, and the reversal of a mistaken payment.

1. Every day the task ``grants.tasks.post_due_disbursements`` calls
   :func:`disbursements_post_due`: each instalment due on or before the day
   and not yet paid, held or cancelled is posted to the ledger with
   :func:`ledger.services.transactions_post`, the programme fund paying the
   party's *grants received* account (``GR-<party>-<currency>``), under the
   idempotency key ``instalment:<id>``. The first payment makes the grant
   active. :func:`instalment_pay` pays one instalment the same way, by hand.
2. While a required report is overdue (:func:`grants.services.reports.reports_overdue`)
   and the programme says so, the run holds the grant's instalments instead;
   accepting the report releases them.
3. A mistaken payment is reversed in the ledger by
   :func:`instalment_reverse_payment`, never edited.

What becomes of each instalment is written by
:func:`grants.services.instalments.instalments_record`, with its history.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.accounts import grants_received_code, grants_received_name
from grants.errors import GrantError
from grants.memos import instalment_memo, instalment_reversal_memo
from grants.models import FundingProgramme, Grant, GrantStatus, Instalment, InstalmentStatus
from grants.services.instalments import DUE, Outcome, instalments_record
from grants.services.lifecycle import grants_activate
from grants.services.reports import reports_overdue
from ledger.errors import DomainError
from ledger.models import Account, AccountType, Party, TransactionKind
from ledger.roles import require_administrator
from ledger.runs import DailyRun
from ledger.services import (
    Line,
    PostingRequest,
    PostingResult,
    account_get_or_create,
    transaction_reverse,
    transactions_post,
)

PAYABLE_GRANTS = (GrantStatus.APPROVED, GrantStatus.ACTIVE)


# --- The partner's account ------------------------------------------------------------------------------------------


def grants_received_account(*, party: Party, currency: str) -> Account:
    """The party's account of grants received in ``currency``, made on first use."""
    return account_get_or_create(
        code=grants_received_code(party.pk, currency),
        name=grants_received_name(currency),
        type=AccountType.INCOME,
        currency=currency,
        party=party,
    )


def _received_accounts(grants: Sequence[Grant]) -> dict[tuple[int, str], Account]:
    """The grants-received accounts of the grants' parties, in one query (three when some are new)."""
    codes = {grants_received_code(grant.party_id, grant.currency): (grant.party_id, grant.currency) for grant in grants}
    found = {codes[account.code]: account for account in Account.objects.filter(code__in=list(codes))}
    missing = [code for code, key in codes.items() if key not in found]
    if missing:
        Account.objects.bulk_create(
            [
                Account(
                    code=code,
                    name=grants_received_name(codes[code][1]),
                    type=AccountType.INCOME,
                    currency=codes[code][1],
                    party_id=codes[code][0],
                )
                for code in missing
            ],
            ignore_conflicts=True,
        )
        found.update((codes[account.code], account) for account in Account.objects.filter(code__in=missing))
    return found


# --- Paying ---------------------------------------------------------------------------------------------------------


def _disbursement_request(
    *, instalment: Instalment, received: Account, today: date, posted_by: AbstractBaseUser | None
) -> PostingRequest:
    """The ledger posting that pays an instalment: the programme fund pays the partner."""
    grant = instalment.grant
    fund = grant.programme.fund_account
    if fund is None:
        raise GrantError(
            _("The programme %(programme)s has no fund account."),
            code="not_funded",
            params={"programme": str(grant.programme)},
        )
    amount = instalment.amount
    return PostingRequest(
        lines=[Line(account=fund, amount=-amount), Line(account=received, amount=amount)],
        date=today,
        kind=TransactionKind.DISBURSEMENT,
        idempotency_key=instalment.idempotency_key,
        memo=instalment_memo(instalment),
        posted_by=posted_by,
    )


def _payments_record(
    *,
    paid: Sequence[tuple[Instalment, PostingResult]],
    others: Sequence[tuple[Instalment, Outcome]] = (),
    posted_by: AbstractBaseUser | None,
) -> None:
    """Record the payments and the other outcomes; the grants paid for the first time become active."""
    instalments_record(
        outcomes=[*others, *((instalment, Outcome.paid(result.transaction)) for instalment, result in paid)],
        recorded_by=posted_by,
    )
    first_paid = {instalment.grant_id for instalment, _result in paid if instalment.grant.status == GrantStatus.APPROVED}
    if first_paid:
        grants_activate(grant_ids=first_paid, activated_by=posted_by)


def instalment_pay(
    *, instalment: Instalment, today: date | None = None, posted_by: AbstractBaseUser | None = None
) -> Instalment:
    """Pay one instalment now, as the daily run would; paying it again changes nothing."""
    today = today or timezone.localdate()
    with transaction.atomic():
        instalment = (
            Instalment.objects.select_for_update(of=("self",))
            .select_related("grant__programme__fund_account", "grant__party")
            .get(pk=instalment.pk)
        )
        if instalment.status == InstalmentStatus.PAID:
            return instalment
        grant = instalment.grant
        if instalment.status not in DUE or grant.status not in PAYABLE_GRANTS:
            raise GrantError(
                _("Instalment %(number)s is %(status)s and its grant %(grant_status)s; it cannot be paid."),
                code="not_payable",
                params={
                    "number": instalment.sequence,
                    "status": instalment.get_status_display(),
                    "grant_status": grant.get_status_display(),
                },
            )
        request = _disbursement_request(
            instalment=instalment,
            received=grants_received_account(party=grant.party, currency=grant.currency),
            today=today,
            posted_by=posted_by,
        )
        result = transactions_post(requests=[request])[0]
        _payments_record(paid=[(instalment, result)], posted_by=posted_by)
    return instalment


@dataclass
class DisbursementRun(DailyRun):
    """What one run of :func:`disbursements_post_due` did."""

    paid: int = 0
    held: int = 0

    def counts(self) -> dict[str, int]:
        return {"paid": self.paid, "held": self.held}


def disbursements_post_due(
    *, today: date, chunk_size: int = 1_000, posted_by: AbstractBaseUser | None = None
) -> DisbursementRun:
    """Pay every instalment due on or before ``today`` that is not paid, held or cancelled.

    The database decides what is due, so instalments missed while the
    scheduler was down are paid at the next run. Instalments are taken by
    chunks in id order, each chunk locked ``FOR UPDATE SKIP LOCKED`` and
    committed on its own: two runs at once share the work, and a run killed
    halfway loses only its uncommitted chunk, which the next run pays. The
    idempotency key ``instalment:<id>`` makes a second posting impossible
    anyway. A refusal on one instalment marks it failed with the reason
    (tried again the next day) and the others go on; a database error that
    is not about one instalment (a lost connection, a deadlock) stops the run
    so that its caller retries it.
    """
    run = DisbursementRun(today=today)
    last_pk = 0
    while True:
        with transaction.atomic():
            chunk = list(
                Instalment.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk__gt=last_pk, due_date__lte=today, status__in=DUE, grant__status__in=PAYABLE_GRANTS)
                .order_by("pk")[:chunk_size]
            )
            if not chunk:
                return run
            last_pk = chunk[-1].pk
            _grants_attach(chunk)
            _pay_chunk(chunk=chunk, today=today, run=run, posted_by=posted_by)


def _grants_attach(chunk: list[Instalment]) -> None:
    """Give each instalment its grant, with the party and the programme's fund, each loaded once.

    A chunk holds fewer grants than instalments (a grant's instalments fall
    due together when the run catches up) and a handful of programmes.
    """
    grants = Grant.objects.select_related("party").in_bulk({instalment.grant_id for instalment in chunk})
    programme_ids = {grant.programme_id for grant in grants.values()}
    programmes = FundingProgramme.objects.select_related("fund_account").in_bulk(programme_ids)
    for grant in grants.values():
        Grant.programme.field.set_cached_value(grant, programmes[grant.programme_id])
    for instalment in chunk:
        Instalment.grant.field.set_cached_value(instalment, grants[instalment.grant_id])


def _pay_chunk(
    *, chunk: list[Instalment], today: date, run: DisbursementRun, posted_by: AbstractBaseUser | None
) -> None:
    """Pay a locked chunk: in one batch posting, or one by one if the batch is refused.

    The batch is all or nothing, so a refusal means one instalment at least
    cannot be paid; paying them one by one then lets only those fail.
    """
    grants = list({instalment.grant_id: instalment.grant for instalment in chunk}.values())
    holding = [grant for grant in grants if grant.programme.holds_on_overdue_report]
    holds = reports_overdue(grants=holding, today=today) if holding else {}
    received = _received_accounts(grants)
    others: list[tuple[Instalment, Outcome]] = []
    payable = []
    for instalment in chunk:
        if instalment.grant_id in holds:
            others.append((instalment, Outcome.held(holds[instalment.grant_id])))
        else:
            payable.append(instalment)
    run.held += len(others)

    def request_for(instalment: Instalment) -> PostingRequest:
        grant = instalment.grant
        return _disbursement_request(
            instalment=instalment, received=received[(grant.party_id, grant.currency)], today=today, posted_by=posted_by
        )

    try:
        results: list[PostingResult | Exception] = list(
            transactions_post(requests=[request_for(instalment) for instalment in payable])
        )
    except (DomainError, IntegrityError, DataError):
        results = []
        for instalment in payable:
            try:
                results.append(transactions_post(requests=[request_for(instalment)])[0])
            except (DomainError, IntegrityError, DataError) as error:
                # The posting's own atomic block has rolled its writes back.
                results.append(error)

    paid = []
    for instalment, result in zip(payable, results, strict=True):
        if isinstance(result, Exception):
            reason = " ".join(result.messages) if isinstance(result, DomainError) else str(result)
            others.append((instalment, Outcome.failed(reason)))
            run.failures[instalment.pk] = reason
        else:
            paid.append((instalment, result))
    run.paid += len(paid)
    _payments_record(paid=paid, others=others, posted_by=posted_by)


def instalment_reverse_payment(
    *, instalment: Instalment, reversed_by: AbstractBaseUser, reason: str = "", on: date | None = None
) -> Instalment:
    """Correct a mistaken payment with a reversing transaction; the payment itself is never edited.

    The money returns to the programme fund and the instalment reads
    "payment reversed". To pay the amount again, amend the grant: its unpaid
    part is planned anew.
    """
    require_administrator(reversed_by, error=GrantError, message=_("Only an administrator can reverse a payment."))
    with transaction.atomic():
        instalment = Instalment.objects.select_for_update(of=("self",)).select_related("transaction", "grant").get(
            pk=instalment.pk
        )
        if instalment.status != InstalmentStatus.PAID:
            raise GrantError(
                _("Instalment %(number)s is %(status)s; only a paid instalment's payment is reversed."),
                code="not_paid",
                params={"number": instalment.sequence, "status": instalment.get_status_display()},
            )
        memo = instalment_reversal_memo(instalment)
        transaction_reverse(
            original=instalment.transaction,
            date=on,
            memo=f"{memo}: {reason}" if reason else memo,
            posted_by=reversed_by,
        )
        instalments_record(outcomes=[(instalment, Outcome(InstalmentStatus.REVERSED))], recorded_by=reversed_by)
    return instalment
