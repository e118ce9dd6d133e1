"""A partner's meetings page: its groups' meetings and its own travel; another organisation's page is a 404."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from moneyed import Money

from ledger.models import Membership
from sharedcosts.travel.models import GroupMember, MeetingFormat, MeetingGroup
from sharedcosts.travel.services import (
    Presence,
    distance_record,
    meeting_record,
    municipality_record,
    premises_record,
    rate_record,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, django_user_model, party):
    user = django_user_model.objects.create_user(username="mdj", password="x")
    Membership.objects.create(user=user, party=party)
    client.force_login(user)
    return client


@pytest.fixture
def table(party, other_party):
    jerome, laurier = municipality_record(name="Saint-Jérôme"), municipality_record(name="Mont-Laurier")
    distance_record(one=jerome, other=laurier, km=Decimal("195"))
    premises_record(party=party, municipality=jerome)
    premises_record(party=other_party, municipality=laurier)
    rate_record(effective_from=date(2024, 1, 1), per_km=Money("0.50", "CAD"), source="Politique")
    group = MeetingGroup.objects.create(name="Table jeunesse")
    GroupMember.objects.create(group=group, party=party)
    GroupMember.objects.create(group=group, party=other_party)
    meeting_record(group=group, date=date(2025, 5, 10), host=other_party, presences=[Presence(party), Presence(other_party)])
    meeting_record(
        group=group,
        date=date(2025, 6, 12),
        host=party,
        format=MeetingFormat.HYBRID,
        presences=[Presence(party), Presence(other_party, "remote", 0)],
    )
    return group


def test_a_partner_sees_its_groups_meetings_and_its_own_travel(member_client, party, table):
    response = member_client.get(reverse("portal:meetings", args=[party.pk]) + "?annee=2025")
    assert response.status_code == 200
    group = response.context["groups"][0]
    assert (group["name"], group["km"], group["cost"]) == ("Table jeunesse", "390,0\u00a0km", Money("195.00", "CAD"))
    assert [(item["row"].meeting.date, item["km"], item["row"].cost) for item in group["meetings"]] == [
        (date(2025, 5, 10), "390,0\u00a0km", Money("195.00", "CAD")),
        (date(2025, 6, 12), "0,0\u00a0km", Money("0.00", "CAD")),
    ]
    page = response.content.decode()
    assert "195,00\u00a0$" in page and "en personne, 1 véhicule" in page


def test_another_organisations_meetings_are_a_404(member_client, other_party, table):
    assert member_client.get(reverse("portal:meetings", args=[other_party.pk])).status_code == 404


def test_the_home_page_links_to_the_meetings(member_client, party):
    response = member_client.get(reverse("portal:party", args=[party.pk]))
    assert reverse("portal:meetings", args=[party.pk]) in response.content.decode()


def test_a_member_of_no_group_is_told_so(member_client, party):
    response = member_client.get(reverse("portal:meetings", args=[party.pk]))
    assert response.status_code == 200 and response.context["groups"] == []


def test_staff_see_the_review_of_travel_and_partners_do_not(client, member_client, administrator, table):
    url = reverse("review:travel", args=[2025])
    assert member_client.get(url).status_code == 403
    client.force_login(administrator)
    response = client.get(url)
    assert response.status_code == 200
    section = response.context["sections"][0]
    assert section["travel"]["total_cost"] == "195,00\u00a0$"
    assert section["travel"]["suggested"] == "Maison des jeunes de Saint-Jérôme"  # 0,00 $ spread, against 390,00 $ at Mont-Laurier
