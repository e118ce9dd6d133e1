"""The pages people open most fit a laptop (1366×768) and a phone (390×844) in a real browser.

Each page is measured in Debian's chromium: the page itself, each table
against the box that holds it, and each label (cells, headings, links,
chart texts) against its own box. A page that scrolls sideways or cuts a
label off fails the test, naming what overflows. Screenshots of each page
at each size land in ``tests/artifacts/``.
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ledger.models import FiscalPeriod, Party
from portal.review.composition import fairness_review

from .conftest import ARTIFACTS

pytestmark = pytest.mark.slow

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# What overflows, in words: the page wider than the window, a table wider than
# its box, a label whose text runs past its own box, a chart's text past its chart.
OVERFLOWS = """
() => {
  const problems = [];
  const name = (element) => {
    const classes = typeof element.className === "string" ? element.className.trim() : "";
    return element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + (classes ? "." + classes.split(/\\s+/).join(".") : "");
  };
  const shown = (element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== "hidden";
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) problems.push(`page ${root.scrollWidth} px > ${root.clientWidth} px`);
  for (const table of document.querySelectorAll("table")) {
    if (!shown(table)) continue;
    const holder = table.parentElement;
    if (table.getBoundingClientRect().width > holder.clientWidth + 1) {
      problems.push(`${name(table)} ${Math.round(table.getBoundingClientRect().width)} px > ${name(holder)} ${holder.clientWidth} px`);
    }
    if (holder.scrollWidth > holder.clientWidth + 1) problems.push(`${name(holder)} scrolls sideways (${holder.scrollWidth} > ${holder.clientWidth})`);
  }
  for (const label of document.querySelectorAll("th, td, label, dt, dd, h1, h2, h3, summary, button, .label, caption")) {
    if (!shown(label)) continue;
    if (label.scrollWidth > label.clientWidth + 1 && label.clientWidth > 0) {
      problems.push(`${name(label)} "${label.textContent.trim().slice(0, 40)}" ${label.scrollWidth} > ${label.clientWidth}`);
    }
  }
  for (const chart of document.querySelectorAll("svg")) {
    if (!shown(chart)) continue;
    const box = chart.getBoundingClientRect();
    for (const text of chart.querySelectorAll("text")) {
      const edge = text.getBoundingClientRect();
      if (edge.width && (edge.left < box.left - 1 || edge.right > box.right + 1)) {
        problems.push(`chart text "${text.textContent.trim()}" past its chart (${Math.round(edge.left)}–${Math.round(edge.right)} outside ${Math.round(box.left)}–${Math.round(box.right)})`);
      }
    }
  }
  return problems;
}
"""


def session_of(username: str) -> str:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# A name squeezed into one word per line: a cell of four words or more as many lines high as it has words.
SQUEEZED = """
() => {
  const problems = [];
  for (const cell of document.querySelectorAll("td, th, li, p")) {
    if (!cell.getClientRects().length) continue;
    const words = cell.innerText.trim().split(/\\s+/).filter(Boolean).length;
    const style = getComputedStyle(cell);
    const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
    const lines = Math.round((cell.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)) / lineHeight);
    if (words >= 4 && lines >= words) problems.push(`"${cell.innerText.trim().slice(0, 40)}" one word per line (${lines} lines, ${cell.clientWidth} px)`);
  }
  return problems;
}
"""


def measure(
    browser,
    live_server,
    *,
    username: str,
    pages: dict[str, str],
    media: str = "screen",
    phone: bool = True,
    language: str = "fr-ca",
    checks: tuple[str, ...] = (OVERFLOWS,),
) -> list[str]:
    """Open each page on a laptop (and a phone), screenshot it as ``<name>-<size>.png``; what overflows, named."""
    problems = []
    session = session_of(username)
    for size, viewport in (("laptop", LAPTOP), ("phone", PHONE))[: 2 if phone else 1]:
        context = browser.new_context(viewport=viewport, locale="fr-CA", is_mobile=size == "phone")
        context.add_cookies([
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ])
        page = context.new_page()
        page.emulate_media(media=media)
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, (name, path)
            page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"), full_page=True)
            for check in checks:
                problems += [f"{name} at {size}: {problem}" for problem in page.evaluate(check)]
        context.close()
    return problems


def test_the_dashboard_lists_review_and_portal_fit_a_laptop_and_a_phone(live_server, transactional_db, browser):
    call_command("seed_demo", verbosity=0)
    year = FiscalPeriod.year_of(timezone.localdate())
    party = Party.objects.get(name="Maison des jeunes de Saint-Jérôme")
    pool = fairness_review(start_year=year).pools[0].pool
    staff_pages = {
        "dashboard": reverse("dashboard:index"),
        "instalments": reverse("admin:grants_instalment_changelist"),
        "expenses": reverse("admin:sharedcosts_expense_changelist"),
        "grants": reverse("admin:grants_grant_changelist"),
        "review": reverse("review:year", args=[year]),
        "review-pool": reverse("review:year", args=[year]) + f"?regroupement={pool.pk}",
    }
    problems = measure(browser, live_server, username="administrateur", pages=staff_pages)
    # Paper is measured at a laptop's width: a phone does not print the review.
    problems += measure(browser, live_server, username="administrateur", media="print", phone=False,
                        pages={"review-print": reverse("review:year", args=[year]) + f"?regroupement={pool.pk}"})
    problems += measure(browser, live_server, username="mdj-sj", pages={"portal-home": reverse("portal:party", args=[party.pk])})
    assert problems == [], "\n".join(problems)
    assert (ARTIFACTS / "dashboard-laptop.png").stat().st_size > 10_000


def test_every_partners_home_fits_a_phone_in_both_languages_and_names_wrap_between_words(
    live_server, transactional_db, browser
):
    call_command("seed_demo", verbosity=0)
    parties = Party.objects.filter(grants__isnull=False).distinct().order_by("pk")
    problems = []
    for language in ("fr-ca", "en"):
        pages = {f"portal-home-{language[:2]}-{party.pk}": reverse("portal:party", args=[party.pk]) for party in parties}
        problems += measure(
            browser, live_server, username="administrateur", pages=pages, language=language, checks=(OVERFLOWS, SQUEEZED)
        )
    assert problems == [], "\n".join(problems)
    assert len(list(ARTIFACTS.glob("portal-home-*-phone.png"))) >= 2 * len(parties) > 0


# The left edges of the header's line, of the content and of the footer.
EDGES = """
() => [".site-header__inner", "main.content", ".site-footer"].map(
  (selector) => Math.round(document.querySelector(selector).getBoundingClientRect().left)
)
"""


def test_the_staff_pages_header_and_footer_line_up_with_their_wide_content(live_server, transactional_db, browser):
    call_command("seed_demo", verbosity=0)
    year = FiscalPeriod.year_of(timezone.localdate())
    context = browser.new_context(viewport=LAPTOP, locale="fr-CA")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_of("administrateur"), "url": live_server.url}])
    page = context.new_page()
    edges = {}
    for path in (reverse("dashboard:index"), reverse("review:year", args=[year]), reverse("review:travel", args=[year])):
        page.goto(live_server.url + path)
        edges[path] = page.evaluate(EDGES)
    context.close()
    assert all(len(set(left)) == 1 for left in edges.values()), edges
    assert edges[reverse("dashboard:index")][0] < 200  # wider than the partners' 60rem column (203 px in)
