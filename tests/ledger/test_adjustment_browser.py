"""The adjustment form in a real browser, on a phone: no sideways scroll, each error in its own field's row.

Screenshots land in ``tests/artifacts/`` (ignored by git): adjustment-*.png.
"""

import pytest
from django.urls import reverse

from ledger.models import Account, AccountType

from ..portal.conftest import ARTIFACTS, browser  # noqa: F401  # the shared chromium

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "ecriture-au-telephone-2026"
PHONE = {"width": 390, "height": 844}
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_the_adjustment_form_fits_a_phone_and_says_each_error_in_its_fields_row(
    live_server, browser, django_user_model, settings, party, cash, language  # noqa: F811
):
    Account.objects.create(
        code="POOL-POS-LOCAUX-PARTAGES-DU-SITE-DE-SAINT-JEROME-2026",
        name="Position dans le regroupement Locaux partagés du site de Saint-Jérôme et de ses environs immédiats",
        type=AccountType.LIABILITY,
        currency="CAD",
        party=party,
    )
    django_user_model.objects.create_superuser("chef-ecritures", password=PASSWORD)
    context = browser.new_context(viewport=PHONE)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "chef-ecritures")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()

    page.goto(live_server.url + reverse("admin:ledger_transaction_adjustment"))
    assert page.evaluate(SIDEWAYS) == 0
    assert page.locator(".field-date .datetimeshortcuts").count() == 1  # the admin's calendar and "Today"
    page.screenshot(path=str(ARTIFACTS / f"adjustment-{language}-390x844.png"), full_page=True)

    page.fill("input[name=date]", "2025-07-02")
    page.fill("input[name=lines-0-amount_0]", "12,50 abc" if language == "fr-ca" else "12.50 abc")
    page.click("form input[type=submit]")
    page.wait_for_load_state()
    assert page.evaluate(SIDEWAYS) == 0
    assert page.locator(".field-date .errorlist").count() == 0
    assert page.locator(".field-memo .errorlist").count() == 1
    page.screenshot(path=str(ARTIFACTS / f"adjustment-{language}-390x844-errors.png"), full_page=True)
