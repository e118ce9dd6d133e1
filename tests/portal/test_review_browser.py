"""The review of the demo territory in a real browser (Debian's chromium, through Playwright)."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ledger.models import FiscalPeriod
from portal.review.composition import fairness_review

from .conftest import ARTIFACTS

pytestmark = pytest.mark.slow


def test_the_demo_review_flags_a_party_and_draws_its_charts(live_server, transactional_db, browser):
    call_command("seed_demo", verbosity=0)
    year = FiscalPeriod.year_of(timezone.localdate())
    review = fairness_review(start_year=year)
    assert any(line.outside_tolerance for pool in review.pools for line in pool.lines)
    pool_names = [pool.pool.name for pool in review.pools]
    client = Client()
    client.force_login(get_user_model().objects.get(username="administrateur"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-CA")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page = context.new_page()
    response = page.goto(f"{live_server.url}/revue/{year}/")
    assert response is not None and response.status == 200
    for name in pool_names:
        assert page.get_by_role("heading", name=name, exact=True).count() >= 1, name
    charts = page.locator("svg.review-chart")
    assert charts.count() >= 2 * 2  # by party and by sector; each pool's charts are on its own detail
    assert page.locator("section.pool-folded").count() == len(pool_names)
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 60
    assert page.locator("tr.flagged").count() >= 1
    assert page.get_by_role("img").count() == charts.count()  # every chart is announced, with its title
    assert page.evaluate("getComputedStyle(document.querySelector('.chart-pair')).display") == "grid"
    page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)
    folded_charts = charts.count()
    page.click(f"#pool-{review.pools[0].pool.pk} a")
    page.wait_for_load_state()
    assert page.locator(f"#what-if-{review.pools[0].pool.pk}").count() == 1
    assert page.locator("svg.review-chart").count() == folded_charts + 2
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "review-print.png"), full_page=True)
    context.close()
    assert (ARTIFACTS / "review.png").stat().st_size > 10_000


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_the_charts_read_on_a_laptop_and_on_a_phone(live_server, transactional_db, browser, language):
    """At 1366×768 and 390×844: chart text of 10 px at least, whole names, an axis past the longest bar, and a
    page that never scrolls sideways (a chart wider than a phone scrolls inside its own box)."""
    call_command("seed_demo", verbosity=0)
    year = FiscalPeriod.year_of(timezone.localdate())
    review = fairness_review(start_year=year)
    pool = max(review.pools, key=lambda p: max((line.effort_ratio or 0) for line in p.lines))
    client = Client()
    client.force_login(get_user_model().objects.get(username="administrateur"))
    cookies = [
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
    ]
    short = language[:2]
    for width, height in ((1366, 768), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-CA" if short == "fr" else "en-CA")
        context.add_cookies(cookies)
        page = context.new_page()
        for name, url in (("review", f"/revue/{year}/?regroupement={pool.pool.pk}"), ("travel", f"/revue/{year - 1}/deplacements/")):
            response = page.goto(f"{live_server.url}{url}")
            assert response is not None and response.status == 200, url
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
            text_px = page.evaluate(
                "[...document.querySelectorAll('svg.review-chart')]"
                ".map(svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width * 12)"
            )
            assert text_px and min(text_px) >= 10, (name, width, text_px)
            labels = " ".join(page.evaluate("[...document.querySelectorAll('svg.review-chart text')].map(t => t.textContent)"))
            assert "…" not in labels, (name, labels)
            page.screenshot(path=str(ARTIFACTS / f"review-charts-{name}-{short}-{width}.png"), full_page=True)
        if width > 1000:
            # An unreadable parameter: its one refusal above its input, the summary above the form, the inputs in line.
            query = f"regroupement={pool.pool.pk}&pool={pool.pool.pk}&rule=base_plus_proportional&base_fraction=abc"
            page.goto(f"{live_server.url}/revue/{year}/?{query}")
            what_if = page.locator(f"#what-if-{pool.pool.pk}")
            assert what_if.locator(".errorlist li").count() == 1
            assert what_if.locator("[role=alert]").bounding_box()["y"] < what_if.locator("form").bounding_box()["y"]
            rule = what_if.locator("select[name=rule]").bounding_box()
            fraction = what_if.locator("input[name=base_fraction]").bounding_box()
            assert abs((rule["y"] + rule["height"]) - (fraction["y"] + fraction["height"])) < 2
            what_if.screenshot(path=str(ARTIFACTS / f"review-charts-whatif-{short}-{width}.png"))
        context.close()
