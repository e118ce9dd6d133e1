"""The story of a grant, from its programme's envelope to its last instalment.

1. :mod:`~grants.services.programmes`: :func:`programme_create` opens an
   envelope for a fiscal year and :func:`programme_fund` posts its money
   into the programme fund.
2. :mod:`~grants.services.lifecycle`: :func:`grant_create` records a draft
   grant (a project, an amount, a period, a budget by line) and its
   instalments, planned by :mod:`~grants.services.schedules` (one payment,
   monthly, quarterly or given dates, summing exactly to the grant);
   :func:`grant_approve`, an administrator's act, commits it against the
   envelope.
3. :mod:`~grants.services.disbursements`: every day
   :func:`disbursements_post_due` pays each instalment due, exactly once,
   through the ledger; :func:`instalment_pay` pays one by hand. The first
   payment makes the grant active.
4. :mod:`~grants.services.reports`: the grant owes reports; while one is
   overdue the daily run holds the instalments (:func:`reports_overdue`),
   and accepting it releases them (:func:`report_accept`).
   :mod:`~grants.services.reminders` reminds the partner before and after
   the due date.
5. Changes: in :mod:`~grants.services.amendments` an administrator
   proposes a new amount, end date or budget (:func:`amendment_propose`)
   and another approves it (:func:`amendment_approve`), which re-plans the
   unpaid instalments; back in :mod:`~grants.services.lifecycle`,
   :func:`grant_cancel` cancels them and :func:`grant_close` ends a grant
   fully paid. A mistaken payment is reversed in the ledger
   (:func:`instalment_reverse_payment`), never edited.

Whatever happens to an instalment (paid, failed, held, released, cancelled,
reversed) is written by one function, :func:`instalments_record`
(:mod:`~grants.services.instalments`), with its history row. Every refusal
is a :class:`grants.errors.GrantError` with a code and a translated message,
raised before anything is written (or inside an atomic block that is rolled
back). Callers import from here: ``from grants.services import grant_create``.

Who is told of what (reports submitted and reviewed, grants approved,
amended or cancelled, instalments paid, held or released) is declared in
:mod:`grants.notifications`; the services call it inside their transaction.
"""

from grants.services.amendments import amendment_approve, amendment_propose, amendment_reject, amendment_withdraw
from grants.services.disbursements import (
    DisbursementRun,
    disbursements_post_due,
    grants_received_account,
    instalment_pay,
    instalment_reverse_payment,
)
from grants.services.instalments import Outcome, grant_holds_release, instalments_hold, instalments_record
from grants.services.lifecycle import (
    GrantActions,
    grant_actions,
    grant_approve,
    grant_cancel,
    grant_check,
    grant_close,
    grant_create,
    grants_activate,
)
from grants.services.programmes import programme_create, programme_fund
from grants.services.reminders import report_reminders_send
from grants.services.reports import (
    ATTACHMENT_MAX_BYTES,
    ReportData,
    attachment_check,
    report_accept,
    report_request_changes,
    report_save,
    reports_overdue,
    requirements_generate,
)
from grants.services.schedules import schedule_dates

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "DisbursementRun",
    "GrantActions",
    "Outcome",
    "ReportData",
    "amendment_approve",
    "amendment_propose",
    "amendment_reject",
    "amendment_withdraw",
    "attachment_check",
    "disbursements_post_due",
    "grant_actions",
    "grant_approve",
    "grant_cancel",
    "grant_check",
    "grant_close",
    "grant_create",
    "grant_holds_release",
    "grants_activate",
    "grants_received_account",
    "instalment_pay",
    "instalment_reverse_payment",
    "instalments_hold",
    "instalments_record",
    "programme_create",
    "programme_fund",
    "report_accept",
    "report_reminders_send",
    "report_request_changes",
    "report_save",
    "reports_overdue",
    "requirements_generate",
    "schedule_dates",
]
