"""The rotation of the demo's concertation table in a real browser: the review's page and the admin's."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ledger.models import FiscalPeriod
from sharedcosts.travel.demo import MEMBERS, TABLE
from sharedcosts.travel.models import MeetingGroup

from .conftest import ARTIFACTS

pytestmark = pytest.mark.slow


def test_the_demo_rotation_draws_its_chart_beside_its_table(live_server, transactional_db, browser):
    call_command("seed_demo", verbosity=0)
    year = FiscalPeriod.year_of(timezone.localdate()) - 1
    client = Client()
    client.force_login(get_user_model().objects.get(username="administrateur"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-CA")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page = context.new_page()

    response = page.goto(f"{live_server.url}{reverse('review:travel', args=[year])}")
    assert response is not None and response.status == 200
    assert page.get_by_role("heading", name=TABLE, exact=True).count() == 1
    chart = page.locator("svg.travel-chart")
    assert chart.count() == 1
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    assert page.locator(".chart-pair table tbody tr").count() == len(MEMBERS)
    assert page.evaluate("getComputedStyle(document.querySelector('.chart-pair')).display") == "grid"
    assert "Prochain hôte suggéré" in page.locator(".travel-suggestion").inner_text()
    page.screenshot(path=str(ARTIFACTS / "travel-rotation.png"), full_page=True)

    group = MeetingGroup.objects.get(name=TABLE)
    response = page.goto(f"{live_server.url}{reverse('admin:sharedcosts_meetinggroup_rotation', args=[group.pk])}")
    assert response is not None and response.status == 200
    assert page.locator("svg.travel-chart").count() == 1
    page.screenshot(path=str(ARTIFACTS / "travel-rotation-admin.png"), full_page=True)
    context.close()
    assert (ARTIFACTS / "travel-rotation.png").stat().st_size > 10_000
