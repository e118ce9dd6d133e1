"""Why an instalment may have to wait.

A grant's instalments are held while something owed by the partner is
missing: a required project report that is overdue
(:func:`grants.services.reports.reports_overdue`, asked by the daily run),
or a reason staff give (:func:`grants.services.instalments_hold`). Accepting
the report releases them (:func:`grants.services.grant_holds_release`).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class HoldReason:
    """Why a grant's instalments wait: a short code and a translated message."""

    code: str
    message: str
