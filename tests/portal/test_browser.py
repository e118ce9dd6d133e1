"""A partner submits a report in a real browser; finance accepts it; the held instalment is released.

Playwright drives Debian's chromium (``.ci/run`` installs it where missing).
Screenshots of the portal home on a phone and on a desktop land in
``tests/artifacts/`` (ignored by git).
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from moneyed import Money

from grants.models import Instalment, InstalmentStatus, ProjectReport, ReportRequirement, ReportStatus
from ledger.demo import DEMO_PASSWORD
from ledger.models import Party
from ledger.money import money_format

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def log_in(page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()


def test_a_partner_submits_finance_accepts_and_the_held_instalment_is_released(live_server, browser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    call_command("seed_demo")
    party = Party.objects.get(name="Maison des jeunes de Saint-Jérôme")
    held = Instalment.objects.get(grant__party=party, status=InstalmentStatus.HELD)
    requirement = ReportRequirement.objects.get(grant=held.grant)
    base = live_server.url

    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = phone.new_page()
    log_in(page, base, "mdj-sj")
    assert page.url.endswith(reverse("portal:party", args=[party.pk]))
    assert held.grant.title in page.inner_text("#held")
    page.screenshot(path=str(ARTIFACTS / "portal-home-phone.png"), full_page=True)

    page.click(f"#held a[href='{reverse('portal:report', args=[party.pk, requirement.pk])}']")
    page.fill("textarea[name=activities]", "Quatre haltes-répit le vendredi soir, avec collation et jeux.")
    page.fill("textarea[name=what_worked]", "L’accueil par deux intervenantes; la collaboration avec la bibliothèque.")
    page.fill("textarea[name=what_did_not]", "La publicité sur les réseaux sociaux a peu rejoint les 18-25 ans.")
    page.fill("input[name=youth_12_17]", "18")
    page.fill("input[name=youth_18_25]", "7")
    page.fill("input[name=activities_held]", "4")
    page.fill("input[name=municipalities_reached]", "1")
    page.fill("input[name=spending_activities]", "1800.00")
    page.fill("input[name=spending_material]", "950.00")
    page.set_input_files(
        "input[name=attachment]",
        {"name": "bilan-halte.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"},
    )
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state()
    assert page.url.endswith(reverse("portal:party", args=[party.pk]))
    report = ProjectReport.objects.get(requirement=requirement)
    assert report.status == ReportStatus.SUBMITTED
    assert report.attachments.get().original_name == "bilan-halte.pdf"
    phone.close()

    desktop = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desktop.new_page()
    log_in(page, base, "finances")
    page.goto(base + reverse("admin:grants_projectreport_review", args=[report.pk]))
    page.click("button[name=decision][value=accept]")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    held.refresh_from_db()
    assert held.status == InstalmentStatus.SCHEDULED

    page.goto(base + reverse("portal:party", args=[party.pk]))
    assert held.grant.title not in page.inner_text("#held")
    assert held.grant.title in page.inner_text("#next-title + .table-wrap table")
    page.screenshot(path=str(ARTIFACTS / "portal-home-desktop.png"), full_page=True)
    desktop.close()
    assert (ARTIFACTS / "portal-home-phone.png").stat().st_size > 0


def test_spending_typed_the_french_way_is_saved_as_written(live_server, browser, settings, tmp_path):
    """``1450,50`` in an ``<input type=number>`` became 145050: the amount is read, not left to the browser."""
    settings.MEDIA_ROOT = tmp_path / "private"
    call_command("seed_demo")
    party = Party.objects.get(name="Maison des jeunes de Saint-Jérôme")
    requirement = ReportRequirement.objects.get(grant=Instalment.objects.get(grant__party=party, status=InstalmentStatus.HELD).grant)
    url = live_server.url + reverse("portal:report", args=[party.pk, requirement.pk])

    for language, viewport in [("fr-ca", (1366, 768)), ("fr-ca", (390, 844)), ("en", (1366, 768)), ("en", (390, 844))]:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
        page = context.new_page()
        log_in(page, live_server.url, "mdj-sj")
        page.goto(url)
        if language == "fr-ca":
            page.fill("input[name=spending_activities]", "1 450,50")
            page.fill("input[name=spending_material]", "1450,50")
        else:
            page.fill("input[name=spending_activities]", "1,450.50")
            page.fill("input[name=spending_material]", "1450.50")
        assert page.get_attribute("input[name=spending_activities]", "inputmode") == "decimal"
        page.click("button[name=action][value=save]")
        page.wait_for_load_state()
        report = ProjectReport.objects.get(requirement=requirement)
        assert report.spending == {"activities": "1450.50", "material": "1450.50"}
        shown = "1\xa0450,50" if language == "fr-ca" else "1,450.50"
        assert page.input_value("input[name=spending_activities]") == shown
        assert page.input_value("input[name=spending_material]") == shown
        page.screenshot(path=str(ARTIFACTS / f"report-spending-{language}-{viewport[0]}.png"), full_page=True)
        context.close()
    with translation.override("fr-ca"):
        assert money_format(Money(report.spending["activities"], "CAD")) == "1\xa0450,50\xa0$"
