"""Refused, missing and failed pages are the site's own, in the person's language, with a way on."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import path, reverse
from django.utils import translation

from ledger.roles import FINANCE_GROUP
from portal.errors import server_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french_again_afterwards():
    """The middleware leaves the reader's language active on the thread: the next test starts in French."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _failing(request):
    raise RuntimeError("the database went away")


urlpatterns = [path("en-panne/", _failing)]
handler500 = "portal.errors.server_error"


def _page(response) -> str:
    return response.content.decode().replace("\xa0", " ").replace("’", "'")


@pytest.fixture
def finance_staff(django_user_model):
    """Finance staff as the demo makes them: marked staff, so the back office opens."""
    user = django_user_model.objects.create_user(username="finance-staff", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=FINANCE_GROUP))
    return user


def test_finance_staff_see_no_review_link_and_are_refused_in_french(client, finance_staff):
    client.force_login(finance_staff)
    home = _page(client.get(reverse("portal:home")))
    assert reverse("review:index") not in home
    assert reverse("dashboard:index") in home and reverse("admin:index") in home
    response = client.get(reverse("review:index"))
    assert response.status_code == 403
    page = _page(response)
    assert "Cette page ne vous est pas ouverte" in page
    assert "Seuls les administrateurs voient le bilan d'équité." in page
    assert f'href="{reverse("admin:index")}"' in page
    assert "Forbidden" not in page


def test_an_administrator_sees_the_review_link(client, administrator):
    client.force_login(administrator)
    assert reverse("review:index") in _page(client.get(reverse("dashboard:index")))


def test_a_partner_sees_no_staff_link_and_is_refused_the_review_in_english(client, member_a, party):
    client.force_login(member_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    home = _page(client.get(reverse("portal:party", args=[party.pk])))
    for url in (reverse("review:index"), reverse("dashboard:index"), reverse("admin:index")):
        assert f'href="{url}"' not in home
    response = client.get(reverse("review:index"))
    assert response.status_code == 403
    page = _page(response)
    assert "This page is not open to you" in page
    assert "Only administrators see the fairness review." in page
    assert f'href="{reverse("portal:home")}"' in page
    assert f'href="{reverse("admin:index")}"' not in page


def test_a_refusal_of_django_s_own_gives_a_reason_in_words(client, finance_staff):
    """The admin refuses a deletion to finance staff with no sentence of its own."""
    client.force_login(finance_staff)
    response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 403
    assert "Votre compte ne donne pas accès à cette page." in _page(response)


@pytest.mark.parametrize(
    ("language", "heading", "way"),
    [("fr-ca", "Cette page n'existe pas", "Aller au portail de votre organisme"), ("en", "This page does not exist", "Go to your organisation's portal")],
)
def test_a_missing_page_says_so_in_the_person_s_language(client, member_a, language, heading, way):
    client.force_login(member_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/portail/nulle-part/")
    assert response.status_code == 404
    page = _page(response)
    assert heading in page and way in page
    assert "Http404" not in page and "Not Found" not in page


def test_a_visitor_on_a_missing_page_is_offered_the_login(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert f'href="{reverse("login")}"' in _page(response)


@pytest.mark.urls(__name__)
def test_a_failure_shows_the_site_s_page_in_the_person_s_language(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/en-panne/")
    assert response.status_code == 500
    page = _page(response)
    assert "Something went wrong on our side" in page
    assert "the database went away" not in page and "Server Error" not in page


def test_the_failure_page_renders_with_no_request_context_and_no_database(django_assert_num_queries):
    with django_assert_num_queries(0), translation.override("fr-ca"):
        response = server_error(None)
    assert response.status_code == 500
    assert "Une erreur est survenue de notre côté" in _page(response)
