"""Places, road distances, per-km rates, groups, their meetings and who came how.

Nothing here moves money: a period's travel reaches the ledger only through
:func:`sharedcosts.travel.services.travel_equalise`, as expenses of a cost
pool posted by the pool's own services.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from simple_history.models import HistoricalRecords

from ledger.dates import date_words
from ledger.words import km_words
from ledger.models import Party


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoadDistance(models.Model):
    """The road distance between two municipalities, one row for both directions.

    The pair is stored with the smaller id first, so that the database's
    unique constraint holds a single row per pair whichever way it was
    entered; :func:`sharedcosts.travel.services.distance_record` orders it.
    """

    first = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality"))
    second = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("other municipality"))
    km = models.DecimalField(_("road distance (km)"), max_digits=7, decimal_places=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("road distance")
        verbose_name_plural = _("road distances")
        ordering = ["first__name", "second__name"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="sharedcosts_distance_one_row_per_pair"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="sharedcosts_distance_ordered_pair",
                violation_error_message=_("A distance joins two different places, each pair written once.")),
            models.CheckConstraint(condition=Q(km__gt=0), name="sharedcosts_distance_positive",
                violation_error_message=_("A road distance must be more than zero kilometres.")),
        ]

    def __str__(self) -> str:
        return f"{self.first} ↔ {self.second} · {km_words(self.km)}"


class Premises(models.Model):
    """Where an organisation receives: the municipality its travel starts from and its meetings are held in."""

    party = models.OneToOneField(Party, on_delete=models.CASCADE, related_name="premises", verbose_name=_("party"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="premises", verbose_name=_("municipality")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("premises")
        verbose_name_plural = _("premises")
        ordering = ["party__name"]

    def __str__(self) -> str:
        return f"{self.party} · {self.municipality}"


class MileageRate(models.Model):
    """The amount paid per km travelled from a date on, until the next rate."""

    effective_from = models.DateField(_("in force from"))
    per_km = MoneyField(
        _("rate per km"),
        max_digits=8,
        decimal_places=4,
        default_currency=settings.DEFAULT_CURRENCY,
        currency_choices=settings.CURRENCY_CHOICES,
    )
    source = models.CharField(_("source"), max_length=300, help_text=_("For example: the partnership's travel policy."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("per-km rate")
        verbose_name_plural = _("per-km rates")
        ordering = ["-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["per_km_currency", "effective_from"], name="sharedcosts_rate_one_per_day"),
            models.CheckConstraint(condition=Q(per_km__gt=0), name="sharedcosts_rate_positive",
                violation_error_message=_("A rate per kilometre must be more than zero.")),
        ]

    def __str__(self) -> str:
        return f"{self.per_km} / km ({date_words(self.effective_from)})"


class GroupKind(models.TextChoices):
    CONCERTATION_TABLE = "concertation_table", _("Concertation table")
    COMMUNITY_OF_PRACTICE = "community_of_practice", _("Community of practice")
    COMMITTEE = "committee", _("Committee")
    OTHER = "other", _("Other group")


class MeetingGroup(models.Model):
    """Partners who meet regularly: a concertation table, a community of practice."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=GroupKind.choices, default=GroupKind.CONCERTATION_TABLE)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting group")
        verbose_name_plural = _("meeting groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(MeetingGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("group"))
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="meeting_groups", verbose_name=_("party"))
    volunteers_to_host = models.BooleanField(
        _("volunteers to host"), default=True, help_text=_("Only volunteers are suggested as the next host.")
    )

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["group", "party__name"]
        constraints = [models.UniqueConstraint(fields=["group", "party"], name="sharedcosts_group_member_unique")]

    def __str__(self) -> str:
        return f"{self.group} · {self.party}"


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remote")
    HYBRID = "hybrid", _("Hybrid")


class Meeting(models.Model):
    """A meeting of a group, held at its host's premises (or nowhere, when remote)."""

    group = models.ForeignKey(MeetingGroup, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("group"))
    date = models.DateField(_("date"))
    host = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="hosted_meetings", verbose_name=_("host"))
    format = models.CharField(_("format"), max_length=20, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON)
    subject = models.CharField(_("subject"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["group", "date"]
        constraints = [models.UniqueConstraint(fields=["group", "date"], name="sharedcosts_meeting_one_a_day")]

    def __str__(self) -> str:
        return f"{self.group} · {date_words(self.date)}"


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remote")


class Attendance(models.Model):
    """How an organisation attended a meeting: in person (in so many vehicles) or remote."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting"))
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("party"))
    mode = models.CharField(_("attended"), max_length=20, choices=AttendanceMode.choices, default=AttendanceMode.IN_PERSON)
    vehicles = models.PositiveSmallIntegerField(
        _("vehicles"), default=1, help_text=_("How many vehicles it came in; zero when remote.")
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "party__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "party"], name="sharedcosts_attendance_unique"),
            models.CheckConstraint(
                condition=Q(mode="in_person", vehicles__gte=1) | Q(mode="remote", vehicles=0),
                name="sharedcosts_attendance_vehicles_match_mode",
                violation_error_message=_("Who comes in person comes in one vehicle or more; who joins remotely comes in none."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.party}"


class TravelEqualisation(models.Model):
    """A group's travel over a period, put into a cost pool once: the periods of a group never overlap."""

    group = models.ForeignKey(
        MeetingGroup, on_delete=models.PROTECT, related_name="equalisations", verbose_name=_("meeting group")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    pool = models.OneToOneField(
        "sharedcosts.CostPool", on_delete=models.PROTECT, related_name="travel_equalisation", verbose_name=_("cost pool")
    )
    km = models.DecimalField(_("km travelled"), max_digits=12, decimal_places=1, default=Decimal("0.0"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("prepared by")
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("travel equalisation")
        verbose_name_plural = _("travel equalisations")
        ordering = ["group", "-start"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="sharedcosts_equalisation_dates",
                violation_error_message=_("The end of the period cannot come before its start."))]

    def __str__(self) -> str:
        return f"{self.group} · {date_words(self.start)} – {date_words(self.end)}"
