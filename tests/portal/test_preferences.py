"""The portal's page where a person chooses the emails they receive."""

import pytest
from django.urls import reverse

from ledger.models import ContactLanguage, Membership, NotificationOptOut

pytestmark = pytest.mark.django_db

URL = reverse("portal:notification_preferences")


@pytest.fixture
def member(django_user_model, party):
    user = django_user_model.objects.create_user(username="membre", password="x", email="membre@example.org")
    Membership.objects.create(user=user, party=party)
    return user


def test_a_member_turns_kinds_off_and_the_page_remembers_the_language(client, member):
    client.force_login(member)
    client.cookies["django_language"] = "en"
    page = client.get(URL)
    assert page.status_code == 200
    assert b"Emails go to membre@example.org, written in English" in page.content
    assert b"Instalments paid, held or released" in page.content
    assert b"Reports submitted for review" not in page.content  # a staff kind

    response = client.post(URL, {"kinds": ["instalment", "report_reminder"]})
    assert response.status_code == 302 and response["Location"] == URL
    assert set(NotificationOptOut.objects.filter(user=member).values_list("kind", flat=True)) == {
        "report_reviewed", "grant_changed", "allocation_posted",
    }
    assert ContactLanguage.objects.get(user=member).language == "en"
    del client.cookies["django_language"]
    page = client.get(URL)
    assert page.context["form"]["kinds"].initial == ["report_reminder", "instalment"]


def test_every_kind_turned_off_at_once(client, member):
    client.force_login(member)
    assert client.post(URL, {}).status_code == 302
    assert NotificationOptOut.objects.filter(user=member).count() == 5


def test_a_kind_not_offered_is_refused_and_nothing_written(client, member):
    client.force_login(member)
    response = client.post(URL, {"kinds": ["report_submitted"]})
    assert response.status_code == 200
    assert response.context["form"].errors["kinds"]
    assert not NotificationOptOut.objects.exists()


def test_the_page_asks_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_finance_staff_choose_theirs_in_the_back_office(client, finance_user):
    finance_user.is_staff = True
    finance_user.save()
    client.force_login(finance_user)
    url = reverse("admin:ledger_notification_preferences")
    client.cookies["django_language"] = "en"
    assert b"Reports submitted for review" in client.get(url).content
    response = client.post(url, {})
    assert response.status_code == 302
    assert list(NotificationOptOut.objects.filter(user=finance_user).values_list("kind", flat=True)) == [
        "report_submitted"
    ]
    listing = client.get(reverse("admin:ledger_notification_changelist"))
    assert listing.status_code == 200
    assert url.encode() in listing.content
