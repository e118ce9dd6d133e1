"""Funding programmes, the grants they fund, and the instalments that pay them.

A programme is an envelope for a fiscal year, kept in a site account of the
ledger (its "programme fund"). A grant commits part of an envelope to a party
for a project; its instalments are the dated payments that move the money,
each posted to the ledger at most once (its ``transaction``). Rows change
only through :mod:`grants.services`; the database holds the invariants that
do not need a query to check (positive amounts, ordered dates, one
instalment per sequence number, one payment per instalment).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from simple_history.models import HistoricalRecords

from ledger.models import Account, FiscalPeriod, Party, Transaction

MONEY = {"max_digits": 14, "decimal_places": 2, "currency_choices": settings.CURRENCY_CHOICES}


class FundingProgramme(models.Model):
    """An envelope of money for a fiscal year, from which grants are made."""

    name = models.CharField(_("name"), max_length=200)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), help_text=_("The year the fiscal year starts in (1 April).")
    )
    amount = MoneyField(_("envelope"), default_currency=settings.DEFAULT_CURRENCY, **MONEY)
    holds_on_overdue_report = models.BooleanField(
        _("an overdue report holds the next instalment"),
        default=True,
        help_text=_("When set, an instalment of a grant with an overdue required report is held until it is accepted."),
    )
    fund_account = models.OneToOneField(
        Account,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("programme fund account"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")
        ordering = ["-fiscal_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "fiscal_year"], name="grants_programme_unique_name_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_programme_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({FiscalPeriod(start_year=self.fiscal_year)})"

    @property
    def currency(self) -> str:
        return self.amount.currency.code


class GrantPurpose(models.TextChoices):
    CONCERTATION_TABLE = "concertation_table", _("Leading a concertation table")
    COMMUNITY_OF_PRACTICE = "community_of_practice", _("Coordinating a community of practice")
    JOINT_PROJECT = "joint_project", _("Joint project (such as the soirées 16-25 ans)")
    SERVICE_OFFER = "service_offer", _("Widening a partner's service offer")
    OTHER = "other", _("Other")


class GrantStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class ScheduleFrequency(models.TextChoices):
    SINGLE = "single", _("One payment")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    DATES = "dates", _("Given dates")


class Grant(models.Model):
    """An amount given to a party for a project, paid by instalments."""

    programme = models.ForeignKey(
        FundingProgramme, on_delete=models.PROTECT, related_name="grants", verbose_name=_("funding programme")
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="grants", verbose_name=_("party"))
    title = models.CharField(_("project title"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=40, choices=GrantPurpose.choices)
    amount = MoneyField(_("amount"), default_currency=settings.DEFAULT_CURRENCY, **MONEY)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    frequency = models.CharField(
        _("instalment schedule"), max_length=20, choices=ScheduleFrequency.choices, default=ScheduleFrequency.SINGLE
    )
    status = models.CharField(_("status"), max_length=20, choices=GrantStatus.choices, default=GrantStatus.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-start_date", "title"]
        indexes = [models.Index(fields=["programme", "status"], name="grants_grant_programme_status")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_grant_amount_positive"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="grants_grant_dates_ordered"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "cancelled"]) | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="grants_grant_approval_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.party}"

    @property
    def currency(self) -> str:
        return self.amount.currency.code


class BudgetLine(models.TextChoices):
    SALARIES = "salaries", _("Salaries")
    PREMISES = "premises", _("Premises")
    ACTIVITIES = "activities", _("Activities")
    TRAVEL = "travel", _("Travel")
    MATERIAL = "material", _("Material")
    OTHER = "other", _("Other")


class GrantBudgetLine(models.Model):
    """One line of a grant's budget; the lines sum to the grant's amount."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("grant"))
    line = models.CharField(_("budget line"), max_length=20, choices=BudgetLine.choices)
    amount = MoneyField(_("amount"), default_currency=settings.DEFAULT_CURRENCY, **MONEY)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["grant", "line"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "line"], name="grants_budgetline_unique_grant_line"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="grants_budgetline_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_line_display()} {self.amount}"


class InstalmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    REVERSED = "reversed", _("Payment reversed")
    CANCELLED = "cancelled", _("Cancelled")


class Instalment(models.Model):
    """One dated payment of a grant, posted to the ledger at most once."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="instalments", verbose_name=_("grant"))
    sequence = models.PositiveSmallIntegerField(_("number"))
    due_date = models.DateField(_("due date"))
    amount = MoneyField(_("amount"), default_currency=settings.DEFAULT_CURRENCY, **MONEY)
    status = models.CharField(
        _("status"), max_length=20, choices=InstalmentStatus.choices, default=InstalmentStatus.SCHEDULED
    )
    hold_reason = models.CharField(_("reason for the hold"), max_length=500, blank=True)
    failure_reason = models.CharField(_("reason for the failure"), max_length=1000, blank=True)
    transaction = models.OneToOneField(
        Transaction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instalment",
        verbose_name=_("payment"),
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["grant", "sequence"]
        indexes = [models.Index(fields=["status", "due_date"], name="grants_instalment_status_due")]
        constraints = [
            models.UniqueConstraint(fields=["grant", "sequence"], name="grants_instalment_unique_grant_sequence"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_instalment_amount_positive"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="grants_instalment_sequence_from_one"),
            models.CheckConstraint(
                condition=Q(status__in=["paid", "reversed"], transaction__isnull=False)
                | (~Q(status__in=["paid", "reversed"]) & Q(transaction__isnull=True)),
                name="grants_instalment_paid_has_transaction",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | ~Q(hold_reason=""), name="grants_instalment_hold_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant.title} · {self.sequence} · {self.due_date} · {self.amount}"

    @property
    def idempotency_key(self) -> str:
        return f"instalment:{self.pk}"


class GrantAmendment(models.Model):
    """A record of a change to a grant's amount or end date."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("grant"))
    previous_amount = MoneyField(_("previous amount"), default_currency=settings.DEFAULT_CURRENCY, **MONEY)
    new_amount = MoneyField(_("new amount"), default_currency=settings.DEFAULT_CURRENCY, **MONEY)
    previous_end_date = models.DateField(_("previous end date"))
    new_end_date = models.DateField(_("new end date"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    amended_at = models.DateTimeField(_("amended at"), auto_now_add=True)
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("amended by")
    )

    class Meta:
        verbose_name = _("grant amendment")
        verbose_name_plural = _("grant amendments")
        ordering = ["grant", "amended_at"]

    def __str__(self) -> str:
        return f"{self.grant.title} · {self.amended_at:%Y-%m-%d}"


# --- Project reports ---------------------------------------------------------------------------------------------------


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("Interim report")
    FINAL = "final", _("Final report")


class ReportContent(models.TextChoices):
    NARRATIVE = "narrative", _("Narrative")
    FINANCIAL = "financial", _("Financial")
    BOTH = "both", _("Narrative and financial")


class ReportRequirement(models.Model):
    """A report a grant owes, and when: generated from the grant's period or given by staff."""

    grant = models.ForeignKey(
        Grant, on_delete=models.CASCADE, related_name="report_requirements", verbose_name=_("grant")
    )
    kind = models.CharField(_("kind of report"), max_length=20, choices=ReportKind.choices)
    content = models.CharField(_("content"), max_length=20, choices=ReportContent.choices, default=ReportContent.BOTH)
    due_date = models.DateField(_("due date"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report requirement")
        verbose_name_plural = _("report requirements")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["due_date"], name="grants_reportreq_due")]
        constraints = [
            models.UniqueConstraint(fields=["grant", "kind", "due_date"], name="grants_reportreq_unique_grant_kind_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.grant.title} · {self.due_date}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted")


class ProjectReport(models.Model):
    """The partner's report for one requirement: the working copy, and its review.

    Each submission is kept as a :class:`ProjectReportVersion`; the working
    copy is editable only while a draft or after changes were requested.
    A report holds counts and narrative about activities, never the names or
    identifying details of the young people served.
    """

    requirement = models.OneToOneField(
        ReportRequirement, on_delete=models.PROTECT, related_name="report", verbose_name=_("report requirement")
    )
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    activities = models.TextField(_("activities carried out"), blank=True)
    what_worked = models.TextField(_("what worked"), blank=True)
    what_did_not = models.TextField(_("what did not work"), blank=True)
    partners_involved = models.TextField(_("partners involved"), blank=True)
    youth_12_17 = models.PositiveIntegerField(_("young people reached aged 12–17"), null=True, blank=True)
    youth_18_25 = models.PositiveIntegerField(_("young people reached aged 18–25"), null=True, blank=True)
    activities_held = models.PositiveIntegerField(_("activities held"), null=True, blank=True)
    municipalities_reached = models.PositiveIntegerField(_("municipalities reached"), null=True, blank=True)
    spending = models.JSONField(_("spending by budget line"), default=dict, blank=True)
    version_count = models.PositiveIntegerField(_("submissions"), default=0)
    staff_comment = models.TextField(_("comment of the staff"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("updated by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("reviewed by"),
    )

    class Meta:
        verbose_name = _("project report")
        verbose_name_plural = _("project reports")
        ordering = ["requirement__due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(version_count__gte=1), name="grants_report_submitted_has_version"
            ),
        ]

    def __str__(self) -> str:
        return str(self.requirement)

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED)


class ProjectReportVersion(models.Model):
    """One submission of a report, kept as it was sent; never changed afterwards."""

    report = models.ForeignKey(
        ProjectReport, on_delete=models.PROTECT, related_name="versions", verbose_name=_("project report")
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="grants_reportversion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.report} · v{self.number}"


class ReportAttachment(models.Model):
    """A document joined to a report, kept outside the web root and served only to who may see it."""

    report = models.ForeignKey(
        ProjectReport, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("project report")
    )
    version = models.ForeignKey(
        ProjectReportVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("submitted with version"),
    )
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["report", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the due date")
    LATE = "late", _("Late")


class ReminderSent(models.Model):
    """A reminder about a report requirement, sent once (the unique constraint says so)."""

    requirement = models.ForeignKey(
        ReportRequirement, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("report requirement")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["requirement", "kind"], name="grants_reminder_unique_requirement_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} · {self.get_kind_display()}"


class ContactLanguage(models.Model):
    """The language a user last used in the portal, for the emails sent to them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_language", verbose_name=_("user")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("contact language")
        verbose_name_plural = _("contact languages")

    def __str__(self) -> str:
        return f"{self.user} · {self.language}"
