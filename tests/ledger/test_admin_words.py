"""The admin's stock sentences read as French and English are written: the model with its article, never "l'objet"."""

import html
import json
import re
from datetime import date

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django_celery_beat.models import PeriodicTask
from moneyed import Money

from ledger.admin_words import admin_message, admin_title, noun_phrases
from ledger.models import Party
from sharedcosts.models import CostPool, Participation, PoolKind

pytestmark = pytest.mark.django_db

OURS = {"auth", "ledger", "grants", "sharedcosts", "spreadsheets", "portal"}


@pytest.fixture
def admin_page(client, administrator, settings):
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    client.force_login(administrator)

    def page(url: str, language: str) -> str:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    return page


@pytest.fixture
def joined(party) -> CostPool:
    pool = CostPool.objects.create(
        kind=PoolKind.PREMISES,
        name="Locaux partagés",
        budgeted_cost=Money("10000.00", "CAD"),
        start_date=date(2025, 4, 1),
        end_date=date(2026, 3, 31),
        rule="proportional",
    )
    Participation.objects.create(pool=pool, party=party)
    return pool


def h1(page: str) -> str:
    return html.unescape(re.search(r"<h1>(.*?)</h1>", page, flags=re.DOTALL).group(1))


def title(page: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page, flags=re.DOTALL).group(1))


def inline_add_texts(page: str) -> list[str]:
    return [json.loads(html.unescape(data))["addText"] for data in re.findall(r'data-inline-formset="([^"]*)"', page)]


def test_every_model_of_the_admin_and_of_its_inlines_names_itself_with_its_article():
    inlines = [inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines]
    unnamed = sorted(
        model._meta.label_lower
        for model in [*admin.site._registry, *inlines]
        if noun_phrases(model._meta) is None and model._meta.app_label in OURS
    )
    # Read-only inlines never add a row nor title a page.
    assert unnamed == [
        "grants.grantamendment",
        "grants.grantbudgetline",
        "grants.projectreportversion",
        "grants.reportattachment",
        "ledger.entry",
        "sharedcosts.recurringamendment",
        "sharedcosts.recurringoccurrence",
    ]


@pytest.mark.parametrize(
    ("language", "heading", "add"),
    [
        ("fr-ca", "Sélectionnez le partenaire à modifier", "Ajouter un partenaire"),
        ("en", "Select the party to change", "Add a party"),
    ],
)
def test_a_list_is_titled_with_its_model_and_article(admin_page, party, language, heading, add):
    page = admin_page(reverse("admin:ledger_party_changelist"), language)
    assert h1(page) == heading
    assert title(page).startswith(f"{heading} | ")
    assert f'class="addlink">{add}</a>' in page
    assert "l’objet" not in page and "l'objet" not in page


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fr-ca", "Sélectionnez la répartition à modifier"), ("en", "Select the allocation to change")],
)
def test_a_feminine_model_and_an_elided_one_read_right(admin_page, language, heading):
    assert h1(admin_page(reverse("admin:sharedcosts_allocation_changelist"), language)) == heading


@pytest.mark.parametrize(
    ("language", "add", "change", "another"),
    [
        ("fr-ca", "Ajouter un regroupement de coûts", "Modifier le regroupement de coûts", "Ajouter une autre participation"),
        ("en", "Add a cost pool", "Change the cost pool", "Add another participation"),
    ],
)
def test_a_form_is_titled_with_its_article_and_its_inline_adds_another_row_in_words(
    admin_page, joined, language, add, change, another
):
    add_page = admin_page(reverse("admin:sharedcosts_costpool_add"), language)
    assert h1(add_page) == add
    assert re.search(r"&rsaquo; " + re.escape(add) + r"\s*</div>", add_page)
    change_page = admin_page(reverse("admin:sharedcosts_costpool_change", args=[joined.pk]), language)
    assert h1(change_page) == change
    assert inline_add_texts(change_page) == [another]


@pytest.mark.parametrize(("language", "another"), [("fr-ca", "Ajouter une autre appartenance"), ("en", "Add another membership")])
def test_a_party_adds_its_members_in_words(admin_page, party, language, another):
    assert inline_add_texts(admin_page(reverse("admin:ledger_party_change", args=[party.pk]), language)) == [another]


@pytest.mark.parametrize(
    ("language", "filters"),
    [("fr-ca", ["Regroupement", "Payée par", "Date"]), ("en", ["Pool", "Paid by", "Date"])],
)
def test_a_filter_is_titled_by_its_field_alone(admin_page, joined, other_party, language, filters):
    CostPool.objects.create(
        kind=PoolKind.PREMISES, name="Autres locaux", budgeted_cost=Money("1.00", "CAD"),
        start_date=date(2025, 4, 1), end_date=date(2026, 3, 31), rule="proportional",
    )
    page = admin_page(reverse("admin:sharedcosts_expense_changelist"), language)
    assert [html.unescape(text) for text in re.findall(r"<summary>(.*?)</summary>", page)] == filters


def test_a_model_without_phrases_keeps_djangos_words():
    assert noun_phrases(CostPool._meta) is not None and noun_phrases(Party._meta) is not None
    assert noun_phrases(PeriodicTask._meta) is None
    with translation.override("fr-ca"):
        stock = translation.gettext("Select %s to change") % PeriodicTask._meta.verbose_name
        assert admin_title(stock, PeriodicTask._meta) == stock
        assert admin_title(translation.gettext("Select %s to change") % Party._meta.verbose_name, Party._meta) == (
            "Sélectionnez le partenaire à modifier"
        )


def messages_shown(page: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
        for text in re.findall(r'<ul class="messagelist">.*?<li[^>]*>(.*?)</li>', page, flags=re.DOTALL)
    ]


@pytest.mark.parametrize(
    ("language", "button", "shown"),
    [
        ("fr-ca", "_save", "Ajout enregistré\xa0: la municipalité «\xa0Mirabel\xa0»."),
        (
            "fr-ca",
            "_continue",
            "Ajout enregistré\xa0: la municipalité «\xa0Mirabel\xa0»; la fiche reste ouverte ci-dessous pour d’autres changements.",
        ),
        ("fr-ca", "_addanother", "Ajout enregistré\xa0: la municipalité «\xa0Mirabel\xa0»; ajoutez une autre municipalité ci-dessous."),
        ("en", "_save", "The municipality “Mirabel” was added."),
        ("en", "_addanother", "The municipality “Mirabel” was added; add another municipality below."),
    ],
)
def test_a_saved_row_is_told_with_its_article(client, administrator, settings, language, button, shown):
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    client.force_login(administrator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("admin:sharedcosts_municipality_add"), {"name": "Mirabel", button: "1"}, follow=True)
    assert messages_shown(response.content.decode()) == [shown]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr-ca", "Suppression effectuée\xa0: le partenaire «\xa0Maison des jeunes\xa0»."),
        ("en", "The party “Maison des jeunes” was deleted."),
    ],
)
def test_a_deletion_is_told_with_its_article_and_other_messages_are_left_as_they_are(language, said):
    with translation.override(language):
        stock = translation.gettext("The %(name)s “%(obj)s” was deleted successfully.") % {
            "name": Party._meta.verbose_name,
            "obj": "Maison des jeunes",
        }
        assert admin_message(stock, Party._meta) == said
        assert admin_message("Rien de Django.", Party._meta) == "Rien de Django."
        assert admin_message(stock, None) == stock


def test_a_form_with_something_to_edit_keeps_its_save_buttons(admin_page, party):
    page = admin_page(reverse("admin:ledger_party_change", args=[party.pk]), "fr-ca")
    assert 'name="_save"' in page and 'name="_continue"' in page
