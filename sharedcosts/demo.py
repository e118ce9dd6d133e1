"""The demo territory's shared costs: four pools of the current fiscal year, and
the travel of its concertation table (:mod:`sharedcosts.travel.demo`).

Run again, it finds what it made (pools by name, the rest by their natural
keys) and the ledger's idempotency keys make every posting a no-op.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.db import transaction
from moneyed import Money

from ledger.models import FiscalPeriod, Party
from sharedcosts.models import (
    AllocationStatus,
    CostPool,
    Expense,
    InKindContribution,
    Measure,
    MeansDeclaration,
    Participation,
    PoolKind,
)
from sharedcosts.recurring.demo import recurring_demo_seed
from sharedcosts.selectors import allocation_latest, pool_balances
from sharedcosts.travel.demo import travel_demo_seed
from sharedcosts.services import (
    allocation_approve,
    allocation_compute,
    allocation_post,
    expense_post,
    in_kind_post,
    settlement_record,
)

SITE = "Aire ouverte Laurentides (Saint-Jérôme)"

# Annual operating budgets declared from each partner's last audited statements.
BUDGETS = {
    SITE: "1250000",
    "CISSS — Santé mentale jeunesse (SMJ)": "3950000",
    "CISSS — Dépendance jeunesse": "2100000",
    "Maison des jeunes de Saint-Jérôme": "185000",
    "Maison des jeunes des Hautes-Laurentides": "142000",
    "Travail de rue Rivière-du-Nord": "260000",
    "Travail de rue des Hautes-Laurentides": "198000",
    "Carrefour jeunesse-emploi Rivière-du-Nord": "1150000",
    "Carrefour jeunesse-emploi des Hautes-Laurentides": "870000",
    "Hébergement jeunesse Le Tournant": "640000",
    "Alliance arc-en-ciel des Laurentides": "82000",
    "Centre de pédiatrie sociale de la Rivière-du-Nord": "710000",
    "Ville de Saint-Jérôme": "3800000",
    "Bibliothèque municipale de Saint-Jérôme": "920000",
}


@dataclass(frozen=True)
class DemoMember:
    party: str
    usage: str | None = None
    floor: str | None = None
    cap: str | None = None
    exempt: bool = False


@dataclass(frozen=True)
class DemoPool:
    name: str
    kind: str
    cost: str
    rule: str
    members: list[DemoMember]
    params: dict = field(default_factory=dict)
    start_offset: int = 0
    days: int = 364


POOLS = [
    DemoPool(
        "Locaux partagés du site de Saint-Jérôme",
        PoolKind.PREMISES,
        "48000.00",
        "proportional",
        [
            DemoMember(SITE),
            DemoMember("CISSS — Santé mentale jeunesse (SMJ)", cap="20000.00"),
            DemoMember("Maison des jeunes de Saint-Jérôme", floor="1500.00"),
            DemoMember("Carrefour jeunesse-emploi Rivière-du-Nord"),
            DemoMember("Travail de rue Rivière-du-Nord", floor="1500.00"),
            DemoMember("Centre de pédiatrie sociale de la Rivière-du-Nord"),
        ],
    ),
    DemoPool(
        "Unité mobile — tournée du secteur Nord",
        PoolKind.MOBILE_UNIT,
        "36000.00",
        "usage",
        [
            DemoMember("Maison des jeunes des Hautes-Laurentides", usage="30"),
            DemoMember("Travail de rue des Hautes-Laurentides", usage="45"),
            DemoMember("Carrefour jeunesse-emploi des Hautes-Laurentides", usage="15"),
            DemoMember("CISSS — Dépendance jeunesse", usage="30"),
        ],
    ),
    DemoPool(
        "Formation premiers soins en santé mentale jeunesse",
        PoolKind.TRAINING,
        "9600.00",
        "base_plus_proportional",
        [
            DemoMember("Maison des jeunes de Saint-Jérôme"),
            DemoMember("Travail de rue Rivière-du-Nord"),
            DemoMember("Hébergement jeunesse Le Tournant"),
            DemoMember("Alliance arc-en-ciel des Laurentides", exempt=True),
            DemoMember("CISSS — Santé mentale jeunesse (SMJ)"),
        ],
        params={"base_fraction": "0.5"},
        start_offset=60,
        days=2,
    ),
    DemoPool(
        "Soirée 16-25 ans",
        PoolKind.EVENT,
        "2400.00",
        "equal",
        [
            DemoMember("Ville de Saint-Jérôme"),
            DemoMember("Bibliothèque municipale de Saint-Jérôme"),
            DemoMember("Maison des jeunes de Saint-Jérôme"),
            DemoMember("Carrefour jeunesse-emploi Rivière-du-Nord"),
        ],
        start_offset=200,
        days=0,
    ),
]

PREMISES, MOBILE, TRAINING, EVENT = (spec.name for spec in POOLS)


def _cad(amount: str) -> Money:
    return Money(amount, "CAD")


def _pool_seed(spec: DemoPool, parties: dict[str, Party], fiscal_start: date) -> CostPool:
    start = fiscal_start + timedelta(days=spec.start_offset)
    pool, _ = CostPool.objects.get_or_create(
        name=spec.name,
        defaults={
            "kind": spec.kind,
            "budgeted_cost": _cad(spec.cost),
            "start_date": start,
            "end_date": start + timedelta(days=spec.days),
            "rule": spec.rule,
            "rule_params": spec.params,
        },
    )
    for member in spec.members:
        Participation.objects.get_or_create(
            pool=pool,
            party=parties[member.party],
            defaults={
                "usage": Decimal(member.usage) if member.usage else None,
                "floor": _cad(member.floor) if member.floor else None,
                "cap": _cad(member.cap) if member.cap else None,
                "is_exempt": member.exempt,
            },
        )
    return pool


def _allocation_seed(pool: CostPool, users: dict[str, AbstractUser], day: date) -> None:
    """Compute (finances), approve (administrateur) and post, each step once."""
    allocation = allocation_latest(pool)
    if allocation is None:
        allocation = allocation_compute(pool=pool, prepared_by=users["finances"])
    if allocation.status == AllocationStatus.DRAFT:
        allocation = allocation_approve(allocation=allocation, approved_by=users["administrateur"])
    if allocation.status == AllocationStatus.APPROVED:
        allocation_post(allocation=allocation, posted_by=users["administrateur"], date=day)


@transaction.atomic
def sharedcosts_demo_seed(*, parties: dict[str, Party], users: dict[str, AbstractUser], today: date) -> dict[str, CostPool]:
    fiscal_start = FiscalPeriod(start_year=FiscalPeriod.year_of(today)).start_date
    declared = fiscal_start - timedelta(days=1)
    posting_day = min(fiscal_start + timedelta(days=20), today)
    for name, budget in BUDGETS.items():
        MeansDeclaration.objects.get_or_create(
            party=parties[name],
            measure=Measure.ANNUAL_BUDGET,
            as_of=declared,
            defaults={
                "value": Decimal(budget),
                "source": f"États financiers audités {declared.year - 1}-{declared.year}",
            },
        )
    pools = {spec.name: _pool_seed(spec, parties, fiscal_start) for spec in POOLS}
    for pool in pools.values():
        _allocation_seed(pool, users, posting_day)

    premises, site = pools[PREMISES], parties[SITE]
    for vendor, amount, description in [
        ("Immeubles Labelle inc.", "42000.00", "Loyer annuel du local de la rue Saint-Georges"),
        ("Entretien ménager Rivière-du-Nord", "4800.00", "Entretien ménager hebdomadaire"),
    ]:
        expense, _ = Expense.objects.get_or_create(
            pool=premises,
            vendor=vendor,
            defaults={"payer": site, "date": posting_day, "amount": _cad(amount), "description": description},
        )
        expense_post(expense=expense, posted_by=users["finances"])
    contribution, _ = InKindContribution.objects.get_or_create(
        pool=premises,
        party=parties["Maison des jeunes de Saint-Jérôme"],
        description="Prêt de la grande salle le mardi soir",
        defaults={
            "value": _cad("1200.00"),
            "justification": "40 soirées de 3 heures au tarif communautaire de 10 $ l'heure.",
            "date": posting_day,
        },
    )
    in_kind_post(contribution=contribution, posted_by=users["finances"])
    fuel, _ = Expense.objects.get_or_create(
        pool=pools[MOBILE],
        vendor="Location de véhicules Laurentides",
        defaults={
            "payer": parties["Travail de rue des Hautes-Laurentides"],
            "date": posting_day,
            "amount": _cad("36000.00"),
            "description": "Location et carburant de l'unité mobile",
        },
    )
    expense_post(expense=fuel, posted_by=users["finances"])
    training, _ = Expense.objects.get_or_create(
        pool=pools[TRAINING],
        vendor="Association canadienne pour la santé mentale — Laurentides",
        defaults={
            "payer": parties["CISSS — Santé mentale jeunesse (SMJ)"],
            "date": posting_day,
            "amount": _cad("9600.00"),
            "description": "Deux journées de formation, 24 places",
        },
    )
    expense_post(expense=training, posted_by=users["finances"])

    # The health programme settles what it owes the site for the premises; a run
    # of the seed after it finds nothing owed and records nothing.
    payer = parties["CISSS — Santé mentale jeunesse (SMJ)"]
    balances = pool_balances(pool=premises)
    amount = min(-balances[payer.pk], balances[site.pk])
    if amount.amount > 0:
        settlement_record(
            pool=premises, payer=payer, payee=site, amount=amount, date=posting_day, recorded_by=users["finances"],
            request_id=uuid.uuid4(),
        )
    travel_demo_seed(parties=parties, users=users, today=today)
    recurring_demo_seed(premises=premises, mobile_unit=pools[MOBILE], parties=parties, users=users, today=today)
    return pools
