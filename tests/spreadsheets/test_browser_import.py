"""Finance staff import partners in a real browser: the preview shows each row's values and the change before anything is saved.

Screenshots land in ``tests/artifacts/`` (ignored by git).
"""

import pytest
from django.urls import reverse

from ledger.models import Party

from ..portal.conftest import ARTIFACTS, browser  # noqa: F401  # the shared chromium

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "import-en-confiance-2026"


def test_the_admin_previews_an_update_and_a_new_row_then_imports_them(live_server, browser, django_user_model, tmp_path):  # noqa: F811
    django_user_model.objects.create_superuser("chef-finances", password=PASSWORD)
    Party.objects.create(name="Maison des jeunes de Saint-Jérôme", kind="community_youth", sector="sud", liaison_name="Julie Tremblay")
    upload = tmp_path / "partenaires.csv"
    upload.write_bytes(
        "nom;catégorie;secteur;personne-ressource\r\n"
        "Maison des jeunes de Saint-Jérôme;community_youth;nord;\r\n"
        "Travail de rue Laurentides;street_work;centre;Marc Gagnon\r\n".encode("cp1252")
    )
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "chef-finances")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()

    page.goto(live_server.url + "/admin/ledger/party/import/")
    page.set_input_files("input[name=import_file]", str(upload))
    page.screenshot(path=str(ARTIFACTS / "import-form.png"), full_page=True)
    page.click("input[type=submit]")
    page.wait_for_load_state()
    preview = page.inner_text("table.import-preview")
    assert "Travail de rue Laurentides" in preview and "Marc Gagnon" in preview  # the new row's values
    assert "Julie Tremblay" in preview  # a blank cell keeps the stored value, and shows it
    changed = page.inner_text("table.import-preview td.changed")
    assert "sud" in changed and "nord" in changed
    page.screenshot(path=str(ARTIFACTS / "import-preview.png"), full_page=True)
    assert Party.objects.count() == 1  # nothing saved before confirming

    page.click("form[action$='process_import/'] input[type=submit]")
    page.wait_for_load_state()
    page.screenshot(path=str(ARTIFACTS / "import-done.png"), full_page=True)
    assert Party.objects.get(name="Maison des jeunes de Saint-Jérôme").sector == "nord"
    assert Party.objects.get(name="Travail de rue Laurentides").liaison_name == "Marc Gagnon"
