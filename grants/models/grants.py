"""A grant: an amount a programme gives a party for a project, its budget by line and its amendments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from djmoney.models.fields import MoneyField
from simple_history.models import HistoricalRecords

from grants.models.programmes import MONEY, FundingProgramme
from ledger.models import NAMES_COLLATION, Party


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
    title = models.CharField(_("project title"), max_length=200, db_collation=NAMES_COLLATION)
    purpose = models.CharField(_("purpose"), max_length=40, choices=GrantPurpose.choices)
    amount = MoneyField(_("amount"), default_currency=settings.DEFAULT_CURRENCY, **MONEY)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    frequency = models.CharField(
        _("instalment schedule"), max_length=20, choices=ScheduleFrequency.choices, default=ScheduleFrequency.SINGLE
    )
    status = models.CharField(_("status"), max_length=20, choices=GrantStatus.choices, default=GrantStatus.DRAFT)
    created_at = models.DateTimeField(pgettext_lazy("grant", "created at"), auto_now_add=True)
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
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="grants_grant_amount_positive",
                violation_error_message=_("The grant’s amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="grants_grant_dates_ordered",
                violation_error_message=_("The end date cannot come before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "cancelled"]) | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="grants_grant_approval_recorded",
                violation_error_message=_("An approved grant records who approved it and when."),
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
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="grants_budgetline_amount_not_negative",
                violation_error_message=_("A budget line cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_line_display()} {self.amount}"


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
