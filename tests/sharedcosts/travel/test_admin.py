import re
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


@pytest.mark.parametrize(
    ("language", "title", "typed", "km", "shown"),
    [
        ("fr-ca", "Saint-Jérôme ↔ Mont-Laurier · 195\u00a0km", "195,5", Decimal("195.5"), "195,5"),
        ("en", "Saint-Jérôme ↔ Mont-Laurier · 195\u00a0km", "1,195.5", Decimal("1195.5"), "1,195.5"),
    ],
)
def test_a_road_distance_is_written_and_typed_as_the_reader_writes_it(
    finance_client, places, settings, language, title, typed, km, shown
):
    finance_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    distance = RoadDistance.objects.get(km=Decimal("195"))
    url = reverse("admin:sharedcosts_roaddistance_change", args=[distance.pk])
    page = finance_client.get(url).content.decode()
    assert f"<h2>{title}</h2>" in page
    assert 'name="km" value="195"' in page
    data = {"first": distance.first_id, "second": distance.second_id, "km": typed}
    assert finance_client.post(url, data).status_code == 302
    distance.refresh_from_db()
    assert distance.km == km
    assert f'name="km" value="{shown}"' in finance_client.get(url).content.decode()


def test_a_road_distance_that_is_no_number_is_refused_and_nothing_is_written(finance_client, places):
    distance = RoadDistance.objects.get(km=Decimal("195"))
    url = reverse("admin:sharedcosts_roaddistance_change", args=[distance.pk])
    page = finance_client.post(url, {"first": distance.first_id, "second": distance.second_id, "km": "195km"}).content.decode()
    assert "«\u00a0195km\u00a0» n’est pas un nombre\u00a0: écrivez-le comme 1\u00a0450,50." in page
    distance.refresh_from_db()
    assert distance.km == Decimal("195.0")


def test_the_equalisation_page_names_its_meeting_group_and_its_cost_pool_apart_and_writes_its_km(finance_client, met):
    finance_client.post(
        reverse("admin:sharedcosts_meetinggroup_rotation", args=[met.pk]), {"start": "2025-04-01", "end": "2026-03-31", "rule": "equal"}
    )
    equalisation = TravelEqualisation.objects.get()
    TravelEqualisation.objects.filter(pk=equalisation.pk).update(km=Decimal("9854.0"))
    page = finance_client.get(reverse("admin:sharedcosts_travelequalisation_change", args=[equalisation.pk])).content.decode()
    labels = re.findall(r"<label>([^<]*)</label>", page)
    assert labels == ["Regroupement qui se rencontre\u00a0:", "Du\u00a0:", "Au\u00a0:", "Regroupement de coûts\u00a0:", "Km parcourus\u00a0:", "Préparée par\u00a0:", "Préparée le\u00a0:"]
    assert '<div class="readonly">9\u00a0854\u00a0km</div>' in page
