"""A recurring expense of a pool, its amendments, and each of its dated occurrences.

These models are imported at the end of :mod:`sharedcosts.models`, so they
name the pool and the expense by their labels rather than importing them.
Every change keeps its history (django-simple-history). An occurrence is
unique per schedule and date, and once posted the database itself keeps it
as it is (migration 0005).
"""

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from djmoney.models.fields import MoneyField
from simple_history.models import HistoricalRecords

from ledger.dates import date_words
from ledger.models import Party

# As the pool's other amounts: 14 digits, 2 of them decimals.
MONEY = {"max_digits": 14, "decimal_places": 2, "currency_choices": settings.CURRENCY_CHOICES}


class Rhythm(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    DATES = "dates", _("On given dates")


class RecurringExpense(models.Model):
    """An expense the pool's lead organisation pays again and again: rent, a lease, insurance.

    Monthly, quarterly and yearly occurrences fall on the start date's day
    (the month's last day when it is shorter). With an indexation rate, the
    amount grows on each 1 April after the start (or after the amendment it
    comes from): ``money_round(previous × (1 + rate))``.
    """

    pool = models.ForeignKey(
        "sharedcosts.CostPool", on_delete=models.PROTECT, related_name="recurring_expenses", verbose_name=_("pool")
    )
    payer = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("paid by"))
    vendor = models.CharField(_("vendor"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = MoneyField(
        _("first amount"),
        default_currency=settings.DEFAULT_CURRENCY,
        help_text=_("The amount of the first occurrence; later changes are amendments from a date on."),
        **MONEY,
    )
    rhythm = models.CharField(_("rhythm"), max_length=20, choices=Rhythm.choices, default=Rhythm.MONTHLY)
    dates = ArrayField(
        models.DateField(), verbose_name=_("given dates"), default=list, blank=True, help_text=_("Only for the rhythm “on given dates”.")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Empty: until it is ended."))
    indexation_rate = models.DecimalField(
        _("yearly indexation"),
        max_digits=6,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("For example 2.5%: the amount grows by 2.5 percent on each 1 April after the start."),
    )
    paused_from = models.DateField(
        _("paused from"), null=True, blank=True, help_text=_("Nothing is posted from this date until it is resumed.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recurring expense")
        verbose_name_plural = _("recurring expenses")
        ordering = ["pool", "vendor", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="sharedcosts_recurring_amount_positive",
                violation_error_message=_("A recurring expense must be more than zero.")),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="sharedcosts_recurring_end_after_start",
                violation_error_message=_("The end date cannot come before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(indexation_rate__isnull=True) | Q(indexation_rate__gte=0, indexation_rate__lte=1),
                name="sharedcosts_recurring_indexation_range",
                violation_error_message=_("The yearly indexation must be between 0 %% and 100 %%."),
            ),
            models.CheckConstraint(
                condition=Q(rhythm="dates", dates__len__gt=0) | (~Q(rhythm="dates") & Q(dates__len=0)),
                name="sharedcosts_recurring_dates_only_for_dates",
                violation_error_message=_("Given dates go only with the rhythm “on given dates”, which needs at least one."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} · {self.pool}"


class RecurringAmendment(models.Model):
    """A new amount from a date on; what was posted before stays as it was."""

    schedule = models.ForeignKey(
        RecurringExpense, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("recurring expense")
    )
    effective_from = models.DateField(_("from"))
    amount = MoneyField(_("new amount"), default_currency=settings.DEFAULT_CURRENCY, **MONEY)
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("amended by")
    )
    amended_at = models.DateTimeField(_("amended at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("amendment of a recurring expense")
        verbose_name_plural = _("amendments of recurring expenses")
        ordering = ["schedule", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "effective_from"], name="sharedcosts_recurring_amendment_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="sharedcosts_recurring_amendment_positive",
                violation_error_message=_("The new amount must be more than zero.")),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} · {self.effective_from} · {self.amount}"


class OccurrenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("occurrence", "Scheduled")
    POSTED = "posted", _("Posted")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class RecurringOccurrence(models.Model):
    """One dated occurrence of a recurring expense, posted as an expense of the pool at most once."""

    schedule = models.ForeignKey(
        RecurringExpense, on_delete=models.PROTECT, related_name="occurrences", verbose_name=_("recurring expense")
    )
    date = models.DateField(_("date"))
    amount = MoneyField(_("amount"), default_currency=settings.DEFAULT_CURRENCY, **MONEY)
    status = models.CharField(
        _("status"), max_length=20, choices=OccurrenceStatus.choices, default=OccurrenceStatus.SCHEDULED
    )
    note = models.CharField(_("reason"), max_length=1000, blank=True, help_text=_("Why it failed or was skipped."))
    expense = models.OneToOneField(
        "sharedcosts.Expense",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recurring_occurrence",
        verbose_name=_("expense"),
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("occurrence of a recurring expense")
        verbose_name_plural = _("occurrences of recurring expenses")
        ordering = ["schedule", "date"]
        indexes = [models.Index(fields=["status", "date"], name="sharedcosts_occurrence_due")]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "date"], name="sharedcosts_occurrence_unique_date"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="sharedcosts_occurrence_positive",
                violation_error_message=_("An occurrence must be more than zero.")),
            models.CheckConstraint(
                condition=Q(status="posted", expense__isnull=False, posted_at__isnull=False)
                | (~Q(status="posted") & Q(expense__isnull=True)),
                name="sharedcosts_occurrence_posted_has_expense",
                violation_error_message=_("A posted occurrence names the expense it posted."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule.vendor} · {date_words(self.date)} · {self.amount}"

    @property
    def idempotency_key(self) -> str:
        return occurrence_key(self.schedule_id, self.date)


def occurrence_key(schedule_id: int, day: date) -> str:
    """The ledger's idempotency key of an occurrence: ``recurring:<schedule id>:<date>``."""
    return f"recurring:{schedule_id}:{day.isoformat()}"

