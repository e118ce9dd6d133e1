"""The demo territory's organisations, people and first movements of money.

A believable Laurentides partnership around the Aire ouverte site of
Saint-Jérôme. Every function here can be run again: it finds what it made
before instead of making it twice. Names are made up for the demo.
"""

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser, Group
from django.db import transaction
from django.db.models import QuerySet
from moneyed import Money
from simple_history.utils import bulk_create_with_history

from ledger.models import (
    AccountType,
    Entry,
    FiscalPeriod,
    Membership,
    MembershipRole,
    Party,
    PartyKind,
    Sector,
    TransactionKind,
)
from ledger.roles import ADMINISTRATORS_GROUP, FINANCE_GROUP
from ledger.periods import fiscal_period_open
from ledger.services import (
    Line,
    PostingRequest,
    account_get_or_create,
    site_account,
    transaction_post,
    transactions_post,
)

DEMO_PASSWORD = "demo-aire-ouverte"
SITE_NAME = "Aire ouverte Laurentides (Saint-Jérôme)"


@dataclass(frozen=True)
class DemoParty:
    name: str
    kind: str
    sector: str
    liaison: str


PARTIES = [
    DemoParty(SITE_NAME, PartyKind.ESTABLISHMENT_PROGRAMME, Sector.SUD, "Chargée de projet Aire ouverte"),
    DemoParty("CISSS — Jeunes en difficulté (JED)", PartyKind.ESTABLISHMENT_PROGRAMME, Sector.REGIONAL, "Chef de service JED"),
    DemoParty("CISSS — Santé mentale jeunesse (SMJ)", PartyKind.ESTABLISHMENT_PROGRAMME, Sector.REGIONAL, "Chef de service SMJ"),
    DemoParty("CISSS — Crise-Ado-Famille-Enfance (CAFE)", PartyKind.ESTABLISHMENT_PROGRAMME, Sector.SUD, "Coordonnatrice CAFE"),
    DemoParty("CISSS — Clinique jeunesse en santé sexuelle", PartyKind.ESTABLISHMENT_PROGRAMME, Sector.SUD, "Infirmière-chef"),
    DemoParty("CISSS — Dépendance jeunesse", PartyKind.ESTABLISHMENT_PROGRAMME, Sector.NORD, "Chef de service"),
    DemoParty("Maison des jeunes de Saint-Jérôme", PartyKind.COMMUNITY_YOUTH, Sector.SUD, "Coordonnatrice"),
    DemoParty("Maison des jeunes des Hautes-Laurentides", PartyKind.COMMUNITY_YOUTH, Sector.NORD, "Directeur"),
    DemoParty("Travail de rue Rivière-du-Nord", PartyKind.STREET_WORK, Sector.SUD, "Travailleuse de rue responsable"),
    DemoParty("Travail de rue des Hautes-Laurentides", PartyKind.STREET_WORK, Sector.NORD, "Coordonnateur"),
    DemoParty("Carrefour jeunesse-emploi Rivière-du-Nord", PartyKind.EMPLOYMENT, Sector.SUD, "Conseillère jeunesse"),
    DemoParty("Carrefour jeunesse-emploi des Hautes-Laurentides", PartyKind.EMPLOYMENT, Sector.NORD, "Directrice"),
    DemoParty("Cégep de Saint-Jérôme", PartyKind.EDUCATION, Sector.SUD, "Services aux étudiants"),
    DemoParty("Centre de services scolaire des Hautes-Laurentides", PartyKind.EDUCATION, Sector.NORD, "Direction des services éducatifs"),
    DemoParty("Ville de Saint-Jérôme", PartyKind.MUNICIPALITY, Sector.SUD, "Service des loisirs"),
    DemoParty("Ville de Mont-Laurier", PartyKind.MUNICIPALITY, Sector.NORD, "Service de la vie communautaire"),
    DemoParty("Bibliothèque municipale de Saint-Jérôme", PartyKind.LIBRARY, Sector.SUD, "Bibliothécaire jeunesse"),
    DemoParty("Hébergement jeunesse Le Tournant", PartyKind.HOUSING, Sector.SUD, "Intervenant responsable"),
    DemoParty("Service de police de Saint-Jérôme", PartyKind.POLICE, Sector.SUD, "Agente sociocommunautaire"),
    DemoParty("Alliance arc-en-ciel des Laurentides", PartyKind.DIVERSITY, Sector.REGIONAL, "Coordonnateur"),
    DemoParty("Centre de pédiatrie sociale de la Rivière-du-Nord", PartyKind.SOCIAL_PAEDIATRICS, Sector.SUD, "Directrice"),
    DemoParty("Table de concertation jeunesse des Laurentides", PartyKind.CITIZEN, Sector.REGIONAL, "Animatrice"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    group: str | None = None
    memberships: tuple[tuple[str, str], ...] = ()


USERS = [
    DemoUser("administrateur", "Geneviève", "Lachance", group=ADMINISTRATORS_GROUP),
    DemoUser("administratrice2", "Hélène", "Gagnon", group=ADMINISTRATORS_GROUP),
    DemoUser("finances", "Marc-André", "Tremblay", group=FINANCE_GROUP),
    DemoUser("mdj-sj", "Camille", "Bélanger", memberships=(("Maison des jeunes de Saint-Jérôme", MembershipRole.MEMBER),)),
    DemoUser(
        "cje-rdn", "Olivier", "Roy", memberships=(("Carrefour jeunesse-emploi Rivière-du-Nord", MembershipRole.FINANCE),)
    ),
    DemoUser(
        "coordo-nord",
        "Sophie",
        "Lévesque",
        memberships=(
            ("Maison des jeunes des Hautes-Laurentides", MembershipRole.MEMBER),
            ("Travail de rue des Hautes-Laurentides", MembershipRole.FINANCE),
        ),
    ),
    DemoUser("tdr-rdn", "Alex", "Morin", memberships=(("Travail de rue Rivière-du-Nord", MembershipRole.MEMBER),)),
]


def _email_for(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = "".join(ch for ch in ascii_name.lower() if ch.isalnum())[:24]
    return f"{slug}@partenaires.example"


def parties_seed() -> dict[str, Party]:
    parties = {}
    for spec in PARTIES:
        party, _ = Party.objects.get_or_create(
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "sector": spec.sector,
                "liaison_name": spec.liaison,
                "liaison_email": _email_for(spec.name),
            },
        )
        parties[spec.name] = party
    return parties


def users_seed(parties: dict[str, Party]) -> dict[str, AbstractUser]:
    user_model = get_user_model()
    users = {}
    for spec in USERS:
        user, created = user_model.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@aire-ouverte.example",
                "is_staff": spec.group is not None,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if spec.group:
            user.groups.add(Group.objects.get(name=spec.group))
        for party_name, role in spec.memberships:
            Membership.objects.get_or_create(user=user, party=parties[party_name], defaults={"role": role})
        users[spec.username] = user
    return users


def demo_dates(today: date) -> list[date]:
    """Three dates early in the current fiscal year, none after today."""
    start = FiscalPeriod(start_year=FiscalPeriod.year_of(today)).start_date
    return [min(start + timedelta(days=offset), today) for offset in (14, 45, 120)]


def transactions_seed(parties: dict[str, Party], poster: AbstractUser, today: date) -> None:
    contribution = account_get_or_create(
        code="SITE-CONTRIB", name="Contribution du CISSS au partenariat", type=AccountType.EQUITY, currency="CAD"
    )
    support = account_get_or_create(
        code="SITE-SOUTIEN", name="Enveloppe de soutien aux partenaires", type=AccountType.ASSET, currency="CAD"
    )
    funding_day, first_day, second_day = demo_dates(today)
    transaction_post(
        lines=[Line(account=contribution, amount=Money("-60000.00", "CAD")), Line(account=support, amount=Money("60000.00", "CAD"))],
        date=funding_day,
        kind="funding",
        memo="Contribution annuelle du CISSS à l'enveloppe de soutien",
        idempotency_key=f"demo:funding:{funding_day.isoformat()}",
        posted_by=poster,
    )
    for day, party_name, amount in [
        (first_day, "Table de concertation jeunesse des Laurentides", "4500.00"),
        (second_day, "Maison des jeunes de Saint-Jérôme", "2750.00"),
    ]:
        party = parties[party_name]
        received = account_get_or_create(
            code=f"P{party.pk}-SOUTIEN", name="Soutien ponctuel reçu", type=AccountType.INCOME, currency="CAD", party=party
        )
        transaction_post(
            lines=[Line(account=support, amount=Money(f"-{amount}", "CAD")), Line(account=received, amount=Money(amount, "CAD"))],
            date=day,
            kind="adjustment",
            memo=f"Soutien ponctuel — {party_name}",
            idempotency_key=f"demo:support:{party.pk}:{day.isoformat()}",
            posted_by=poster,
        )


GENERATED_PREFIX = "Organisme partenaire "
PARTNER_SHARES_ACCOUNT = "SITE-FRAIS-PARTAGES"
POSTING_BATCH = 2000


def generated_partners() -> QuerySet[Party]:
    """The partners made by :func:`extra_partners_seed`, by number."""
    return Party.objects.filter(name__startswith=GENERATED_PREFIX).order_by("name")


def generated_username(number: int) -> str:
    """The member of generated partner number ``number`` (from 1): the load test logs in as them."""
    return f"partenaire-{number:05d}"


def extra_partners_seed(count: int) -> int:
    """Add generated partners up to ``count`` of them, for benchmarks."""
    existing = generated_partners().count()
    rng = random.Random(2025)
    kinds = [kind for kind in PartyKind.values if kind != PartyKind.ESTABLISHMENT_PROGRAMME]
    sectors = [Sector.NORD, Sector.SUD, Sector.CENTRE]
    new = [
        Party(
            name=f"{GENERATED_PREFIX}{number:05d}",
            kind=rng.choice(kinds),
            sector=rng.choice(sectors),
            liaison_name="Coordination",
        )
        for number in range(existing + 1, count + 1)
    ]
    Party.objects.bulk_create(new, batch_size=1000)
    return len(new)


def extra_members_seed() -> int:
    """A member for each generated partner who has none; the number added.

    They share the demo password, hashed once: hashing it for each of
    hundreds of users would take minutes, by design of the hasher.
    """
    user_model = get_user_model()
    numbered = {
        generated_username(int(party.name.removeprefix(GENERATED_PREFIX))): party for party in generated_partners()
    }
    missing = numbered.keys() - set(user_model.objects.filter(username__in=numbered).values_list("username", flat=True))
    if missing:
        password = make_password(DEMO_PASSWORD)
        user_model.objects.bulk_create(
            [
                user_model(username=username, password=password, first_name="Coordination",
                           last_name=numbered[username].name, email=f"{username}@partenaires.example")
                for username in sorted(missing)
            ]
        )
    members = set(Membership.objects.filter(party__in=numbered.values()).values_list("user__username", flat=True))
    users = user_model.objects.filter(username__in=numbered.keys() - members)
    added = bulk_create_with_history(
        [Membership(user=user, party=numbered[user.username], role=MembershipRole.MEMBER) for user in users], Membership
    )
    return len(added)


def extra_postings_seed(*, today: date, poster: AbstractUser, weeks: int = 52) -> int:
    """A year of weekly shares of the shared costs for each generated partner that has none; the number posted."""
    site = site_account(code=PARTNER_SHARES_ACCOUNT, name="Frais partagés à répartir", currency="CAD")
    requests = []
    for party in generated_partners():
        account = account_get_or_create(
            code=f"P{party.pk}-FRAIS", name="Quote-part des frais partagés", type=AccountType.EXPENSE,
            currency="CAD", party=party,
        )
        if Entry.objects.filter(account=account).exists():
            continue
        rng = random.Random(party.pk)
        for week in range(weeks):
            day = today - timedelta(weeks=week)
            share = Money(Decimal(rng.randrange(4_000, 60_000)).scaleb(-2), "CAD")
            requests.append(
                PostingRequest(
                    lines=[Line(account=site, amount=-share), Line(account=account, amount=share)],
                    date=day,
                    kind=TransactionKind.EXPENSE,
                    memo=f"Quote-part des frais partagés — semaine du {day.isoformat()}",
                    idempotency_key=f"demo:partner-share:{party.pk}:{day.isoformat()}",
                    posted_by=poster,
                )
            )
    for start in range(0, len(requests), POSTING_BATCH):
        transactions_post(requests=requests[start:start + POSTING_BATCH])
    return len(requests)


@transaction.atomic
def ledger_demo_seed(*, today: date, partners: int = 0) -> dict[str, object]:
    parties = parties_seed()
    users = users_seed(parties)
    # The demo's history starts in the previous fiscal year; the current and next open on their own.
    fiscal_period_open(start_year=FiscalPeriod.year_of(today) - 1, opened_by=users["administrateur"])
    transactions_seed(parties, users["finances"], today)
    extra_partners_seed(partners)
    extra_members_seed()
    extra_postings_seed(today=today, poster=users["finances"])
    return {"parties": parties, "users": users}
