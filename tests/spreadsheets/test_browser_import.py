"""Finance staff import partners in a real browser: the preview shows each row's values and the change before anything is saved.

Screenshots land in ``tests/artifacts/`` (ignored by git).
"""

import os

import pytest
from django.urls import reverse

from ledger.models import Party
from spreadsheets.jobs import ASYNC_THRESHOLD

from ..portal.conftest import ARTIFACTS, browser  # noqa: F401  # the shared chromium

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "import-en-confiance-2026"
SCREENS = [(1366, 768), (390, 844)]


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
    assert "Sud" in changed and "Nord" in changed  # the choices by their labels, never their codes
    assert "community_youth" not in preview and "street_work" not in preview
    page.screenshot(path=str(ARTIFACTS / "import-preview.png"), full_page=True)
    assert Party.objects.count() == 1  # nothing saved before confirming

    page.click("form[action$='process_import/'] input[type=submit]")
    page.wait_for_load_state()
    page.screenshot(path=str(ARTIFACTS / "import-done.png"), full_page=True)
    assert Party.objects.get(name="Maison des jeunes de Saint-Jérôme").sector == "nord"
    assert Party.objects.get(name="Travail de rue Laurentides").liaison_name == "Marc Gagnon"


def _words(text: str) -> str:
    """Text with its non-breaking spaces read as spaces."""
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def _parties_file(rows: int) -> bytes:
    lines = ["nom;catégorie;secteur;personne-ressource"]
    lines += [f"Partenaire {number:05d};library;sud;Personne {number}" for number in range(rows)]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _screenshots(page, name: str, language: str) -> None:
    """The page as a person sees it on a laptop and on a phone."""
    for width, height in SCREENS:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{language}-{width}x{height}.png"), full_page=True)
    page.set_viewport_size({"width": SCREENS[0][0], "height": SCREENS[0][1]})


def _bar_until_done(page, name: str, language: str) -> list[int]:
    """The values the bar shows, read every 50 ms until the job ends; a screenshot of the bar on its way."""
    seen = []
    shot = False
    for _ in range(2400):
        finished = page.is_visible("#import-summary:not(:empty)")
        value = int(page.eval_on_selector("#import-bar", "bar => bar.value"))
        maximum = int(page.eval_on_selector("#import-bar", "bar => bar.max"))
        if not seen or seen[-1] != value:
            seen.append(value)
        if not shot and 0 < value < maximum:
            _screenshots(page, name, language)
            shot = True
        if finished:
            return seen
        page.wait_for_timeout(50)
    raise AssertionError(f"the job did not end; the bar showed {seen}")


@pytest.mark.redis
@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_a_large_file_goes_to_a_job_whose_bar_moves_to_done_without_reloading(
    live_server, browser, django_user_model, tmp_path, settings, language  # noqa: F811
):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    rows = 2000
    assert rows > ASYNC_THRESHOLD  # so the admin hands the file to a job
    django_user_model.objects.create_superuser("chef-finances", password=PASSWORD)
    upload = tmp_path / "partenaires.csv"
    upload.write_bytes(_parties_file(rows))
    context = browser.new_context(viewport={"width": SCREENS[0][0], "height": SCREENS[0][1]})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "chef-finances")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()

    broker = app.conf.broker_url
    app.conf.broker_url = os.environ["REDIS_URL"]
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=60):
            page.goto(live_server.url + "/admin/ledger/party/import/")
            page.set_input_files("input[name=import_file]", str(upload))
            _screenshots(page, "import-large-form", language)
            page.click("input[type=submit]")
            page.wait_for_url("**/progress/")
            page.evaluate("window.notReloaded = true")
            checked = _bar_until_done(page, "import-large-checking", language)
            assert page.evaluate("window.notReloaded") is True  # the bar moved by itself
            assert checked[-1] == rows and any(0 < value < rows for value in checked), checked
            assert _words(page.inner_text("#import-count")) == {"fr-ca": "2 000 / 2 000", "en": "2,000 / 2,000"}[language]
            assert page.is_visible("#import-confirm") and not page.is_visible("#import-report")
            _screenshots(page, "import-large-checked", language)
            assert not Party.objects.exists()  # a dry run: nothing saved before confirming

            page.click("#import-confirm input[type=submit]")
            page.wait_for_load_state()
            page.evaluate("window.notReloaded = true")
            imported = _bar_until_done(page, "import-large-importing", language)
            assert page.evaluate("window.notReloaded") is True
            assert imported[-1] == rows
            summary = _words(page.inner_text("#import-summary"))
            assert page.is_visible("#import-list a")  # on to the imported rows
            _screenshots(page, "import-large-done", language)
    finally:
        app.conf.broker_url = broker
    assert Party.objects.count() == rows
    assert summary == {
        "fr-ca": "Importation terminée : 2 000 nouvelles lignes, 0 ligne modifiée, 0 ligne inchangée.",
        "en": "Import finished: 2,000 new rows, 0 rows updated, 0 rows unchanged.",
    }[language]
