"""A funding programme: an envelope of money for a fiscal year, kept in the ledger's programme fund."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from ledger.models import NAMES_COLLATION, Account, FiscalPeriod

MONEY = {"max_digits": 14, "decimal_places": 2, "currency_choices": settings.CURRENCY_CHOICES}
"""How every amount of the app is stored: cents, fourteen digits, one of the accepted currencies."""


class FundingProgramme(models.Model):
    """An envelope of money for a fiscal year, from which grants are made."""

    name = models.CharField(_("name"), max_length=200, db_collation=NAMES_COLLATION)
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
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="grants_programme_amount_positive",
                violation_error_message=_("The envelope must be more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({FiscalPeriod(start_year=self.fiscal_year)})"

    @property
    def currency(self) -> str:
        return self.amount.currency.code
