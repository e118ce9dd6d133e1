from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from sharedcosts.models import CostPool, Expense
from sharedcosts.travel.models import Attendance, Meeting, RoadDistance, TravelEqualisation
from sharedcosts.travel.services import Presence, meeting_record, municipality_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_client(client, finance_user):
    finance_user.is_staff = True
    finance_user.save()
    client.force_login(finance_user)
    return client


@pytest.fixture
def met(table, trio):
    a, b, c = trio["A"], trio["B"], trio["C"]
    meeting_record(group=table, date=date(2025, 5, 10), host=a, presences=[Presence(a), Presence(b), Presence(c)])
    return table


def test_staff_enter_a_distance_in_either_order(finance_client, places):
    lachute = municipality_record(name="Lachute")
    jerome = places["Saint-Jérôme"]
    response = finance_client.post(
        reverse("admin:sharedcosts_roaddistance_add"), {"first": lachute.pk, "second": jerome.pk, "km": "38"}
    )
    assert response.status_code == 302
    assert RoadDistance.objects.filter(first=jerome, second=lachute, km=Decimal("38.0")).exists()
    response = finance_client.post(
        reverse("admin:sharedcosts_roaddistance_add"), {"first": jerome.pk, "second": jerome.pk, "km": "3"}
    )
    assert response.status_code == 200
    assert "Saint-Jérôme est à zéro km d’elle-même" in response.content.decode()


def test_an_in_person_attendance_at_a_remote_meeting_is_refused_in_the_form(finance_client, table, trio):
    data = {
        "group": table.pk,
        "date": "2025-06-12",
        "host": trio["A"].pk,
        "format": "remote",
        "subject": "",
        "attendances-TOTAL_FORMS": "1",
        "attendances-INITIAL_FORMS": "0",
        "attendances-0-party": trio["B"].pk,
        "attendances-0-mode": "in_person",
        "attendances-0-vehicles": "1",
    }
    response = finance_client.post(reverse("admin:sharedcosts_meeting_add"), data)
    assert response.status_code == 200
    assert not Meeting.objects.exists() and not Attendance.objects.exists()
    data["format"] = "in_person"
    assert finance_client.post(reverse("admin:sharedcosts_meeting_add"), data).status_code == 302
    assert Attendance.objects.get().vehicles == 1


def test_the_rotation_page_shows_the_chart_the_table_and_the_suggested_host(finance_client, met, trio):
    url = reverse("admin:sharedcosts_meetinggroup_rotation", args=[met.pk])
    response = finance_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<svg class="review-chart travel-chart"' in page and 'role="img"' in page
    assert "Prochain hôte suggéré" in page
    assert response.context["travel"]["rotation"].start == date(2025, 4, 1)
    assert response.context["travel"]["suggested"] == trio["C"].name
    assert response.context["travel"]["spread"] == "195,00\u00a0$"
    assert "390,0\u00a0km" in page
    assert "1 rencontre du 1er avril 2025 au 31 mars 2026." in page


def test_the_rotation_page_names_a_missing_distance(finance_client, met):
    RoadDistance.objects.all().delete()
    response = finance_client.get(reverse("admin:sharedcosts_meetinggroup_rotation", args=[met.pk]))
    assert response.status_code == 200
    assert "Aucune distance routière" in response.context["error"]


def test_the_equalise_button_makes_the_pool_and_posts_the_travel(finance_client, met, trio):
    url = reverse("admin:sharedcosts_meetinggroup_rotation", args=[met.pk])
    response = finance_client.post(url, {"start": "2025-04-01", "end": "2026-03-31", "rule": "equal"})
    pool = CostPool.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("admin:sharedcosts_costpool_change", args=[pool.pk])
    assert TravelEqualisation.objects.get().pool == pool
    assert sorted(e.amount.amount for e in Expense.objects.filter(pool=pool)) == [Decimal("50.00"), Decimal("195.00")]
    response = finance_client.post(url, {"start": "2025-04-01", "end": "2026-03-31", "rule": "equal"})
    assert response.status_code == 200 and CostPool.objects.count() == 1
