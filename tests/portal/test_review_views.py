"""The review pages: who may see them, what they show, exports, what-if, audit trail."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from ledger.models import Membership, Party, PartyKind, Sector
from ledger.roles import FINANCE_GROUP
from sharedcosts.models import Allocation, CostPool, MeansDeclaration, Participation, PoolKind
from sharedcosts.services import allocation_compute

from ..sharedcosts.conftest import cad, declare

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture(autouse=True)
def _english(client):
    """The pages speak French first; these tests read them in English, the language switch's other choice."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _pool(name="Locaux partagés", rule="equal", start=date(2025, 4, 1)):
    return CostPool.objects.create(
        kind=PoolKind.PREMISES, name=name, budgeted_cost=cad("10000.00"),
        start_date=start, end_date=date(2026, 3, 31), rule=rule,
    )


@pytest.fixture
def territory(db):
    pool = _pool()
    for i, (means, sector) in enumerate([("100000", Sector.SUD), ("200000", Sector.NORD), ("200000", Sector.SUD)]):
        party = Party.objects.create(name=f"Partenaire {i}", kind=PartyKind.COMMUNITY_YOUTH, sector=sector)
        Participation.objects.create(pool=pool, party=party)
        declare(party, means)
    return pool


@pytest.fixture
def partner_member(django_user_model):
    user = django_user_model.objects.create_user(username="membre", password="x")
    party = Party.objects.create(name="Organisme du membre", kind=PartyKind.COMMUNITY_YOUTH, sector=Sector.NORD)
    Membership.objects.create(user=user, party=party)
    return user


def _urls(pool):
    return [
        reverse("review:index"),
        reverse("review:year", args=[YEAR]),
        reverse("review:year", args=[YEAR]) + f"?pool={pool.pk}&rule=equal",
        reverse("review:xlsx", args=[YEAR, YEAR + 1]),
        reverse("review:pdf", args=[YEAR, YEAR + 1]),
    ]


def test_permission_matrix_on_every_review_url(client, territory, administrator, finance_user, partner_member):
    """Anonymous: sent to log in; partner members and finance staff: 403; administrators: served."""
    for url in _urls(territory):
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url
        for user in (partner_member, finance_user):
            client.force_login(user)
            assert client.get(url).status_code == 403, (url, user)
        client.force_login(administrator)
        assert client.get(url).status_code in (200, 302), url
    client.force_login(administrator)
    assert client.post(reverse("review:year", args=[YEAR])).status_code == 405  # nothing is written here


def test_partner_members_never_reach_the_admin_either(client, partner_member, administrator):
    from django.contrib import admin

    client.force_login(partner_member)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_the_review_page_shows_the_pool_its_flags_charts_and_tables(client, territory, administrator):
    client.force_login(administrator)
    response = client.get(reverse("review:year", args=[YEAR]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Locaux partagés" in html and "2025-2026" in html
    assert "above the tolerance" in html  # the small partner bears a third with a fifth of the means
    assert html.count('<svg class="review-chart"') >= 4
    assert 'role="img"' in html and "<title id=" in html
    assert "All pools, by sector of the territory" in html and "All pools, by kind of partner" in html
    assert 'aria-label="Figures of the chart of effort ratios"' in html


def test_the_index_goes_to_a_year_with_pools(client, territory, administrator):
    client.force_login(administrator)
    response = client.get(reverse("review:index"))
    assert response.status_code == 302 and response["Location"] == reverse("review:year", args=[YEAR])


def test_a_year_without_data_says_so(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("review:year", args=[2031]))
    assert response.status_code == 404
    assert "No cost pool starts in the fiscal year 2031-2032" in response.content.decode()
    assert client.get(reverse("review:xlsx", args=[2031, 2032])).status_code == 404
    assert client.get(reverse("review:index")).status_code == 200


def test_what_if_on_the_page_writes_nothing(client, territory, administrator):
    client.force_login(administrator)
    before = Allocation.objects.count()
    url = reverse("review:year", args=[YEAR])
    response = client.get(url, {"pool": territory.pk, "rule": "proportional"})
    html = response.content.decode()
    assert response.status_code == 200 and "Current shares beside the shares by" in html
    assert "2 000,00" in html or "2,000.00" in html
    territory.refresh_from_db()
    assert territory.rule == "equal" and Allocation.objects.count() == before


def test_the_what_if_asks_each_parameter_in_words_never_json(client, territory, administrator, settings):
    client.force_login(administrator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr-ca"
    url = reverse("review:year", args=[YEAR])
    html = client.get(url, {"regroupement": territory.pk}).content.decode()
    assert "JSON" not in html
    assert "Part fixe répartie à parts égales (%)" in html and 'data-rule="base_plus_proportional"' in html
    assert "Seuil de capacité" in html and 'data-rule="progressive"' in html
    response = client.get(url, {"pool": territory.pk, "rule": "base_plus_proportional", "base_fraction": "50"})
    assert "Parts actuelles à côté des parts selon" in response.content.decode()
    response = client.get(url, {"pool": territory.pk, "rule": "progressive", "threshold": ""})
    html = response.content.decode()
    assert "Cette règle demande un seuil de capacité." in html
    assert "threshold" not in re.sub(r"<[^>]*>", "", html)
    response = client.get(url, {"pool": territory.pk, "rule": "progressive", "threshold": "100 000"})
    assert "Parts actuelles à côté des parts selon" in response.content.decode()
    response = client.get(url, {"pool": territory.pk, "rule": "base_plus_proportional", "base_fraction": "150"})
    assert "Assurez-vous que cette valeur est inférieure ou égale à 100." in response.content.decode()


@pytest.mark.parametrize(
    ("language", "refusal", "summary"),
    [
        ("fr-ca", "«\xa0abc\xa0» n’est pas un pourcentage\xa0: écrivez-le comme 12,5.", "Corrigez les paramètres ci-dessous."),
        ("en", "“abc” is not a percentage: write it as 12.5.", "Correct the parameters below."),
    ],
)
def test_an_unreadable_percentage_is_refused_once_under_a_summary_above_the_form(
    client, territory, administrator, settings, language, refusal, summary
):
    client.force_login(administrator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    query = {"regroupement": territory.pk, "pool": territory.pk, "rule": "base_plus_proportional", "base_fraction": "abc"}
    html = client.get(reverse("review:year", args=[YEAR]), query).content.decode()
    what_if = html[html.index(f'id="what-if-{territory.pk}"') :]
    text = re.sub(r"<[^>]*>", "", what_if)
    assert text.count(refusal) == 1
    assert "Cette règle demande" not in text and "This rule needs" not in text
    assert what_if.index(summary) < what_if.index("<form")
    assert '<div class="field field--error"><label for="what-if-%d-base_fraction">' % territory.pk in what_if


def test_what_if_of_a_pool_of_another_year_is_not_found(client, territory, administrator):
    other = _pool(name="Ancien", start=date(2024, 4, 1))
    client.force_login(administrator)
    assert client.get(reverse("review:year", args=[YEAR]), {"pool": other.pk}).status_code == 404


def test_xlsx_export_keeps_numbers_and_flags(client, territory, administrator):
    client.force_login(administrator)
    response = client.get(reverse("review:xlsx", args=[YEAR, YEAR + 1]))
    assert response.status_code == 200
    assert 'filename="revue-2025-2026.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Summary"
    sheet = workbook["Locaux partagés"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r and r[0] == "Party"))
    first = rows[header + 1]
    assert first[0] == "Partenaire 0" and float(first[3]) == 3333.34
    assert "above the tolerance" in first[-1]


def test_xlsx_export_writes_whole_means_without_a_trailing_separator(client, territory, administrator):
    MeansDeclaration.objects.filter(party__name="Partenaire 1").update(value=Decimal("1250000.50"))
    client.force_login(administrator)
    workbook = load_workbook(io.BytesIO(client.get(reverse("review:xlsx", args=[YEAR, YEAR + 1])).content))
    means = {row[0].value: row[1] for row in workbook["Locaux partagés"].iter_rows() if str(row[0].value).startswith("Partenaire")}
    assert (means["Partenaire 0"].value, means["Partenaire 0"].number_format) == (100000, "#,##0")
    assert (float(means["Partenaire 1"].value), means["Partenaire 1"].number_format) == (1250000.5, "#,##0.00")


def test_xlsx_export_keeps_a_formula_in_a_party_name_as_text(client, territory, administrator):
    Party.objects.filter(name="Partenaire 0").update(name='=HYPERLINK("http://evil.example","x")')
    client.force_login(administrator)
    workbook = load_workbook(io.BytesIO(client.get(reverse("review:xlsx", args=[YEAR, YEAR + 1])).content))
    cells = [cell for row in workbook["Locaux partagés"].iter_rows() for cell in row if "HYPERLINK" in str(cell.value)]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_pdf_export(client, territory, administrator):
    client.force_login(administrator)
    response = client.get(reverse("review:pdf", args=[YEAR, YEAR + 1]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 2000


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("review:year", args=[YEAR])).status_code == 200
    return len(queries)


def test_the_page_takes_the_same_number_of_queries_small_or_large(client, administrator, finance_user):
    client.force_login(administrator)

    def territory(prefix: str, parties: int, pools: int) -> None:
        made = Party.objects.bulk_create(
            Party(name=f"{prefix}{i:03d}", kind=PartyKind.values[i % 5], sector=Sector.values[i % 4]) for i in range(parties)
        )
        for party in made:
            declare(party, str(50000 + 1000 * (party.pk % 97)))
        for n in range(pools):
            pool = _pool(name=f"{prefix}pool {n}", rule=("proportional", "equal")[n % 2])
            Participation.objects.bulk_create(Participation(pool=pool, party=p) for p in made[n % 2 :: 2])
            if n == 0:
                allocation_compute(pool=pool, prepared_by=finance_user)

    territory("small-", 6, 2)
    small = _page_queries(client)
    CostPool.objects.update(start_date=date(2024, 4, 1))
    territory("large-", 60, 6)
    large = _page_queries(client)
    assert small == large


def test_changes_are_recorded_with_who_and_the_old_and_new_values(client, territory, administrator):
    declaration = MeansDeclaration.objects.first()
    declaration._history_user = administrator
    declaration.value = 123456
    declaration.save()
    latest, previous = declaration.history.all()[:2]
    delta = latest.diff_against(previous)
    assert latest.history_user == administrator
    assert [(c.field, str(c.old), str(c.new)) for c in delta.changes] == [("value", "100000.00", "123456.00")]
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    for obj in (territory, declaration, territory.participations.first().party):
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])
        assert client.get(url).status_code == 200, url


def test_finance_staff_see_the_admin_history_but_not_the_review(client, territory, django_user_model):
    user = django_user_model.objects.create_user(username="fin", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=FINANCE_GROUP))
    client.force_login(user)
    assert client.get(reverse("admin:sharedcosts_costpool_history", args=[territory.pk])).status_code == 200
    assert client.get(reverse("review:year", args=[YEAR])).status_code == 403
