"""The partnership's books: who the parties are, their accounts, and the
transactions that move money between them.

Entries are signed amounts. Within a transaction they sum to zero in each
currency. On a party's account a positive balance is in the party's favour
(money received, or owed to it); on the site's accounts the sign reads the
same way for the site. Transactions and entries are only ever inserted, by
:func:`ledger.services.transaction_post`; the database refuses to update or
delete them (see the migration that installs the triggers).
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ledger.dates import date_words
from djmoney.models.fields import CurrencyField, MoneyField
from simple_history.models import HistoricalRecords


class PartyKind(models.TextChoices):
    ESTABLISHMENT_PROGRAMME = "establishment_programme", _("Programme of the health establishment")
    COMMUNITY_YOUTH = "community_youth", _("Youth community organisation")
    STREET_WORK = "street_work", _("Street work organisation")
    EMPLOYMENT = "employment", _("Youth employment centre or employability organisation")
    EDUCATION = "education", _("School, cégep or university")
    LIBRARY = "library", _("Library")
    MUNICIPALITY = "municipality", _("City, municipality or borough council")
    POLICE = "police", _("Police service")
    HOUSING = "housing", _("Shelter or housing organisation")
    ADDICTION = "addiction", _("Addiction organisation or supervised injection site")
    FAMILY = "family", _("Organisation for parents and families")
    DIVERSITY = "diversity", _("Organisation for cultural, sexual or gender minorities")
    PEER_SUPPORT = "peer_support", _("Peer support organisation")
    INDIGENOUS = "indigenous", _("Organisation in an Indigenous community")
    IMMIGRATION = "immigration", _("Immigration organisation")
    SOCIAL_PAEDIATRICS = "social_paediatrics", _("Social paediatrics centre")
    CITIZEN = "citizen", _("Citizen association or concertation table")
    HEALTH_PRACTICE = "health_practice", _("Community pharmacy or dentist")
    PRIVATE = "private", _("Private partner or employer")
    OTHER = "other", _("Other partner")


class Sector(models.TextChoices):
    NORD = "nord", _("North")
    SUD = "sud", _("South")
    CENTRE = "centre", _("Centre")
    REGIONAL = "regional", _("Whole territory")


# The collation of the names people sort lists by: French of Canada (migration 0016).
NAMES_COLLATION = "names"


class Party(models.Model):
    """An organisation of the partnership."""

    name = models.CharField(_("name"), max_length=200, unique=True, db_collation=NAMES_COLLATION)
    kind = models.CharField(_("kind"), max_length=40, choices=PartyKind.choices)
    sector = models.CharField(_("sector of the territory"), max_length=20, choices=Sector.choices)
    liaison_name = models.CharField(_("liaison person"), max_length=200, blank=True)
    liaison_email = models.EmailField(_("liaison email"), blank=True)
    liaison_phone = models.CharField(_("liaison phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Partner member")
    FINANCE = "finance", _("Partner finance")


class Membership(models.Model):
    """A user's belonging to a party; it is what lets them see its data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("party"))
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "party"], name="ledger_membership_unique_user_party")]

    def __str__(self) -> str:
        return f"{self.user} · {self.party}"


class AccountType(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")
    EQUITY = "equity", _("Equity")


class Account(models.Model):
    """An account of a party, or of the site itself when it has no party."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("party"),
        help_text=_("Empty for the accounts of the Aire ouverte site itself."),
    )
    type = models.CharField(_("type"), max_length=20, choices=AccountType.choices)
    currency = CurrencyField(verbose_name=_("currency"), default=settings.DEFAULT_CURRENCY, choices=settings.CURRENCY_CHOICES)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


FIRST_FISCAL_YEAR = 2000
LAST_FISCAL_YEAR = 2100


class FiscalPeriod(models.Model):
    """A fiscal year, 1 April to 31 March, named by the year it starts in."""

    start_year = models.PositiveSmallIntegerField(
        _("starting year"), primary_key=True, validators=[MinValueValidator(FIRST_FISCAL_YEAR), MaxValueValidator(LAST_FISCAL_YEAR)]
    )
    is_closed = models.BooleanField(_("closed"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fiscal period")
        verbose_name_plural = _("fiscal periods")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_closed=False) | Q(closed_at__isnull=False),
                name="ledger_fiscalperiod_closed_has_date",
                violation_error_message=_("A closed period records when it was closed."),
            )
        ]

    @staticmethod
    def year_of(day: date) -> int:
        return day.year if day.month >= 4 else day.year - 1

    @property
    def start_date(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end_date(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def __str__(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"


class TransactionKind(models.TextChoices):
    DISBURSEMENT = "disbursement", _("Grant disbursement")
    FUNDING = "funding", _("Programme funding")
    ALLOCATION = "allocation", _("Cost allocation")
    EXPENSE = "expense", _("Shared expense")
    IN_KIND = "in_kind", _("In-kind contribution")
    SETTLEMENT = "settlement", _("Settlement")
    ADJUSTMENT = "adjustment", _("Adjustment")
    REVERSAL = "reversal", _("Reversal")


class Transaction(models.Model):
    """A posted movement of money: two or more entries that balance."""

    date = models.DateField(_("date"))
    period = models.ForeignKey(
        FiscalPeriod, on_delete=models.PROTECT, related_name="transactions", verbose_name=_("fiscal period")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TransactionKind.choices)
    memo = models.CharField(_("memo"), max_length=500, blank=True)
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=200,
        unique=True,
        help_text=_("What this transaction records, so that it is never posted twice."),
    )
    request_hash = models.CharField(_("request fingerprint"), max_length=64)
    posted_at = models.DateTimeField(_("posted at"))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date", "id"], name="ledger_txn_date_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | Q(kind="reversal"),
                name="ledger_transaction_reversal_kind",
                violation_error_message=_("Only a reversal reverses another transaction."),
            ),
            models.CheckConstraint(
                condition=~Q(reverses=models.F("id")),
                name="ledger_transaction_not_self_reversal",
                violation_error_message=_("A transaction cannot reverse itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} · {date_words(self.date)} · {self.get_kind_display()}"


class Entry(models.Model):
    """One line of a transaction: a signed amount on one account.

    The transaction's date is repeated here so that a balance as of a date is
    read from one index of this table alone; the database checks that it
    matches the transaction's and that the currency is the account's.
    """

    transaction = models.ForeignKey(
        Transaction, on_delete=models.PROTECT, related_name="entries", verbose_name=_("transaction")
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries", verbose_name=_("account"))
    amount = MoneyField(_("amount"), max_digits=16, decimal_places=2, currency_choices=settings.CURRENCY_CHOICES)
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["account", "date"],
                include=["amount", "amount_currency"],
                name="ledger_entry_account_date",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0),
                name="ledger_entry_amount_not_zero",
                violation_error_message=_("An entry’s amount cannot be zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account.code} {self.amount}"


# How many rows hold one account's balance. A posting adds to one of them,
# chosen by its database transaction's id, so that the postings of many
# workers to a hot account (a programme's envelope, the site's cash) rarely
# wait for one another's commit; a balance reads them all, a bounded handful.
BALANCE_SHARDS = 16


class AccountBalance(models.Model):
    """A share of an account's balance, kept by the database from its entries.

    An account's balance is the sum of its rows here. Only the database
    writes them, in the database transaction that inserts the entries (a
    statement trigger on the entries); the application's role may read them
    but not write them, and ``manage.py ledger_balances_rebuild`` recomputes
    them from the entries and reports any difference.
    """

    pk = models.CompositePrimaryKey("account", "shard")
    account = models.ForeignKey(
        Account,
        on_delete=models.DO_NOTHING,
        related_name="balance_shares",
        verbose_name=_("account"),
        db_index=False,  # the primary key starts with the account
    )
    shard = models.PositiveSmallIntegerField(_("share"), validators=[MaxValueValidator(BALANCE_SHARDS - 1)])
    amount = MoneyField(_("amount"), max_digits=20, decimal_places=2, currency_choices=settings.CURRENCY_CHOICES)

    class Meta:
        verbose_name = _("share of an account's balance")
        verbose_name_plural = _("shares of accounts' balances")
        constraints = [
            models.CheckConstraint(
                condition=Q(shard__lt=BALANCE_SHARDS),
                name="ledger_accountbalance_shard_range",
                violation_error_message=_("An account's balance is kept in at most 16 shares."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} #{self.shard} {self.amount}"



class AccountPeriodMovement(models.Model):
    """A share of what an account moved in one fiscal year, kept by the database like the balances.

    An account's opening balance of a fiscal year is the sum of its rows of
    the years before: one row per share and year, whatever the entries.
    """

    pk = models.CompositePrimaryKey("account", "start_year", "shard")
    account = models.ForeignKey(
        Account, on_delete=models.DO_NOTHING, related_name="+", verbose_name=_("account"), db_index=False
    )
    start_year = models.PositiveSmallIntegerField(_("starting year"))
    shard = models.PositiveSmallIntegerField(_("share"), validators=[MaxValueValidator(BALANCE_SHARDS - 1)])
    amount = MoneyField(_("amount"), max_digits=20, decimal_places=2, currency_choices=settings.CURRENCY_CHOICES)

    class Meta:
        verbose_name = _("share of an account's movement in a fiscal year")
        verbose_name_plural = _("shares of accounts' movements in fiscal years")

    def __str__(self) -> str:
        return f"{self.account_id} {self.start_year} #{self.shard} {self.amount}"


class AccountDayMovement(models.Model):
    """A share of what an account moved in one day, kept by the database like the balances.

    A balance as of a date is the opening balance of its fiscal year plus
    these rows from the year's first day to the date: bounded by the days of
    one year, never by the number of entries.
    """

    pk = models.CompositePrimaryKey("account", "day", "shard")
    account = models.ForeignKey(
        Account, on_delete=models.DO_NOTHING, related_name="+", verbose_name=_("account"), db_index=False
    )
    day = models.DateField(_("day"))
    shard = models.PositiveSmallIntegerField(_("share"), validators=[MaxValueValidator(BALANCE_SHARDS - 1)])
    amount = MoneyField(_("amount"), max_digits=20, decimal_places=2, currency_choices=settings.CURRENCY_CHOICES)

    class Meta:
        verbose_name = _("share of an account's movement in a day")
        verbose_name_plural = _("shares of accounts' movements in days")

    def __str__(self) -> str:
        return f"{self.account_id} {self.day} #{self.shard} {self.amount}"


# The notification system keeps its models in its own package; imported here, Django finds them as the ledger's.
from ledger.notifications.models import (  # noqa: E402, F401
    ContactLanguage,
    Notification,
    NotificationKind,
    NotificationOptOut,
)
