"""Why an instalment may have to wait, kept as a code and written in the reader's language when shown.

A grant's instalments are held while something owed by the partner is
missing: a required project report that is overdue
(:func:`grants.services.reports.reports_overdue`, asked by the daily run),
or a reason staff give (:func:`grants.services.instalments_hold`). Accepting
the report releases them (:func:`grants.services.grant_holds_release`).

An instalment keeps the code of its hold and what the code names (the
report, its kind, its due date), never a sentence: the partner reads the
reason in their language, dates as their language writes them
(:func:`hold_words`). The staff's own words are kept as typed, and so are
the sentences of instalments held before holds had codes.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from grants.models import HoldCode, Instalment, ReportKind, ReportRequirement
from ledger.dates import date_words


@dataclass(frozen=True)
class HoldReason:
    """Why a grant's instalments wait: a code, what it names, and for the staff's holds their words."""

    code: HoldCode
    params: dict[str, str | int] = field(default_factory=dict)
    words: str = ""

    @classmethod
    def overdue_report(cls, requirement: ReportRequirement) -> "HoldReason":
        return cls(
            HoldCode.OVERDUE_REPORT,
            params={"report": requirement.pk, "kind": requirement.kind, "due_date": requirement.due_date.isoformat()},
        )

    @classmethod
    def staff(cls, words: str) -> "HoldReason":
        return cls(HoldCode.STAFF, words=words)


def hold_words(instalment: Instalment) -> str:
    """Why the instalment is held, in the active language; the stored sentence when it has no code.

    A version of its history written while the history kept the code alone
    (grants migration 0009) reads as the code's label.
    """
    if instalment.hold_code == HoldCode.OVERDUE_REPORT:
        params = instalment.hold_params or {}
        if not {"kind", "due_date"} <= params.keys():
            return str(HoldCode.OVERDUE_REPORT.label)
        return _("The %(kind)s due on %(date)s has not been accepted yet; accepting it releases this payment.") % {
            "kind": str(ReportKind(params["kind"]).label).lower(),
            "date": date_words(date.fromisoformat(params["due_date"])),
        }
    return instalment.hold_reason
