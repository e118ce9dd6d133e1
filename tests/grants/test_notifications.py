"""What the grants tell people: for each event, the right people, in their language, once; none when turned off
or rolled back; one each after a retried task."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from grants.holds import hold_words
from grants.models import InstalmentStatus, ReportKind, ReportRequirement
from grants.services import (
    disbursements_post_due,
    grant_approve,
    grant_cancel,
    grant_holds_release,
    report_accept,
    report_request_changes,
    report_save,
)
from ledger.models import (
    ContactLanguage,
    Membership,
    MembershipRole,
    Notification,
    NotificationOptOut,
    Party,
    PartyKind,
    Sector,
)
from ledger.notifications.delivery import notifications_send
from ledger.roles import FINANCE_GROUP
from tests.mail import FirstMessageRefusedBackend

from .conftest import RUN_DAY, cad, complete

pytestmark = pytest.mark.django_db

MEMBERS = ["membre@example.org", "tresorier@example.org"]
TREASURER = ["tresorier@example.org"]
STAFF = ["accountant@example.org", "comptable@example.org"]
ENGLISH = {"tresorier@example.org", "accountant@example.org"}
"""Who chose English; the others read French (the comptable chose it, the member never chose)."""


@dataclass
class World:
    grant_for: Callable
    requirement_for: Callable
    member: object
    staff: object
    administrator: object
    amend: Callable


@pytest.fixture
def world(make_grant, member, party, django_user_model, finance_user, administrator, amend) -> World:
    treasurer = django_user_model.objects.create_user(username="tresorier", password="x", email="tresorier@example.org")
    Membership.objects.create(user=treasurer, party=party, role=MembershipRole.FINANCE)
    ContactLanguage.objects.create(user=treasurer, language="en")
    finance = Group.objects.get(name=FINANCE_GROUP)
    for username, language in (("comptable", "fr-ca"), ("accountant", "en")):
        staff = django_user_model.objects.create_user(username=username, password="x", email=f"{username}@example.org")
        staff.groups.add(finance)
        ContactLanguage.objects.create(user=staff, language=language)
    administrator.email = "admin@example.org"
    administrator.save()

    def requirement_for(grant, due: date = date(2025, 8, 15)) -> ReportRequirement:
        return ReportRequirement.objects.create(grant=grant, kind=ReportKind.INTERIM, due_date=due)

    return World(make_grant, requirement_for, member, finance_user, administrator, amend)


@dataclass(frozen=True)
class Scenario:
    """An event: what sets it up, what makes it happen, who hears of it, and words of its subject in each language."""

    kind: str
    setup: Callable[[World], object]
    act: Callable[[World, object], None]
    told: list[str]
    french: str
    english: str


def _submitted(world: World):
    requirement = world.requirement_for(world.grant_for())
    report_save(requirement=requirement, user=world.member, data=complete(), submit=True)
    return requirement.report


def _sent_back(world: World):
    report = _submitted(world)
    report_request_changes(report=report, reviewed_by=world.staff, comment="Ajoutez les dépenses de juin.")
    return report


def _held(world: World):
    grant = world.grant_for()
    world.requirement_for(grant, due=date(2025, 5, 15))
    disbursements_post_due(today=RUN_DAY)
    return grant


SCENARIOS = {
    "report submitted": Scenario(
        "report_submitted",
        lambda world: world.requirement_for(world.grant_for()),
        lambda world, requirement: report_save(requirement=requirement, user=world.member, data=complete(), submit=True),
        STAFF, "Rapport à examiner", "Report to review",
    ),
    "report resubmitted": Scenario(
        "report_submitted",
        _sent_back,
        lambda world, report: report_save(requirement=report.requirement, user=world.member, data=complete(), submit=True),
        STAFF, "Rapport à examiner", "Report to review",
    ),
    "report accepted": Scenario(
        "report_reviewed", _submitted, lambda world, report: report_accept(report=report, reviewed_by=world.staff),
        MEMBERS, "Rapport accepté", "Report accepted",
    ),
    "changes requested": Scenario(
        "report_reviewed",
        _submitted,
        lambda world, report: report_request_changes(report=report, reviewed_by=world.staff, comment="Ajoutez juin."),
        MEMBERS, "Modifications demandées", "Changes requested",
    ),
    "grant approved": Scenario(
        "grant_changed",
        lambda world: world.grant_for(approve=False),
        lambda world, grant: grant_approve(grant=grant, approved_by=world.administrator),
        MEMBERS, "Subvention approuvée", "Grant approved",
    ),
    "grant amended": Scenario(
        "grant_changed", lambda world: world.grant_for(), lambda world, grant: world.amend(grant, amount=cad("12000.00")),
        MEMBERS, "Subvention modifiée", "Grant amended",
    ),
    "grant cancelled": Scenario(
        "grant_changed",
        lambda world: world.grant_for(),
        lambda world, grant: grant_cancel(grant=grant, cancelled_by=world.administrator, reason="Projet abandonné"),
        MEMBERS, "Subvention annulée", "Grant cancelled",
    ),
    "instalment paid": Scenario(
        "instalment", lambda world: world.grant_for(), lambda world, grant: disbursements_post_due(today=RUN_DAY),
        TREASURER, "Versement effectué", "Payment made",
    ),
    "instalment held": Scenario(
        "instalment",
        lambda world: world.requirement_for(world.grant_for(), due=date(2025, 5, 15)),
        lambda world, requirement: disbursements_post_due(today=RUN_DAY),
        TREASURER, "Versement retenu", "Payment held",
    ),
    "instalment released": Scenario(
        "instalment", _held, lambda world, grant: grant_holds_release(grant=grant),
        TREASURER, "Versement libéré", "Payment released",
    ),
}
NAMES = list(SCENARIOS)


def _recorded(kind: str) -> int:
    return Notification.objects.filter(kind=kind).count()


@pytest.mark.parametrize("name", NAMES)
def test_the_right_people_are_told_once_in_their_language(name, world, deliver):
    scenario = SCENARIOS[name]
    subject = scenario.setup(world)
    with deliver():
        scenario.act(world, subject)
    addresses = sorted(message.to[0] for message in mail.outbox)
    assert addresses == scenario.told
    for message in mail.outbox:
        words = scenario.english if message.to[0] in ENGLISH else scenario.french
        assert words in message.subject, (message.to, message.subject)
    assert all("https://partenariat.example.org/" in message.body for message in mail.outbox)
    keys = list(Notification.objects.filter(sent_at__isnull=False).values_list("event_key", flat=True))
    assert notifications_send(event_keys=keys) == 0  # a second sender finds everything sent
    assert len(mail.outbox) == len(scenario.told)


@pytest.mark.parametrize("name", NAMES)
def test_nobody_is_told_who_turned_the_kind_off(name, world, deliver, django_user_model):
    scenario = SCENARIOS[name]
    subject = scenario.setup(world)
    for user in django_user_model.objects.filter(email__in=scenario.told):
        NotificationOptOut.objects.create(user=user, kind=scenario.kind)
    before = _recorded(scenario.kind)
    with deliver():
        scenario.act(world, subject)
    assert not mail.outbox
    assert _recorded(scenario.kind) == before


@pytest.mark.parametrize("name", NAMES)
def test_nobody_is_told_when_the_transaction_rolls_back(name, world, deliver):
    scenario = SCENARIOS[name]
    subject = scenario.setup(world)
    before = _recorded(scenario.kind)
    with deliver(), pytest.raises(RuntimeError), transaction.atomic():
        scenario.act(world, subject)
        raise RuntimeError("what follows the event fails")
    assert not mail.outbox
    assert _recorded(scenario.kind) == before


@pytest.mark.parametrize("name", NAMES)
def test_a_retried_task_tells_each_person_once(name, world, deliver, settings):
    scenario = SCENARIOS[name]
    subject = scenario.setup(world)
    settings.EMAIL_BACKEND = "tests.mail.FirstMessageRefusedBackend"
    FirstMessageRefusedBackend.refused = 0
    with deliver():
        scenario.act(world, subject)
    assert FirstMessageRefusedBackend.refused == 1
    assert sorted(message.to[0] for message in mail.outbox) == scenario.told


def test_changes_requested_carry_the_reviewer_s_words(world, deliver):
    report = _submitted(world)
    with deliver():
        report_request_changes(report=report, reviewed_by=world.staff, comment="Ajoutez les dépenses de juin.")
    assert all("Ajoutez les dépenses de juin." in message.body for message in mail.outbox)
    assert f"/portail/{report.requirement.grant.party_id}/rapports/{report.requirement_id}/" in mail.outbox[0].body


def test_a_hold_says_why(world, deliver):
    grant = world.grant_for()
    world.requirement_for(grant, due=date(2025, 5, 15))
    with deliver():
        disbursements_post_due(today=RUN_DAY)
    [message] = mail.outbox
    held = grant.instalments.get(status=InstalmentStatus.HELD)
    assert held.hold_reason == ""
    with translation.override("en"):  # the language the person chose
        assert hold_words(held) in message.body
    assert "The interim report due on May 15, 2025 has not been accepted yet" in message.body


def test_instalments_go_to_every_member_where_none_is_partner_finance(world, deliver):
    Membership.objects.filter(role=MembershipRole.FINANCE).update(role=MembershipRole.MEMBER)
    world.grant_for()
    with deliver():
        disbursements_post_due(today=RUN_DAY)
    assert sorted(message.to[0] for message in mail.outbox) == MEMBERS


def test_a_submitted_report_links_the_staff_to_its_review(world, deliver):
    requirement = world.requirement_for(world.grant_for())
    with deliver():
        report = report_save(requirement=requirement, user=world.member, data=complete(), submit=True)
    assert all(f"/admin/grants/projectreport/{report.pk}/review/" in message.body for message in mail.outbox)


def _telling_queries(run: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    tables = ('"ledger_membership"', '"ledger_notification"', '"ledger_notificationoptout"', '"auth_user"')
    return sum(any(table in query["sql"] for table in tables) for query in captured.captured_queries)


def test_the_daily_run_tells_many_parties_in_as_many_queries_as_one(make_grant, programme, django_user_model):
    def partner(number: int):
        party = Party.objects.create(name=f"Partenaire {number}", kind=PartyKind.COMMUNITY_YOUTH, sector=Sector.SUD)
        user = django_user_model.objects.create_user(username=f"p{number}", password="x", email=f"p{number}@example.org")
        Membership.objects.create(user=user, party=party)
        return party

    make_grant(party=partner(0))
    one = _telling_queries(lambda: disbursements_post_due(today=RUN_DAY))
    for number in range(1, 5):
        make_grant(party=partner(number), dates=[date(2025, 5, 1), date(2025, 5, 2)])
    many = _telling_queries(lambda: disbursements_post_due(today=RUN_DAY))
    assert Notification.objects.filter(kind="instalment").count() == 1 + 4 * 2
    assert many == one == 5  # contacts, people, kinds turned off, already told, one insert
