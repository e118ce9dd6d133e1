"""The review reads well: one pool's detail at a time, the net position explained, sheet names
short and distinct, PDF headers wrapped between words, chart labels inside their chart."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from ledger.models import Party, PartyKind, Sector
from portal.review.charts import WIDTH, Bar, effort_chart, share_chart
from portal.review.exports import _sheet_name
from sharedcosts.models import CostPool, MeansDeclaration, Participation, PoolKind

from ..sharedcosts.conftest import cad, declare

YEAR = 2025
LONG_POOL = "Formation premiers soins en santé mentale jeunesse, cohorte du printemps"


@pytest.fixture(autouse=True)
def _french(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr-ca"
    with translation.override("fr-ca"):
        yield


@pytest.fixture
def pools(db):
    made = []
    for name in ("Locaux partagés", LONG_POOL, LONG_POOL.replace("printemps", "automne")):
        made.append(
            CostPool.objects.create(
                kind=PoolKind.TRAINING, name=name, budgeted_cost=cad("9000.00"),
                start_date=date(2025, 4, 1), end_date=date(2026, 3, 31), rule="equal",
            )
        )
    for index, means in enumerate(("100000", "900000", "50000")):
        party = Party.objects.create(
            name=f"Carrefour jeunesse-emploi des Hautes-Laurentides {index}", kind=PartyKind.COMMUNITY_YOUTH, sector=Sector.SUD
        )
        declare(party, means)
        for pool in made:
            Participation.objects.create(pool=pool, party=party)
    return made


@pytest.mark.django_db
def test_the_page_folds_each_pool_and_opens_the_one_asked(client, pools, administrator):
    client.force_login(administrator)
    url = reverse("review:year", args=[YEAR])
    folded = client.get(url).content.decode()
    assert "Position nette\u00a0: les subventions reçues par un partenaire durant l’exercice moins" in folded
    for pool in pools:
        assert f"?regroupement={pool.pk}#pool-{pool.pk}" in folded
        assert f'id="what-if-{pool.pk}"' not in folded
    opened = client.get(url, {"regroupement": pools[1].pk}).content.decode()
    assert f'id="what-if-{pools[1].pk}"' in opened
    assert f'id="what-if-{pools[0].pk}"' not in opened
    assert opened.count('class="review-chart"') == folded.count('class="review-chart"') + 2


@pytest.mark.django_db
def test_sheet_names_are_short_distinct_and_cut_between_words(client, pools, administrator):
    client.force_login(administrator)
    workbook = load_workbook(io.BytesIO(client.get(reverse("review:xlsx", args=[YEAR, YEAR + 1])).content))
    names = workbook.sheetnames
    assert names[:4] == ["Sommaire", "Par partenaire CAD", "Par secteur CAD", "Par type CAD"]
    assert names[4:] == ["Formation premiers soins…", "Formation premiers soins… (2)", "Locaux partagés"]
    assert all(len(name) <= 31 for name in names)
    assert len({name.casefold() for name in names}) == len(names)


def test_a_sheet_name_made_of_one_long_word_is_cut_at_the_limit():
    assert _sheet_name("x" * 40, set()) == "x" * 30 + "…"
    assert _sheet_name("Locaux: site [nord]", set()) == "Locaux- site -nord-"


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Locaux partagés du site de Saint-Jérôme", "Locaux partagés du site…"),
        ("Formation premiers soins en santé mentale jeunesse", "Formation premiers soins…"),
        ("Unité mobile — tournée du secteur Nord", "Unité mobile — tournée…"),
    ],
)
def test_a_long_sheet_name_ends_on_a_whole_word_and_an_ellipsis(title, name):
    assert _sheet_name(title, set()) == name
    assert len(name) <= 31


@pytest.mark.django_db
def test_pdf_headers_wrap_between_words(client, pools, administrator):
    client.force_login(administrator)
    content = client.get(reverse("review:pdf", args=[YEAR, YEAR + 1])).content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    words = set(re.findall(r"\w+", text))
    for header_word in ("Capacité", "déclaration", "Contribution", "nature", "Subventions", "Signalements"):
        assert header_word in words, header_word
    assert "Contributio" not in words


def test_chart_figures_and_long_titles_stay_inside_the_chart():
    bars = [
        Bar("Carrefour jeunesse-emploi des Hautes-Laurentides", Decimal("0.02"), Decimal("0.95"), Decimal("6.76"), True),
        Bar("Ville", Decimal("0.98"), Decimal("0.05"), Decimal("0.05"), True),
    ]
    title = "Ratios d’effort par rapport à la tolérance : Tous les regroupements, par secteur du territoire"
    effort = effort_chart(uid="e", title=title, bars=bars, low=Decimal("0.8"), high=Decimal("1.25"))
    shares = share_chart(uid="s", title=title, bars=bars)
    for svg in (effort, shares):
        # The longest bar's figure is drawn inside the bar, anchored at its end, in white.
        for x, anchor in re.findall(r'<text x="([\d.]+)" y="[\d.]+"( text-anchor="end")?', svg):
            assert float(x) <= WIDTH
        assert "Ratios d’effort par rapport à la tolérance : Tous les regroupements, par" in svg
        assert ">secteur du territoire</text>" in svg
        assert "Carrefour jeunesse-emploi des" in svg and "Hautes-Laurentides</tspan>" in svg
    assert 'text-anchor="end" fill="#ffffff" font-weight="bold">6,76 ⚠ hors tolérance</text>' in effort


@pytest.mark.django_db
def test_the_page_of_a_year_of_500_parties_stays_under_one_megabyte(client, administrator):
    """As bench/review.py's year: 500 parties, 50 pools of 50 participants; each pool's detail on its own."""
    kinds, sectors = PartyKind.values, Sector.values
    parties = Party.objects.bulk_create(
        Party(name=f"Partenaire du banc d’essai {i:04d}", kind=kinds[i % len(kinds)], sector=sectors[i % len(sectors)])
        for i in range(500)
    )
    MeansDeclaration.objects.bulk_create(
        MeansDeclaration(party=party, value=Decimal(60_000 + (i * 7_919) % 2_000_000), as_of=date(2025, 3, 31), source="États financiers")
        for i, party in enumerate(parties)
    )
    pools = CostPool.objects.bulk_create(
        CostPool(kind=PoolKind.PREMISES, name=f"Regroupement {n:02d}", budgeted_cost=cad("50000.00"),
                 start_date=date(2025, 4, 1), end_date=date(2026, 3, 31), rule="proportional")
        for n in range(50)
    )
    Participation.objects.bulk_create(
        Participation(pool=pool, party=parties[(n * 10 + i) % 500]) for n, pool in enumerate(pools) for i in range(50)
    )
    client.force_login(administrator)
    url = reverse("review:year", args=[YEAR])
    page = client.get(url).content
    detail = client.get(url, {"regroupement": pools[0].pk}).content
    assert len(page) < 1_000_000, len(page)
    assert len(detail) < 1_000_000, len(detail)
    assert b'id="what-if-%d"' % pools[0].pk in detail
