"""Project reports: what a grant owes, what the partner sends, and the reminders about them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grants.models.grants import Grant
from ledger.dates import date_words


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
        return f"{self.get_kind_display()} · {self.grant.title} · {date_words(self.due_date)}"


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
                condition=Q(status="draft") | Q(version_count__gte=1),
                name="grants_report_submitted_has_version",
                violation_error_message=_("A submitted report has at least one version."),
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
