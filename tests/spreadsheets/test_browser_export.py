"""The admin's export page in a real browser: the columns to tick named in the person's language.

Screenshots land in ``tests/artifacts/`` (ignored by git).
"""

import pytest
from django.urls import reverse

from ..portal.conftest import ARTIFACTS, browser  # noqa: F401  # the shared chromium

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "export-en-confiance-2026"
LABELS = {
    "fr-ca": ["Regroupement", "Payé par", "Montant", "Devise", "Référence", "Tout cocher"],
    "en": ["Pool (regroupement)", "Paid by (payé par)", "Amount (montant)", "Currency (devise)", "Tick all"],
}


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_the_export_page_names_the_columns_in_the_persons_language(live_server, browser, django_user_model, settings, language):  # noqa: F811
    django_user_model.objects.create_superuser("chef-finances", password=PASSWORD)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "chef-finances")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()

    page.goto(live_server.url + "/admin/sharedcosts/expense/export/")
    labels = page.inner_text("form fieldset.module")
    for label in LABELS[language]:
        assert label in labels, labels
    assert "payer" not in labels.lower().replace("payé", "")
    page.uncheck("#select-all-toggle")
    assert not page.is_checked("input[name=expenseresource_amount]")  # the toggle's label names its box
    page.check("#select-all-toggle")
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"export-chooser-{language}-{width}x{height}.png"), full_page=True)
