"""An instalment: one dated payment of a grant, posted to the ledger at most once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
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
                condition=~Q(status="held") | ~Q(hold_reason=""),
                name="grants_instalment_hold_has_reason",
                violation_error_message=_("A held instalment says why it is held."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant.title} · {self.sequence} · {date_words(self.due_date)} · {self.amount}"

    @property
    def idempotency_key(self) -> str:
        return f"instalment:{self.pk}"
