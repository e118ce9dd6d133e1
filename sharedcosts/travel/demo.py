"""The demo territory's places and road distances, and a year of meetings of the Laurentides concertation table.

The distances are plausible road distances between the territory's
municipalities, rounded to the km; the previous fiscal year's travel is
equalised through a pool shared by means. Run again, it finds what it made
and posts nothing twice.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.utils import translation
from moneyed import Money

from ledger.models import FiscalPeriod, Party
from sharedcosts.models import AllocationStatus, Measure, MeansDeclaration
from sharedcosts.services import allocation_approve, allocation_compute, allocation_post
from sharedcosts.travel.models import AttendanceMode, GroupKind, GroupMember, Meeting, MeetingFormat, MeetingGroup, TravelEqualisation
from sharedcosts.travel.services import (
    Presence,
    distance_record,
    meeting_record,
    municipality_record,
    premises_record,
    rate_record,
    travel_equalise,
)

SITE = "Aire ouverte Laurentides (Saint-Jérôme)"
TABLE = "Table de concertation jeunesse des Laurentides"

# One way, by road, in km.
DISTANCES = {
    ("Saint-Jérôme", "Mirabel"): 20,
    ("Saint-Jérôme", "Lachute"): 38,
    ("Saint-Jérôme", "Saint-Sauveur"): 26,
    ("Saint-Jérôme", "Sainte-Agathe-des-Monts"): 50,
    ("Saint-Jérôme", "Mont-Tremblant"): 92,
    ("Saint-Jérôme", "Rivière-Rouge"): 152,
    ("Saint-Jérôme", "Mont-Laurier"): 195,
    ("Mirabel", "Lachute"): 30,
    ("Mirabel", "Saint-Sauveur"): 40,
    ("Mirabel", "Sainte-Agathe-des-Monts"): 65,
    ("Mirabel", "Mont-Tremblant"): 105,
    ("Mirabel", "Rivière-Rouge"): 165,
    ("Mirabel", "Mont-Laurier"): 210,
    ("Lachute", "Saint-Sauveur"): 38,
    ("Lachute", "Sainte-Agathe-des-Monts"): 60,
    ("Lachute", "Mont-Tremblant"): 95,
    ("Lachute", "Rivière-Rouge"): 150,
    ("Lachute", "Mont-Laurier"): 195,
    ("Saint-Sauveur", "Sainte-Agathe-des-Monts"): 28,
    ("Saint-Sauveur", "Mont-Tremblant"): 68,
    ("Saint-Sauveur", "Rivière-Rouge"): 128,
    ("Saint-Sauveur", "Mont-Laurier"): 172,
    ("Sainte-Agathe-des-Monts", "Mont-Tremblant"): 42,
    ("Sainte-Agathe-des-Monts", "Rivière-Rouge"): 102,
    ("Sainte-Agathe-des-Monts", "Mont-Laurier"): 145,
    ("Mont-Tremblant", "Rivière-Rouge"): 62,
    ("Mont-Tremblant", "Mont-Laurier"): 105,
    ("Rivière-Rouge", "Mont-Laurier"): 48,
}

PREMISES = {
    SITE: "Saint-Jérôme",
    "CISSS — Jeunes en difficulté (JED)": "Saint-Jérôme",
    "CISSS — Santé mentale jeunesse (SMJ)": "Saint-Jérôme",
    "CISSS — Crise-Ado-Famille-Enfance (CAFE)": "Mirabel",
    "CISSS — Clinique jeunesse en santé sexuelle": "Saint-Sauveur",
    "CISSS — Dépendance jeunesse": "Mont-Tremblant",
    "Maison des jeunes de Saint-Jérôme": "Saint-Jérôme",
    "Maison des jeunes des Hautes-Laurentides": "Mont-Laurier",
    "Travail de rue Rivière-du-Nord": "Saint-Jérôme",
    "Travail de rue des Hautes-Laurentides": "Rivière-Rouge",
    "Carrefour jeunesse-emploi Rivière-du-Nord": "Saint-Jérôme",
    "Carrefour jeunesse-emploi des Hautes-Laurentides": "Mont-Laurier",
    "Cégep de Saint-Jérôme": "Saint-Jérôme",
    "Centre de services scolaire des Hautes-Laurentides": "Mont-Laurier",
    "Ville de Saint-Jérôme": "Saint-Jérôme",
    "Ville de Mont-Laurier": "Mont-Laurier",
    "Bibliothèque municipale de Saint-Jérôme": "Saint-Jérôme",
    "Hébergement jeunesse Le Tournant": "Lachute",
    "Service de police de Saint-Jérôme": "Saint-Jérôme",
    "Alliance arc-en-ciel des Laurentides": "Sainte-Agathe-des-Monts",
    "Centre de pédiatrie sociale de la Rivière-du-Nord": "Saint-Jérôme",
    "Table de concertation jeunesse des Laurentides": "Sainte-Agathe-des-Monts",
}

# The table's members, their annual budgets (for the pool shared by means) and whether they host.
MEMBERS = {
    SITE: ("1250000", True),
    "Maison des jeunes de Saint-Jérôme": ("185000", True),
    "Maison des jeunes des Hautes-Laurentides": ("142000", True),
    "Travail de rue Rivière-du-Nord": ("260000", True),
    "Travail de rue des Hautes-Laurentides": ("198000", True),
    "Carrefour jeunesse-emploi des Hautes-Laurentides": ("870000", True),
    "Hébergement jeunesse Le Tournant": ("640000", True),
    "CISSS — Dépendance jeunesse": ("2100000", True),
    "Alliance arc-en-ciel des Laurentides": ("82000", False),
}
NORTH = {"Maison des jeunes des Hautes-Laurentides", "Travail de rue des Hautes-Laurentides", "Carrefour jeunesse-emploi des Hautes-Laurentides"}
# The hosts in turn: the site hosts often, the north seldom, as tables tend to before anyone counts.
HOSTS = [
    SITE,
    "Maison des jeunes de Saint-Jérôme",
    SITE,
    "Hébergement jeunesse Le Tournant",
    "CISSS — Dépendance jeunesse",
    SITE,
    "Travail de rue Rivière-du-Nord",
    "Maison des jeunes des Hautes-Laurentides",
    SITE,
    "Maison des jeunes de Saint-Jérôme",
    SITE,
]


def _meeting_days(first: date, today: date) -> list[date]:
    """The 12th of each month from ``first`` to today, but July, when the table does not sit."""
    days, day = [], first.replace(day=12)
    while day <= today:
        if day.month != 7:
            days.append(day)
        day = (day.replace(day=1) + timedelta(days=32)).replace(day=12)
    return days


def _presences(parties: dict[str, Party], index: int, meeting_format: str) -> list[Presence]:
    presences = []
    for name in MEMBERS:
        remote = meeting_format == MeetingFormat.REMOTE or (meeting_format == MeetingFormat.HYBRID and name in NORTH)
        if remote:
            presences.append(Presence(parties[name], AttendanceMode.REMOTE, 0))
        else:
            presences.append(Presence(parties[name], vehicles=2 if name == SITE and index % 2 == 0 else 1))
    return presences


def _meetings_seed(group: MeetingGroup, parties: dict[str, Party], first: date, today: date) -> None:
    held = set(group.meetings.values_list("date", flat=True))
    for index, day in enumerate(_meeting_days(first, today)):
        if day in held:
            continue
        meeting_format = MeetingFormat.REMOTE if index % 4 == 3 else MeetingFormat.HYBRID if index % 4 == 1 else MeetingFormat.IN_PERSON
        meeting_record(
            group=group,
            date=day,
            host=parties[HOSTS[index % len(HOSTS)]],
            format=meeting_format,
            presences=_presences(parties, index, meeting_format),
            subject="Rencontre bilan" if day.month in (6, 12) else "Rencontre régulière",
        )


def travel_demo_seed(*, parties: dict[str, Party], users: dict[str, AbstractUser], today: date) -> MeetingGroup:
    """Places, distances and rates; the table's meetings since the previous fiscal year began; that year equalised."""
    previous = FiscalPeriod(start_year=FiscalPeriod.year_of(today) - 1)
    places = {name: municipality_record(name=name) for pair in DISTANCES for name in pair}
    for (one, other), km in DISTANCES.items():
        distance_record(one=places[one], other=places[other], km=Decimal(km))
    for party_name, place in PREMISES.items():
        premises_record(party=parties[party_name], municipality=places[place])
    policy = "Politique de remboursement des frais de déplacement du partenariat"
    rate_record(effective_from=previous.start_date, per_km=Money("0.50", "CAD"), source=policy)
    rate_record(effective_from=date(previous.start_year + 1, 1, 1), per_km=Money("0.54", "CAD"), source=policy)

    group, _ = MeetingGroup.objects.get_or_create(name=TABLE, defaults={"kind": GroupKind.CONCERTATION_TABLE})
    declared = previous.start_date - timedelta(days=1)
    for name, (budget, hosts) in MEMBERS.items():
        GroupMember.objects.get_or_create(group=group, party=parties[name], defaults={"volunteers_to_host": hosts})
        MeansDeclaration.objects.get_or_create(
            party=parties[name],
            measure=Measure.ANNUAL_BUDGET,
            as_of=declared,
            defaults={"value": Decimal(budget), "source": f"États financiers audités {declared.year - 1}-{declared.year}"},
        )
    _meetings_seed(group, parties, previous.start_date, today)

    equalisation = TravelEqualisation.objects.filter(group=group, start=previous.start_date).select_related("pool").first()
    if equalisation is None and Meeting.objects.filter(group=group, date__lte=previous.end_date).exists():
        with translation.override(settings.LANGUAGE_CODE):  # the expenses' words are written in the demo's language
            equalisation = travel_equalise(
                group=group,
                start=previous.start_date,
                end=previous.end_date,
                rule="proportional",
                name=f"Déplacements de la table de concertation {previous}",
                prepared_by=users["finances"],
            )
    if equalisation is not None:
        allocation = equalisation.pool.allocations.order_by("-version").first()
        if allocation is None:
            allocation = allocation_compute(pool=equalisation.pool, prepared_by=users["finances"])
        if allocation.status == AllocationStatus.DRAFT:
            allocation = allocation_approve(allocation=allocation, approved_by=users["administrateur"])
        if allocation.status == AllocationStatus.APPROVED:
            allocation_post(allocation=allocation, posted_by=users["administrateur"], date=previous.end_date)
    return group
