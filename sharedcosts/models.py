"""Cost pools, who takes part in them, their means, and the versions of their shares.

Money only moves through :mod:`sharedcosts.services`, which posts to the
ledger; these rows record what was decided and which transaction posted it.
A posted allocation is never edited: a changed input makes a new version.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from djmoney.models.validators import MinMoneyValidator
from simple_history.models import HistoricalRecords

from ledger.dates import date_words
from ledger.models import NAMES_COLLATION, Party, Transaction
from sharedcosts.allocation import RULES

MONEY = {"max_digits": 14, "decimal_places": 2, "currency_choices": settings.CURRENCY_CHOICES}


def private_upload_to(instance: models.Model, filename: str) -> str:
    """Documents go under MEDIA_ROOT (outside the web root), in a folder nobody can guess."""
    return f"sharedcosts/{instance._meta.model_name}/{uuid.uuid4().hex}/{filename}"


class PoolKind(models.TextChoices):
    PREMISES = "premises", _("Premises")
    MOBILE_UNIT = "mobile_unit", _("Mobile unit")
    TRAINING = "training", _("Training")
    EVENT = "event", _("Event")
    TRAVEL = "travel", _("Travel")
    OTHER = "other", _("Other")


class Measure(models.TextChoices):
    ANNUAL_BUDGET = "annual_budget", _("Annual operating budget")
    STAFF = "staff", _("Full-time equivalent staff")
    OTHER = "other", _("Other measure")


RULE_LABELS = {
    "equal": _("Equal shares"),
    "proportional": _("Proportional to means"),
    "base_plus_proportional": _("A base in equal parts, the rest by means"),
    "progressive": _("By the means above a threshold"),
    "usage": _("By usage"),
    "fixed": _("Fixed amounts or percentages"),
}
RULE_CHOICES = [(rule, RULE_LABELS.get(rule, rule)) for rule in RULES]
RULE_PARAM_LABELS = {
    "base_fraction": _("fixed part shared equally"),
    "threshold": _("threshold of means"),
    "percentages": _("percentage of each party"),
    "amounts": _("agreed amount of each party"),
}


class CostPool(models.Model):
    """A shared resource over a period, whose cost the participants share."""

    kind = models.CharField(_("kind"), max_length=20, choices=PoolKind.choices)
    name = models.CharField(_("name"), max_length=200, unique=True, db_collation=NAMES_COLLATION)
    budgeted_cost = MoneyField(_("budgeted cost"), default_currency=settings.DEFAULT_CURRENCY, **MONEY)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    measure = models.CharField(
        _("measure of means"), max_length=20, choices=Measure.choices, default=Measure.ANNUAL_BUDGET
    )
    measure_name = models.CharField(
        _("name of the other measure"), max_length=100, blank=True, help_text=_("Only for the measure “other”.")
    )
    rule = models.CharField(_("allocation rule"), max_length=40, choices=RULE_CHOICES, default="proportional")
    rule_params = models.JSONField(
        _("rule parameters"),
        default=dict,
        blank=True,
        help_text=_('For example {"base_fraction": "0.5"} or {"threshold": "100000"}.'),
    )
    tolerance_low = models.DecimalField(_("lowest fair effort ratio"), max_digits=5, decimal_places=2, default=Decimal("0.80"))
    tolerance_high = models.DecimalField(
        _("highest fair effort ratio"), max_digits=5, decimal_places=2, default=Decimal("1.25")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cost pool")
        verbose_name_plural = _("cost pools")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="sharedcosts_pool_end_after_start",
                violation_error_message=_("The end date cannot come before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(budgeted_cost__gte=0),
                name="sharedcosts_pool_cost_not_negative",
                violation_error_message=_("The budgeted cost cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(tolerance_low__lte=F("tolerance_high")),
                name="sharedcosts_pool_tolerance_band",
                violation_error_message=_("The low tolerance cannot be above the high tolerance."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def currency(self) -> str:
        return self.budgeted_cost.currency.code

    @property
    def cost_account_code(self) -> str:
        return f"POOL-{self.pk}-COST"

    def position_account_code(self, party: Party | int) -> str:
        party_id = party if isinstance(party, int) else party.pk
        return f"POOL-{self.pk}-P{party_id}"


class Participation(models.Model):
    pool = models.ForeignKey(CostPool, on_delete=models.CASCADE, related_name="participations", verbose_name=_("pool"))
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="pool_participations", verbose_name=_("party"))
    usage = models.DecimalField(
        _("usage"), max_digits=12, decimal_places=2, null=True, blank=True, help_text=_("Days, hours or seats, for the usage rule.")
    )
    floor = MoneyField(_("floor"), null=True, blank=True, default_currency=None, **MONEY)
    cap = MoneyField(_("cap"), null=True, blank=True, default_currency=None, **MONEY)
    is_exempt = models.BooleanField(_("exempt"), default=False, help_text=_("An exempt party pays nothing."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["pool", "party__name"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "party"], name="sharedcosts_participation_unique"),
            models.CheckConstraint(
                condition=Q(usage__isnull=True) | Q(usage__gte=0),
                name="sharedcosts_usage_not_negative",
                violation_error_message=_("Usage cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool} · {self.party}"


class MeansDeclaration(models.Model):
    """What a party declared of its means, as of a date, and from what source."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="means_declarations", verbose_name=_("party"))
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices, default=Measure.ANNUAL_BUDGET)
    measure_name = models.CharField(_("name of the other measure"), max_length=100, blank=True)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal(0))])
    as_of = models.DateField(_("as of"))
    source = models.CharField(_("source"), max_length=300, help_text=_("For example: audited financial statements 2024-2025."))
    document = models.FileField(_("document"), upload_to=private_upload_to, blank=True)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("means declaration")
        verbose_name_plural = _("means declarations")
        ordering = ["party__name", "-as_of", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="sharedcosts_means_not_negative",
                violation_error_message=_("Declared means cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["party", "measure", "as_of"], name="sharedcosts_means_lookup")]

    def __str__(self) -> str:
        value = number_format(self.value, force_grouping=True)
        return f"{self.party} · {self.get_measure_display()} {value} ({date_words(self.as_of)})"


class AllocationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    POSTED = "posted", _("Posted")
    SUPERSEDED = "superseded", _("Superseded")


class Allocation(models.Model):
    """One computed version of a pool's shares, with the inputs it used."""

    pool = models.ForeignKey(CostPool, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("pool"))
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=AllocationStatus.choices, default=AllocationStatus.DRAFT)
    inputs = models.JSONField(_("inputs"), help_text=_("The rule, its parameters and each party's figures, as computed."))
    total = MoneyField(_("total"), **MONEY)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("prepared by")
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("posted by")
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by", verbose_name=_("supersedes")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["pool", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "version"], name="sharedcosts_allocation_version_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="sharedcosts_allocation_approved_has_approver",
                violation_error_message=_("An approved allocation records who approved it and when."),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("prepared_by")),
                name="sharedcosts_allocation_four_eyes",
                violation_error_message=_(
                    "An allocation is approved by someone other than the person who prepared it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved"]) | Q(posted_at__isnull=False),
                name="sharedcosts_allocation_posted_has_date",
                violation_error_message=_("A posted allocation records when it was posted."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(pool)s, version %(version)s") % {"pool": self.pool, "version": self.version}


class AllocationShare(models.Model):
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="shares", verbose_name=_("allocation"))
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("party"))
    amount = MoneyField(_("amount"), **MONEY)
    means_declaration = models.ForeignKey(
        MeansDeclaration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("means declaration used"),
    )

    class Meta:
        verbose_name = _("allocated share")
        verbose_name_plural = _("allocated shares")
        ordering = ["allocation", "party__name"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "party"], name="sharedcosts_share_unique_party"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="sharedcosts_share_not_negative",
                violation_error_message=_("A share cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} · {self.amount}"


class Expense(models.Model):
    """An invoice one party paid for the pool."""

    pool = models.ForeignKey(CostPool, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("pool"))
    payer = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("paid by"))
    vendor = models.CharField(_("vendor"), max_length=200)
    date = models.DateField(_("date"))
    amount = MoneyField(
        _("amount"), default_currency=settings.DEFAULT_CURRENCY, validators=[MinMoneyValidator(Decimal("0.01"))], **MONEY
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    document = models.FileField(_("invoice"), upload_to=private_upload_to, blank=True)
    # The expense's name in any database: its posting's key, and the "référence" of its exported row.
    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    transaction = models.OneToOneField(
        Transaction, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+", verbose_name=_("transaction")
    )

    class Meta:
        verbose_name = _("shared expense")
        verbose_name_plural = _("shared expenses")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="sharedcosts_expense_positive",
                violation_error_message=_("An expense’s amount must be more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} · {self.amount} ({date_words(self.date)})"


class InKindContribution(models.Model):
    """Part of the resource a party provides itself, valued at a fair amount."""

    pool = models.ForeignKey(CostPool, on_delete=models.PROTECT, related_name="in_kind_contributions", verbose_name=_("pool"))
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("party"))
    description = models.CharField(_("description"), max_length=300)
    value = MoneyField(
        _("fair value"), default_currency=settings.DEFAULT_CURRENCY, validators=[MinMoneyValidator(Decimal("0.01"))], **MONEY
    )
    justification = models.TextField(_("justification of the value"))
    date = models.DateField(_("date"))
    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    transaction = models.OneToOneField(
        Transaction, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+", verbose_name=_("transaction")
    )

    class Meta:
        verbose_name = _("in-kind contribution")
        verbose_name_plural = _("in-kind contributions")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="sharedcosts_in_kind_positive",
                violation_error_message=_("A contribution’s fair value must be more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} · {self.description}"


# The travel models (places, distances, meetings) live in a module of their own; importing it registers them.
from sharedcosts.travel import models as travel_models  # noqa: E402, F401
from sharedcosts.recurring.models import RecurringAmendment, RecurringExpense, RecurringOccurrence  # noqa: E402,F401 Django finds them here
