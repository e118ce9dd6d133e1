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


class Tripwire:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_body_declared_past_the_limit_is_refused_unread_with_a_french_page(client):
    too_large = settings.REQUEST_BODY_MAX_BYTES + 1
    response = client.generic(
        "POST", reverse("login"), CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(too_large), **{"wsgi.input": Tripwire()},
    )
    assert response.status_code == 413
    assert response.headers["Content-Language"] == "fr-ca"
    page = response.content.decode().replace("\xa0", " ")
    assert "Ce que vous avez envoyé est trop volumineux" in page
    assert "au plus 12,5 Mo à la fois" in page


def test_the_refusal_speaks_english_to_who_chose_it(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.generic(
        "POST", reverse("login"), CONTENT_LENGTH=str(50 * 1024 * 1024), **{"wsgi.input": Tripwire()}
    )
    assert response.status_code == 413
    assert "This site accepts at most 12.5\xa0MB at once." in response.content.decode()


def test_a_body_at_the_limit_goes_through(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 20
    body = b"username=a&password=b"[:20]
    response = client.generic("POST", reverse("login"), body, CONTENT_TYPE="application/x-www-form-urlencoded")
    assert response.status_code == 200 and response.context["form"].data["username"] == "a"
    response = client.generic("POST", reverse("login"), body + b"x", CONTENT_TYPE="application/x-www-form-urlencoded")
    assert response.status_code == 413


def test_the_limit_leaves_room_for_the_largest_legitimate_upload():
    from grants.services import ATTACHMENT_MAX_BYTES

    largest_file = max(ATTACHMENT_MAX_BYTES, settings.IMPORT_EXPORT_MAX_FILE_BYTES)
    assert settings.REQUEST_BODY_MAX_BYTES == largest_file + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_a_body_of_no_declared_length_is_refused_unread(client):
    response = client.generic(
        "POST", reverse("login"), HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input": Tripwire()}
    )
    assert response.status_code == 411
    assert "sans indiquer sa taille" in response.content.decode()
