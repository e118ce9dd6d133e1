"""What the shared costs tell people: each party's share and balance when an allocation is posted."""

import pytest
from django.core import mail
from django.db import transaction

from ledger.models import ContactLanguage, Membership, MembershipRole, Notification, NotificationOptOut
from sharedcosts.services import allocation_approve, allocation_compute, allocation_post
from tests.mail import FirstMessageRefusedBackend

from .services.helpers import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(parties, django_user_model):
    """The first party has a partner-finance member (English) and a plain one; the second two plain members."""
    party, other, _third = parties

    def person(username: str, party, role: str = MembershipRole.MEMBER, language: str | None = None):
        user = django_user_model.objects.create_user(username=username, password="x", email=f"{username}@example.org")
        Membership.objects.create(user=user, party=party, role=role)
        if language:
            ContactLanguage.objects.create(user=user, language=language)
        return user

    return [
        person("tresoriere", party, MembershipRole.FINANCE, "en"),
        person("animateur", party),
        person("direction", other),
        person("director", other, language="en"),
    ]


@pytest.fixture
def approved(joined, finance_user, administrator):
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    return allocation_approve(allocation=allocation, approved_by=administrator)


def _post(allocation, administrator):
    return allocation_post(allocation=allocation, posted_by=administrator, date=DAY)


def test_each_party_s_finance_contacts_hear_of_its_share_and_balance_once_in_their_language(
    approved, administrator, people, deliver
):
    with deliver():
        _post(approved, administrator)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["direction@example.org", "director@example.org", "tresoriere@example.org"]
    assert by_address["tresoriere@example.org"].subject == "Your share of “Locaux partagés”: $2,000.00"
    assert "Its balance in the pool is now -$2,000.00" in by_address["tresoriere@example.org"].body
    assert by_address["direction@example.org"].subject == "Votre part de «\u00a0Locaux partagés\u00a0»\u00a0: 4\u00a0000,00\u00a0$"
    assert "-4\u00a0000,00\u00a0$" in by_address["direction@example.org"].body
    assert "https://partenariat.example.org/portail/" in by_address["director@example.org"].body
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3


def test_a_party_member_who_turned_it_off_is_not_told(approved, administrator, people, deliver):
    NotificationOptOut.objects.create(user=people[2], kind="allocation_posted")
    with deliver():
        _post(approved, administrator)
    assert sorted(message.to[0] for message in mail.outbox) == ["director@example.org", "tresoriere@example.org"]
    assert not Notification.objects.filter(user=people[2]).exists()


def test_nobody_is_told_when_the_posting_rolls_back(approved, administrator, people, deliver):
    with deliver(), pytest.raises(RuntimeError), transaction.atomic():
        _post(approved, administrator)
        raise RuntimeError("what follows the posting fails")
    assert not mail.outbox
    assert not Notification.objects.exists()


def test_a_retried_task_tells_each_person_once(approved, administrator, people, deliver, settings):
    settings.EMAIL_BACKEND = "tests.mail.FirstMessageRefusedBackend"
    FirstMessageRefusedBackend.refused = 0
    with deliver():
        _post(approved, administrator)
    assert FirstMessageRefusedBackend.refused == 1
    assert sorted(message.to[0] for message in mail.outbox) == [
        "direction@example.org", "director@example.org", "tresoriere@example.org",
    ]
