"""Failed logins are throttled (django-axes): per username and address, per address alone; an administrator unlocks."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from config.login_throttle import client_address

pytestmark = pytest.mark.django_db

PASSWORD = "Soirees-16-25-ans!"
LOGINS = {"portal": "login", "admin": "admin:login"}


@pytest.fixture
def make_user(django_user_model):
    def make(username: str, **fields):
        return django_user_model.objects.create_user(username=username, password=PASSWORD, **fields)

    return make


def attempt(client: Client, username: str, password: str, *, login: str = "login", address: str = "203.0.113.7"):
    return client.post(reverse(login), {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("login", LOGINS.values(), ids=LOGINS.keys())
def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, make_user, login):
    make_user("camille", is_staff=True)
    for _ in range(4):
        assert attempt(client, "camille", "faux", login=login).status_code == 200
    fifth = attempt(client, "camille", "faux", login=login)
    assert fifth.status_code == 429
    sixth = attempt(client, "camille", PASSWORD, login=login)
    assert sixth.status_code == 429 and not logged_in(client)
    page = sixth.content.decode()
    assert "Trop d’échecs de connexion" in page
    assert "bloquée pendant 15 minutes" in page
    assert 'class="site-header"' in page  # the site's look


def test_four_failures_then_the_right_password_logs_in_and_clears_them(client, make_user):
    make_user("camille")
    for _ in range(4):
        attempt(client, "camille", "faux")
    assert attempt(client, "camille", PASSWORD).status_code == 302 and logged_in(client)
    assert not AccessAttempt.objects.filter(username="camille").exists()


def test_the_lock_page_speaks_english_to_who_chose_it(client, make_user):
    make_user("camille")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(5):
        response = attempt(client, "camille", "faux")
    assert "logging in from here is blocked for 15 minutes" in response.content.decode()


def test_the_pair_is_locked_not_the_username_elsewhere_nor_the_address_for_others(client, make_user):
    make_user("camille")
    make_user("dominique")
    for _ in range(5):
        attempt(client, "camille", "faux")
    assert attempt(client, "dominique", PASSWORD).status_code == 302  # another username, same address
    elsewhere = Client()
    assert attempt(elsewhere, "camille", PASSWORD, address="198.51.100.4").status_code == 302  # same username, elsewhere


def test_an_address_is_locked_after_twenty_failures_whatever_the_usernames(make_user):
    for name in ("alix", "benoit", "chloe", "dominique", "eden"):
        make_user(name)
    for name in ("alix", "benoit", "chloe"):
        for _ in range(5):
            attempt(Client(), name, "faux")
    before = Client()
    assert attempt(before, "dominique", PASSWORD).status_code == 302 and logged_in(before)  # 15 failures: still open
    for _ in range(4):
        attempt(Client(), "zoe-inconnue", "faux")
    last = attempt(Client(), "yann-inconnu", "faux")
    assert last.status_code == 429  # the 20th failure of the address
    after = Client()
    assert attempt(after, "eden", PASSWORD).status_code == 429 and not logged_in(after)
    assert attempt(Client(), "eden", PASSWORD, address="198.51.100.4").status_code == 302


def test_the_lock_ends_fifteen_minutes_after_the_last_failure(client, make_user):
    make_user("camille")
    for _ in range(5):
        attempt(client, "camille", "faux")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=14))
    assert attempt(client, "camille", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert attempt(client, "camille", PASSWORD).status_code == 302 and logged_in(client)


def test_an_administrator_unlocks_from_the_admin(client, make_user, administrator):
    make_user("camille")
    for _ in range(5):
        attempt(client, "camille", "faux")
    assert attempt(client, "camille", PASSWORD).status_code == 429
    administrator.is_staff = True
    administrator.save()
    staff = Client()
    staff.force_login(administrator)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "camille" in staff.get(changelist).content.decode()
    locked = AccessAttempt.objects.get(username="camille")
    response = staff.post(changelist, {"action": "delete_selected", "_selected_action": [locked.pk], "post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    assert attempt(client, "camille", PASSWORD).status_code == 302 and logged_in(client)


def test_finance_staff_cannot_unlock(make_user, finance_user):
    finance_user.is_staff = True
    finance_user.save()
    staff = Client()
    staff.force_login(finance_user)
    assert staff.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "192.0.2.1", "10.0.0.2"),  # no proxy of ours: the header is the client's, ignored
        (1, "203.0.113.7", "203.0.113.7"),  # nginx appended who it received the request from
        (1, "192.0.2.1, 203.0.113.7", "203.0.113.7"),  # the client's own entry is ignored
        (2, "192.0.2.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),  # two proxies of ours
        (1, "", "10.0.0.2"),  # not through the proxy: the connection's address
        (1, "192.0.2.1, pas-une-adresse", "10.0.0.2"),  # not an address: the connection's
    ],
)
def test_the_client_address_is_the_one_our_outermost_proxy_saw(settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post("/comptes/login/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_address(request) == expected


def test_behind_the_proxy_a_client_cannot_escape_its_lock_by_writing_x_forwarded_for(client, make_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("camille")
    for index in range(5):
        client.post(reverse("login"), {"username": "camille", "password": "faux"},
                    REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{index}, 203.0.113.7")
    response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
