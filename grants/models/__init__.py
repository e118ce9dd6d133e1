"""Funding programmes, the grants they fund, the instalments that pay them, and the reports grants owe.

A programme is an envelope for a fiscal year, kept in a site account of the
ledger (its "programme fund"). A grant commits part of an envelope to a party
for a project; its instalments are the dated payments that move the money,
each posted to the ledger at most once (its ``transaction``). A grant owes
project reports, which its party writes and staff review. Rows change only
through :mod:`grants.services`; the database holds the invariants that do
not need a query to check (positive amounts, ordered dates, one instalment
per sequence number, one payment per instalment).
"""

from grants.models.amendments import AmendmentProposal, ProposalStatus
from grants.models.grants import (
    BudgetLine,
    Grant,
    GrantAmendment,
    GrantBudgetLine,
    GrantPurpose,
    GrantStatus,
    ScheduleFrequency,
)
from grants.models.instalments import HoldCode, Instalment, InstalmentStatus
from grants.models.programmes import FundingProgramme
from grants.models.reports import (
    ProjectReport,
    ProjectReportVersion,
    ReminderKind,
    ReminderSent,
    ReportAttachment,
    ReportContent,
    ReportKind,
    ReportRequirement,
    ReportStatus,
)

__all__ = [
    "AmendmentProposal",
    "BudgetLine",
    "FundingProgramme",
    "Grant",
    "GrantAmendment",
    "GrantBudgetLine",
    "GrantPurpose",
    "GrantStatus",
    "HoldCode",
    "Instalment",
    "InstalmentStatus",
    "ProjectReport",
    "ProjectReportVersion",
    "ProposalStatus",
    "ReminderKind",
    "ReminderSent",
    "ReportAttachment",
    "ReportContent",
    "ReportKind",
    "ReportRequirement",
    "ReportStatus",
    "ScheduleFrequency",
]
