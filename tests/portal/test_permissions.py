"""Every portal URL, for every kind of visitor: another organisation's data is a 404, never a 403."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def urls_of(party, world, *, requirement="requirement_a", attachment="attachment_a"):
    requirement_id = world[requirement].pk
    return [
        reverse("portal:party", args=[party.pk]),
        reverse("portal:statement", args=[party.pk]) + "?annee=2025",
        reverse("portal:statement_csv", args=[party.pk]) + "?annee=2025",
        reverse("portal:statement_pdf", args=[party.pk]) + "?annee=2025",
        reverse("portal:report", args=[party.pk, requirement_id]),
        reverse("portal:attachment", args=[party.pk, requirement_id, world[attachment].pk]),
    ]


@pytest.fixture
def visitors(member_a, member_b, finance_user, administrator):
    return {"partner A": member_a, "partner B": member_b, "finance": finance_user, "administrator": administrator}


def test_anonymous_is_sent_to_the_login_page_everywhere(client, party, world):
    for url in [reverse("portal:home"), *urls_of(party, world)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    response = client.post(reverse("portal:report", args=[party.pk, world["requirement_a"].pk]), {"versions": 1})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("who", "expected"),
    [("partner A", 200), ("partner B", 404), ("finance", 200), ("administrator", 200)],
)
def test_the_permission_matrix_on_every_url_of_organisation_a(client, party, world, visitors, who, expected):
    client.force_login(visitors[who])
    for url in urls_of(party, world):
        response = client.get(url)
        assert response.status_code == expected, (who, url, response.status_code)
        if expected == 404:
            assert party.name.encode() not in response.content


def test_a_partner_cannot_reach_another_organisation_s_objects_through_its_own_urls(client, other_party, world, member_b):
    """B's party id with A's requirement or A's attachment: still a 404."""
    client.force_login(member_b)
    mixed = [
        reverse("portal:report", args=[other_party.pk, world["requirement_a"].pk]),
        reverse("portal:attachment", args=[other_party.pk, world["requirement_a"].pk, world["attachment_a"].pk]),
        reverse("portal:attachment", args=[other_party.pk, world["requirement_b"].pk, world["attachment_a"].pk]),
    ]
    for url in mixed:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("portal:party", args=[other_party.pk])).status_code == 200
    assert client.get(reverse("portal:party", args=[999999])).status_code == 404


def test_a_submission_on_someone_else_s_grant_is_a_404_and_writes_nothing(client, party, world, member_b):
    from grants.models import ProjectReport, ProjectReportVersion

    client.force_login(member_b)
    before = (ProjectReport.objects.count(), ProjectReportVersion.objects.count())
    url = reverse("portal:report", args=[party.pk, world["requirement_a"].pk])
    response = client.post(url, {"action": "submit", "versions": 1, "activities": "x"})
    assert response.status_code == 404
    assert (ProjectReport.objects.count(), ProjectReportVersion.objects.count()) == before


def test_staff_read_a_report_but_do_not_write_it_in_the_portal(client, party, world, finance_user):
    client.force_login(finance_user)
    url = reverse("portal:report", args=[party.pk, world["requirement_a"].pk])
    assert client.post(url, {"action": "save", "versions": 1}).status_code == 404


def test_the_home_page_sends_a_one_organisation_member_to_it_and_lists_them_for_others(
    client, party, other_party, world, member_a, finance_user, django_user_model
):
    from ledger.models import Membership

    client.force_login(member_a)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response.url == reverse("portal:party", args=[party.pk])

    both = django_user_model.objects.create_user(username="deux", password="x")
    Membership.objects.create(user=both, party=party)
    Membership.objects.create(user=both, party=other_party)
    client.force_login(both)
    page = client.get(reverse("portal:home")).content.decode()
    assert party.name in page and other_party.name in page

    client.force_login(finance_user)
    page = client.get(reverse("portal:home")).content.decode()
    assert party.name in page and other_party.name in page


def test_members_personal_data_is_shown_only_to_the_same_organisation_and_staff(
    client, party, world, member_a, member_b, finance_user
):
    client.force_login(member_a)
    assert "a@example.org" in client.get(reverse("portal:party", args=[party.pk])).content.decode()
    client.force_login(finance_user)
    assert "a@example.org" in client.get(reverse("portal:party", args=[party.pk])).content.decode()
    client.force_login(member_b)
    response = client.get(reverse("portal:party", args=[party.pk]))
    assert response.status_code == 404 and b"a@example.org" not in response.content
