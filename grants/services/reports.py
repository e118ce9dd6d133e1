"""Project reports: what a grant owes, what the partner sends, what staff decide.

1. :func:`requirements_generate` plans a grant's reports from its period (an
   interim report halfway through a period of six months or more, a final
   report 30 days after its end); staff may also give requirements by hand.
2. A member of the grant's party writes the report with :func:`report_save`
   (a draft; with ``submit=True`` it is sent in the same step). Each
   submission is kept as a :class:`~grants.models.ProjectReportVersion`;
   nothing submitted is overwritten. The report holds counts and narrative
   about activities, never the names of the young people served.
3. Staff accept it (:func:`report_accept`), which releases the grant's held
   instalments when no other required report is overdue, or ask for changes
   with a comment (:func:`report_request_changes`); the partner then
   resubmits.
4. While a report is overdue, :func:`reports_overdue` gives the daily run
   the reason to hold the grant's instalments.

Reminders about the reports are :mod:`grants.services.reminders`. Every
refusal is a :class:`grants.errors.ReportError` raised before anything is
written.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import filetype
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from grants.errors import ReportError
from grants.holds import HoldReason
from grants.models import (
    Grant,
    GrantBudgetLine,
    GrantStatus,
    ProjectReport,
    ProjectReportVersion,
    ReportAttachment,
    ReportContent,
    ReportKind,
    ReportRequirement,
    ReportStatus,
)
from grants.notifications import report_reviewed_notify, report_submitted_notify
from grants.services.amounts import amount_check_fits
from grants.services.instalments import grant_holds_release
from ledger.models import Membership
from ledger.money import is_whole_minor_units, minor_unit
from ledger.roles import require_staff

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024

ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "image/heic": ("heic",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods",),
    "application/vnd.oasis.opendocument.presentation": ("odp",),
    "application/msword": ("doc",),
    "application/vnd.ms-excel": ("xls",),
    "application/rtf": ("rtf",),
}
"""Content types accepted, as sniffed from the file's first bytes, with the extensions they may carry."""

TEXT_TYPES = {"csv": "text/csv", "txt": "text/plain"}
"""Plain-text formats have no signature: accepted when the content is readable UTF-8 text."""

UNDER_REVIEW = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED)
REPORTING_GRANTS = (GrantStatus.APPROVED, GrantStatus.ACTIVE, GrantStatus.CLOSED)
# Spending is reported against a budget line, so it is held to what a budget line's column holds.
SPENDING_LIMIT_FIELD = GrantBudgetLine._meta.get_field("amount")


def _require_member(user: AbstractBaseUser | None, grant: Grant) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise ReportError(_("Log in to write a report."), code="anonymous")
    if not Membership.objects.filter(user=user, party_id=grant.party_id).exists():
        # The same message whether the grant exists or not: nothing is confirmed.
        raise ReportError(_("This report was not found."), code="not_found")


# --- Requirements -----------------------------------------------------------------------------------------------------


def requirements_generate(*, grant: Grant) -> list[ReportRequirement]:
    """The grant's report requirements from its period; running it again adds nothing."""
    planned = []
    if (grant.end_date - grant.start_date).days >= 180:
        middle = grant.start_date + (grant.end_date - grant.start_date) / 2
        planned.append((ReportKind.INTERIM, middle))
    planned.append((ReportKind.FINAL, grant.end_date + timedelta(days=30)))
    requirements = []
    for kind, due in planned:
        requirement, _created = ReportRequirement.objects.get_or_create(
            grant=grant, kind=kind, due_date=due, defaults={"content": ReportContent.BOTH}
        )
        requirements.append(requirement)
    return requirements


# --- Writing and submitting -------------------------------------------------------------------------------------------

NARRATIVE_FIELDS = ("activities", "what_worked", "what_did_not", "partners_involved")
INDICATOR_FIELDS = ("youth_12_17", "youth_18_25", "activities_held", "municipalities_reached")


@dataclass
class ReportData:
    """What the partner wrote: narrative, indicators (whole numbers ≥ 0) and spending by budget line."""

    activities: str = ""
    what_worked: str = ""
    what_did_not: str = ""
    partners_involved: str = ""
    youth_12_17: int | None = None
    youth_18_25: int | None = None
    activities_held: int | None = None
    municipalities_reached: int | None = None
    spending: Mapping[str, Decimal] = field(default_factory=dict)


def _check_data(*, data: ReportData, grant: Grant, budget_lines: Mapping[str, Money]) -> dict[str, str]:
    for name in INDICATOR_FIELDS:
        value = getattr(data, name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise ReportError(_("Indicators are whole numbers."), code="indicator_type")
        if value < 0:
            raise ReportError(_("Indicators cannot be negative."), code="indicator_negative")
    spending = {}
    for line, amount in data.spending.items():
        if line not in budget_lines:
            raise ReportError(
                _("The spending line “%(line)s” is not in this grant’s budget."),
                code="unknown_line",
                params={"line": line},
            )
        if amount is None:
            continue
        try:
            amount = Decimal(amount)
        except (InvalidOperation, TypeError, ValueError):
            raise ReportError(_("Spending amounts are numbers."), code="spending_type") from None
        if not amount.is_finite() or amount < 0:
            raise ReportError(_("Spending amounts cannot be negative."), code="spending_negative")
        # Checked before the cents: quantizing an amount of hundreds of digits raises instead of answering.
        amount_check_fits(amount=Money(amount, grant.currency), field=SPENDING_LIMIT_FIELD, error=ReportError)
        if not is_whole_minor_units(Money(amount, grant.currency)):
            raise ReportError(_("Spending amounts are in dollars and cents."), code="spending_cents")
        spending[line] = str(amount.quantize(minor_unit(grant.currency)))
    return spending


def _check_complete(report: ProjectReport) -> None:
    content = report.requirement.content
    missing = []
    if content in (ReportContent.NARRATIVE, ReportContent.BOTH):
        missing += [name for name in ("activities", "what_worked", "what_did_not") if not getattr(report, name).strip()]
        missing += [name for name in INDICATOR_FIELDS if getattr(report, name) is None]
    if content in (ReportContent.FINANCIAL, ReportContent.BOTH) and not report.spending:
        missing.append("spending")
    if missing:
        raise ReportError(
            _("The report is not complete: fill in every required field before submitting it."),
            code="incomplete",
            params={"fields": ", ".join(missing)},
        )


def attachment_check(upload: UploadedFile) -> str:
    """The content type of an acceptable upload, read from its content; a refusal otherwise."""
    if upload.size is None or upload.size > ATTACHMENT_MAX_BYTES:
        raise ReportError(
            _("The file “%(name)s” is larger than 10 MB."), code="attachment_too_big", params={"name": upload.name}
        )
    if upload.size == 0:
        raise ReportError(_("The file “%(name)s” is empty."), code="attachment_empty", params={"name": upload.name})
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        if kind.mime in ALLOWED_TYPES and extension in ALLOWED_TYPES[kind.mime]:
            return kind.mime
    elif extension in TEXT_TYPES and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A cut in the middle of a character at the end of the sample is fine.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                return TEXT_TYPES[extension]
        else:
            return TEXT_TYPES[extension]
    raise ReportError(
        _(
            "The file “%(name)s” is not an accepted document: send a PDF, an image, a spreadsheet or a "
            "text document."
        ),
        code="attachment_type",
        params={"name": upload.name},
    )


def report_save(
    *,
    requirement: ReportRequirement,
    user: AbstractBaseUser,
    data: ReportData,
    uploads: Sequence[UploadedFile] = (),
    submit: bool = False,
    expected_versions: int | None = None,
) -> ProjectReport:
    """Save the working copy of the requirement's report, with attachments; submit it if asked.

    ``expected_versions`` is the number of submissions the person saw when
    they opened the form: a second click on "submit" finds one more and is
    refused, so a double submit makes one version.
    """
    grant = requirement.grant
    _require_member(user, grant)
    if grant.status not in REPORTING_GRANTS:
        raise ReportError(_("This grant does not take reports."), code="grant_not_reporting")
    budget_lines = {line.line: line.amount for line in grant.budget_lines.all()}
    spending = _check_data(data=data, grant=grant, budget_lines=budget_lines)
    content_types = [attachment_check(upload) for upload in uploads]
    with transaction.atomic():
        report, _created = ProjectReport.objects.get_or_create(requirement=requirement)
        report = ProjectReport.objects.select_for_update().select_related("requirement__grant").get(pk=report.pk)
        if expected_versions is not None and report.version_count != expected_versions:
            raise ReportError(
                _("This report was already submitted; nothing was changed."), code="already_submitted"
            )
        if not report.is_editable:
            raise ReportError(
                _("This report is %(status)s and cannot be changed now."),
                code="not_editable",
                params={"status": report.get_status_display()},
            )
        for name in NARRATIVE_FIELDS + INDICATOR_FIELDS:
            value = getattr(data, name)
            setattr(report, name, value.strip() if isinstance(value, str) else value)
        report.spending = spending
        report.updated_by = user
        if submit:
            _check_complete(report)
        report.save()
        for upload, content_type in zip(uploads, content_types, strict=True):
            ReportAttachment.objects.create(
                report=report,
                file=upload,
                original_name=upload.name[:255],
                content_type=content_type,
                size=upload.size,
                uploaded_by=user,
            )
        if submit:
            _submit(report=report, user=user)
    return report


def _snapshot(report: ProjectReport) -> dict[str, object]:
    return {
        **{name: getattr(report, name) for name in NARRATIVE_FIELDS + INDICATOR_FIELDS},
        "spending": dict(report.spending),
    }


def _submit(*, report: ProjectReport, user: AbstractBaseUser) -> ProjectReportVersion:
    now = timezone.now()
    version = ProjectReportVersion.objects.create(
        report=report, number=report.version_count + 1, content=_snapshot(report), submitted_at=now, submitted_by=user
    )
    report.attachments.filter(version__isnull=True).update(version=version)
    report.status = ReportStatus.RESUBMITTED if report.version_count else ReportStatus.SUBMITTED
    report.version_count = version.number
    report.submitted_at = now
    report.save(update_fields=["status", "version_count", "submitted_at"])
    report_submitted_notify(report=report, version=version)
    return version


# --- Review -----------------------------------------------------------------------------------------------------------


def _locked_under_review(report: ProjectReport) -> ProjectReport:
    report = ProjectReport.objects.select_for_update(of=("self",)).select_related("requirement__grant").get(pk=report.pk)
    if report.status not in UNDER_REVIEW:
        raise ReportError(
            _("This report is %(status)s: only a submitted report can be reviewed."),
            code="not_under_review",
            params={"status": report.get_status_display()},
        )
    return report


def _overdue(requirements, today: date):
    return requirements.filter(due_date__lt=today).exclude(report__status=ReportStatus.ACCEPTED)


def report_accept(*, report: ProjectReport, reviewed_by: AbstractBaseUser, today: date | None = None) -> int:
    """Accept a submitted report; the grant's held instalments are released if nothing else is overdue.

    Returns the number of instalments released.
    """
    require_staff(
        reviewed_by, error=ReportError, message=_("Only finance staff or an administrator can review a report.")
    )
    today = today or timezone.localdate()
    with transaction.atomic():
        report = _locked_under_review(report)
        report.status = ReportStatus.ACCEPTED
        report.reviewed_by = reviewed_by
        report.reviewed_at = timezone.now()
        report.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        report_reviewed_notify(report=report)
        grant = report.requirement.grant
        if _overdue(ReportRequirement.objects.filter(grant=grant), today).exists():
            return 0
        return grant_holds_release(grant=grant)


def report_request_changes(*, report: ProjectReport, reviewed_by: AbstractBaseUser, comment: str) -> ProjectReport:
    """Send a submitted report back to the partner with the staff's comment."""
    require_staff(
        reviewed_by, error=ReportError, message=_("Only finance staff or an administrator can review a report.")
    )
    comment = (comment or "").strip()
    if not comment:
        raise ReportError(_("Say what should change: the comment is required."), code="comment_required")
    with transaction.atomic():
        report = _locked_under_review(report)
        report.status = ReportStatus.CHANGES_REQUESTED
        report.staff_comment = comment
        report.reviewed_by = reviewed_by
        report.reviewed_at = timezone.now()
        report.save(update_fields=["status", "staff_comment", "reviewed_by", "reviewed_at"])
        report_reviewed_notify(report=report)
    return report


# --- Holds ------------------------------------------------------------------------------------------------------------


def reports_overdue(*, grants: Sequence[Grant], today: date) -> dict[int, HoldReason]:
    """Why each of ``grants`` waits: one of its required reports is overdue and not accepted (one query).

    The daily run asks it before paying (:mod:`grants.services.disbursements`).
    """
    reasons: dict[int, HoldReason] = {}
    overdue = _overdue(ReportRequirement.objects.filter(grant__in=[grant.pk for grant in grants]), today)
    for requirement in overdue.order_by("due_date", "pk"):
        if requirement.grant_id in reasons:
            continue
        reasons[requirement.grant_id] = HoldReason.overdue_report(requirement)
    return reasons
