import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_french_is_served_whatever_the_browser_asks(client):
    response = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "fr-ca"
    assert "Nom d’utilisateur" in response.content.decode()


def test_english_is_a_choice_made_with_the_switch(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("admin:login")})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get(reverse("admin:login"))
    assert response.headers["Content-Language"] == "en"
    assert "Username" in response.content.decode()


def test_an_unknown_language_in_the_cookie_falls_back_to_french(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get(reverse("admin:login")).headers["Content-Language"] == "fr-ca"


def test_the_admin_offers_the_language_switch(client, finance_user):
    finance_user.is_staff = True
    finance_user.save()
    client.force_login(finance_user)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert 'value="en"' in page
