"""Logging in, out, and resetting a password by email, in the portal's pages."""

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_partner_logs_in_and_lands_on_the_organisation(client, party, member_a):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and page.headers["Content-Language"] == "fr-ca"
    assert b"language-switch" in page.content
    response = client.post(reverse("login"), {"username": "membre-a", "password": "x"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:party", args=[party.pk])
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(reverse("portal:party", args=[party.pk])).status_code == 302


def test_a_wrong_password_is_refused_without_saying_which_part_is_wrong(client, member_a):
    response = client.post(reverse("login"), {"username": "membre-a", "password": "faux"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_password_is_reset_by_email(client, member_a):
    assert client.get(reverse("password_reset")).status_code == 200
    response = client.post(reverse("password_reset"), {"email": "a@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@example.org"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/comptes/reset/" in line).strip()
    response = client.get(link, follow=True)
    assert response.status_code == 200 and b"new_password1" in response.content
    url = response.redirect_chain[-1][0]
    response = client.post(url, {"new_password1": "Soirees-16-25-ans!", "new_password2": "Soirees-16-25-ans!"})
    assert response.status_code == 302
    response = client.post(reverse("login"), {"username": "membre-a", "password": "Soirees-16-25-ans!"})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(member_a.pk)


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, member_a):
    response = client.post(reverse("password_reset"), {"email": "personne@example.org"})
    assert response.status_code == 302 and not mail.outbox
