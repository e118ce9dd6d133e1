"""An instalment: one dated payment of a grant, posted to the ledger at most once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from djmoney.models.fields import MoneyField
from simple_history.models import HistoricalRecords

from grants.models.grants import Grant
from grants.models.programmes import MONEY
from ledger.dates import date_words
from ledger.models import Transaction


class InstalmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    REVERSED = "reversed", _("Payment reversed")
    CANCELLED = "cancelled", pgettext_lazy("instalment", "Cancelled")


class HoldCode(models.TextChoices):
    """Why an instalment is held, written in the reader's language when shown (:func:`grants.holds.hold_words`)."""

    OVERDUE_REPORT = "overdue_report", _("A required report is overdue")
    STAFF = "staff", _("Held by the staff")


class Instalment(models.Model):
    """One dated payment of a grant, posted to the ledger at most once."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="instalments", verbose_name=_("grant"))
    sequence = models.PositiveSmallIntegerField(_("number"))
    due_date = models.DateField(_("due date"))
    amount = MoneyField(_("amount"), default_currency=settings.DEFAULT_CURRENCY, **MONEY)
    status = models.CharField(
        _("status"), max_length=20, choices=InstalmentStatus.choices, default=InstalmentStatus.SCHEDULED
    )
    hold_code = models.CharField(_("why it is held"), max_length=20, choices=HoldCode.choices, blank=True)
    hold_params = models.JSONField(
        _("what the hold names"),
        default=dict,
        blank=True,
        help_text=_("For an overdue report: the report requirement, its kind and its due date."),
    )
    hold_reason = models.CharField(
        _("reason for the hold"),
        max_length=500,
        blank=True,
        help_text=_("The staff's own words; an instalment held before holds had codes keeps its reason here."),
    )
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

    # The history keeps the hold's code and what it names: its pages write them in words (grants.admin.instalments).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["grant", "sequence"]
        indexes = [models.Index(fields=["status", "due_date"], name="grants_instalment_status_due")]
        constraints = [
            models.UniqueConstraint(fields=["grant", "sequence"], name="grants_instalment_unique_grant_sequence"),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="grants_instalment_amount_positive",
                violation_error_message=_("An instalment’s amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(sequence__gte=1),
                name="grants_instalment_sequence_from_one",
                violation_error_message=_("Instalments are numbered from 1."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["paid", "reversed"], transaction__isnull=False)
                | (~Q(status__in=["paid", "reversed"]) & Q(transaction__isnull=True)),
                name="grants_instalment_paid_has_transaction",
                violation_error_message=_(
                    "A paid or reversed instalment, and only such an instalment, has its ledger transaction."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | ~Q(hold_code="") | ~Q(hold_reason=""),
                name="grants_instalment_hold_has_reason",
                violation_error_message=_("A held instalment says why it is held."),
            ),
            models.CheckConstraint(
                condition=Q(hold_code="") | Q(status="held"),
                name="grants_instalment_hold_code_only_held",
                violation_error_message=_("Only a held instalment has a reason for its hold."),
            ),
            models.CheckConstraint(
                condition=~Q(hold_code="overdue_report") | Q(hold_params__has_keys=["report", "kind", "due_date"]),
                name="grants_instalment_overdue_hold_names_report",
                violation_error_message=_("A hold for an overdue report names the report, its kind and its due date."),
            ),
            models.CheckConstraint(
                condition=~Q(hold_code="staff") | ~Q(hold_reason=""),
                name="grants_instalment_staff_hold_has_words",
                violation_error_message=_("A hold decided by the staff says why in their words."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant.title} · {self.sequence} · {date_words(self.due_date)} · {self.amount}"

    @property
    def idempotency_key(self) -> str:
        return f"instalment:{self.pk}"
