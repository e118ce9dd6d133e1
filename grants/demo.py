"""The demo territory's funding programmes, grants and schedules.

Three envelopes of the current fiscal year; grants to the partners who lead
the concertation table and a community of practice, a soirées 16-25 ans
project carried in several municipalities, a widened service offer, and one
draft waiting for approval. The instalments due by today are paid, as the
daily run would have done. Run again, it finds what it made before.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.db import transaction
from moneyed import Money

from grants.models import (
    FundingProgramme,
    Grant,
    GrantPurpose,
    ProjectReport,
    ReportContent,
    ReportRequirement,
    ScheduleFrequency,
)
from grants.services import (
    ReportData,
    disbursements_post_due,
    grant_approve,
    grant_create,
    programme_create,
    report_accept,
    report_request_changes,
    report_save,
    requirements_generate,
)
from ledger.demo import GENERATED_PREFIX, generated_partners
from ledger.models import FiscalPeriod, Party


@dataclass(frozen=True)
class DemoProgramme:
    key: str
    name: str
    amount: str
    holds_on_overdue_report: bool = True


PROGRAMMES = [
    DemoProgramme("leadership", "Soutien au leadership communautaire", "90000.00"),
    DemoProgramme("milieu", "Projets portés par le milieu", "60000.00"),
    DemoProgramme("offre", "Élargissement de l'offre de services", "40000.00", holds_on_overdue_report=False),
]


@dataclass(frozen=True)
class DemoGrant:
    programme: str
    party: str
    title: str
    purpose: str
    amount: str
    budget: dict[str, str]
    frequency: str
    day_offsets: tuple[int, ...] = ()
    approve: bool = True


GRANTS = [
    DemoGrant(
        "leadership",
        "Table de concertation jeunesse des Laurentides",
        "Animation de la table de concertation jeunesse",
        GrantPurpose.CONCERTATION_TABLE,
        "24000.00",
        {"salaries": "18000.00", "premises": "2000.00", "activities": "3000.00", "travel": "1000.00"},
        ScheduleFrequency.QUARTERLY,
    ),
    DemoGrant(
        "leadership",
        "Travail de rue Rivière-du-Nord",
        "Coordination de la communauté de pratique en intervention de proximité",
        GrantPurpose.COMMUNITY_OF_PRACTICE,
        "15000.00",
        {"salaries": "12000.00", "travel": "1500.00", "material": "1500.00"},
        ScheduleFrequency.MONTHLY,
    ),
    DemoGrant(
        "milieu",
        "Maison des jeunes de Saint-Jérôme",
        "Soirées 16-25 ans — Saint-Jérôme",
        GrantPurpose.JOINT_PROJECT,
        "18000.00",
        {"salaries": "9000.00", "activities": "6500.00", "material": "2500.00"},
        ScheduleFrequency.DATES,
        (0, 150, 270),
    ),
    DemoGrant(
        "milieu",
        "Maison des jeunes des Hautes-Laurentides",
        "Soirées 16-25 ans — Mont-Laurier",
        GrantPurpose.JOINT_PROJECT,
        "12500.00",
        {"salaries": "6000.00", "activities": "4500.00", "travel": "2000.00"},
        ScheduleFrequency.DATES,
        (30, 180),
    ),
    DemoGrant(
        "milieu",
        "Ville de Saint-Jérôme",
        "Soirées 16-25 ans — prêt de salles et animation municipale",
        GrantPurpose.JOINT_PROJECT,
        "5000.00",
        {"premises": "3000.00", "activities": "2000.00"},
        ScheduleFrequency.SINGLE,
    ),
    DemoGrant(
        "offre",
        "Carrefour jeunesse-emploi Rivière-du-Nord",
        "Permanence d'une conseillère jeunesse à l'Aire ouverte",
        GrantPurpose.SERVICE_OFFER,
        "20000.00",
        {"salaries": "19000.00", "travel": "1000.00"},
        ScheduleFrequency.MONTHLY,
    ),
    DemoGrant(
        "milieu",
        "Maison des jeunes de Saint-Jérôme",
        "Halte-répit du vendredi soir",
        GrantPurpose.SERVICE_OFFER,
        "3000.00",
        {"activities": "2000.00", "material": "1000.00"},
        ScheduleFrequency.SINGLE,
    ),
    DemoGrant(
        "offre",
        "Alliance arc-en-ciel des Laurentides",
        "Ateliers de sensibilisation à la diversité sexuelle et de genre",
        GrantPurpose.OTHER,
        "6000.00",
        {"activities": "4500.00", "material": "1500.00"},
        ScheduleFrequency.SINGLE,
        approve=False,
    ),
]


def _cad(amount: str) -> Money:
    return Money(amount, "CAD")


@transaction.atomic
def grants_demo_seed(
    *, today: date, parties: dict[str, Party], users: dict[str, AbstractUser]
) -> dict[str, object]:
    period = FiscalPeriod(start_year=FiscalPeriod.year_of(today))
    finance, administrator = users["finances"], users["administrateur"]
    programmes = {}
    for spec in PROGRAMMES:
        programme = FundingProgramme.objects.filter(name=spec.name, fiscal_year=period.start_year).first()
        if programme is None:
            programme = programme_create(
                name=spec.name,
                fiscal_year=period.start_year,
                amount=_cad(spec.amount),
                holds_on_overdue_report=spec.holds_on_overdue_report,
                created_by=finance,
                funded_on=min(period.start_date, today),
            )
        programmes[spec.key] = programme
    grants = []
    for spec in GRANTS:
        party = parties[spec.party]
        programme = programmes[spec.programme]
        grant = Grant.objects.filter(programme=programme, party=party, title=spec.title).first()
        if grant is None:
            grant = grant_create(
                programme=programme,
                party=party,
                title=spec.title,
                purpose=spec.purpose,
                amount=_cad(spec.amount),
                start_date=period.start_date,
                end_date=period.end_date,
                budget={line: _cad(value) for line, value in spec.budget.items()},
                frequency=spec.frequency,
                dates=[period.start_date + timedelta(days=offset) for offset in spec.day_offsets] or None,
                created_by=finance,
            )
            if spec.approve:
                grant = grant_approve(grant=grant, approved_by=administrator)
        grants.append(grant)
    reports = reports_demo_seed(today=today, grants=grants, users=users)
    run = disbursements_post_due(today=today)
    return {"programmes": programmes, "grants": grants, "paid": run.paid, "reports": reports}


# --- Project reports: one in each state, and one overdue that holds an instalment ------------------------------------
#
# The narratives speak of activities, never of a young person: no names, no
# initials, no detail that would identify anyone (the portal's form says so).

NARRATIVE = {
    "activities": (
        "Six soirées 16-25 ans à la maison des jeunes : soirée jeux de société, atelier cuisine, "
        "discussion sur la santé mentale animée avec l’équipe de l’Aire ouverte, soirée cinéma."
    ),
    "what_worked": "La présence d’une intervenante de l’Aire ouverte à chaque soirée; le transport collectif offert.",
    "what_did_not": "Les soirées du dimanche ont attiré peu de monde; nous les avons déplacées au vendredi.",
    "partners_involved": "Aire ouverte des Laurentides, Travail de rue Rivière-du-Nord, Ville de Saint-Jérôme.",
}


@dataclass(frozen=True)
class DemoReport:
    grant_title: str
    kind: str
    day_offset: int
    author: str
    state: str  # none, draft, submitted, changes_requested, resubmitted, accepted


REPORTS = [
    DemoReport("Soirées 16-25 ans — Saint-Jérôme", "interim", -45, "mdj-sj", "accepted"),
    DemoReport("Soirées 16-25 ans — Saint-Jérôme", "final", 400, "mdj-sj", "draft"),
    DemoReport("Halte-répit du vendredi soir", "interim", -10, "mdj-sj", "none"),
    DemoReport("Soirées 16-25 ans — Mont-Laurier", "interim", 20, "coordo-nord", "submitted"),
    DemoReport(
        "Coordination de la communauté de pratique en intervention de proximité", "interim", 10, "tdr-rdn",
        "changes_requested",
    ),
    DemoReport("Permanence d'une conseillère jeunesse à l'Aire ouverte", "interim", 30, "cje-rdn", "resubmitted"),
]


def _report_data(grant: Grant, *, complete: bool = True):
    lines = list(grant.budget_lines.all())
    return ReportData(
        **(NARRATIVE if complete else {"activities": NARRATIVE["activities"]}),
        youth_12_17=34 if complete else None,
        youth_18_25=21 if complete else None,
        activities_held=6 if complete else None,
        municipalities_reached=2 if complete else None,
        spending={line.line: (line.amount.amount / 3).quantize(Decimal("0.01")) for line in lines} if complete else {},
    )


def reports_demo_seed(*, today: date, grants: list[Grant], users: dict[str, AbstractUser]) -> dict[str, object]:
    """Report requirements and reports in each state; run again, it finds what it made before."""
    by_title = {grant.title: grant for grant in grants}
    finance = users["finances"]
    made = {}
    for spec in REPORTS:
        grant = by_title[spec.grant_title]
        requirement, created = ReportRequirement.objects.get_or_create(
            grant=grant,
            kind=spec.kind,
            defaults={"due_date": today + timedelta(days=spec.day_offset), "content": ReportContent.BOTH},
        )
        made[(spec.grant_title, spec.kind)] = requirement
        if ProjectReport.objects.filter(requirement=requirement).exists() or spec.state == "none":
            continue
        author = users[spec.author]
        report_save(requirement=requirement, user=author, data=_report_data(grant, complete=spec.state != "draft"))
        if spec.state == "draft":
            continue
        report = report_save(requirement=requirement, user=author, data=_report_data(grant), submit=True)
        if spec.state == "accepted":
            report_accept(report=report, reviewed_by=finance, today=today)
        elif spec.state in ("changes_requested", "resubmitted"):
            report = report_request_changes(
                report=report,
                reviewed_by=finance,
                comment="Merci! Pouvez-vous préciser les dépenses de déplacement et les municipalités rejointes?",
            )
            if spec.state == "resubmitted":
                report_save(requirement=requirement, user=author, data=_report_data(grant), submit=True)
    return made


# --- Generated partners (benchmarks, the load test): a year's grant each, with its reports to write ------------------

PARTNERS_PROGRAMME = "Soutien aux organismes partenaires"
PARTNER_GRANT_BUDGET = {"salaries": "8000.00", "activities": "4000.00"}
PARTNERS_PER_PROGRAMME = 50


@transaction.atomic
def partner_grants_seed(*, today: date, users: dict[str, AbstractUser]) -> int:
    """A grant of the current fiscal year, paid monthly, for each generated partner that has none; the number made.

    Each grant has its interim and final report requirements; the instalments
    due by today are paid. The grants come from envelopes of
    ``PARTNERS_PER_PROGRAMME`` partners each, funded for them: checking
    what an envelope has left reads all its grants, so one envelope for
    hundreds of grants would make the seed quadratic.
    """
    partners = list(generated_partners().exclude(grants__programme__name__startswith=PARTNERS_PROGRAMME))
    period = FiscalPeriod(start_year=FiscalPeriod.year_of(today))
    budget = {line: _cad(value) for line, value in PARTNER_GRANT_BUDGET.items()}
    amount = sum(budget.values(), _cad("0.00"))
    for start in range(0, len(partners), PARTNERS_PER_PROGRAMME):
        group = partners[start:start + PARTNERS_PER_PROGRAMME]
        first, last = (party.name.removeprefix(GENERATED_PREFIX) for party in (group[0], group[-1]))
        programme = programme_create(
            name=f"{PARTNERS_PROGRAMME} {first}–{last}",
            fiscal_year=period.start_year,
            amount=amount * len(group),
            created_by=users["finances"],
            holds_on_overdue_report=False,
            funded_on=min(period.start_date, today),
        )
        for party in group:
            grant = grant_create(
                programme=programme,
                party=party,
                title="Fonctionnement de l’organisme",
                purpose=GrantPurpose.SERVICE_OFFER,
                amount=amount,
                start_date=period.start_date,
                end_date=period.end_date,
                budget=budget,
                frequency=ScheduleFrequency.MONTHLY,
                created_by=users["finances"],
            )
            requirements_generate(grant=grant_approve(grant=grant, approved_by=users["administrateur"]))
    if partners:
        disbursements_post_due(today=today)
    return len(partners)
