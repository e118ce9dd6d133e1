"""Every screen of the demo speaks French (or English) and finance, never code.

As finance staff and as an administrator, in French and in English, the test
renders every admin list, change form and history page (one object per model
of the demo), the admin's index and the dashboard, the review of each year,
and, as a member of an organisation, every page of the portal. It reads each
page as a person does (its visible text: no tag, no attribute, no script)
and reports every word of code it finds there, all pages at once.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from ledger.models import Membership
from portal import selectors
from portal.review.composition import review_years
from spreadsheets.registry import SpreadsheetResource

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french_again_afterwards():
    """The middleware leaves the reader's language active on the thread: the next test starts in French."""
    yield
    translation.activate(settings.LANGUAGE_CODE)

OUR_APPS = ("ledger", "grants", "sharedcosts", "spreadsheets")
# Words of Django's English that must not be left on a French page.
ENGLISH_WORDS = (
    "Save", "Delete", "History", "Add", "Change", "CHANGES", "Yes", "No", "Filter", "Search", "Home",
    "Today", "Now", "Show", "Hide", "Close", "Log out", "View site", "Unknown", "Go", "Select all",
)


class VisibleText(HTMLParser):
    """The text a person reads: what is between tags, without scripts, styles and templates."""

    HIDDEN = {"script", "style", "template", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden_depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.HIDDEN:
            self.hidden_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    """The page's text nodes, each on one line."""
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def _our_fields() -> Iterator:
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            yield from model._meta.get_fields()


def _choice_values() -> set[str]:
    """The values of our choices that read as code (``draft``, ``changes_requested``), minus those that
    are also a word of the interface in the active language (in English the field "usage", the label "Held")."""
    values, words = set(), set()
    for field in _our_fields():
        words.add(str(getattr(field, "verbose_name", "")).lower())
        for value, label in getattr(field, "flatchoices", None) or ():
            words.add(str(label).lower())
            if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]*", value):
                values.add(value)
    return {value for value in values if "_" in value or value not in words}


def _subclasses(cls: type) -> set[type]:
    return {sub for direct in cls.__subclasses__() for sub in {direct} | _subclasses(direct)}


def _class_names() -> tuple[set[str], set[str]]:
    """Class names of our models: the compound ones (``CostPool``) read as code in any language,
    the one-word ones (``Grant``) only on a French page, where English has no business."""
    names = {model.__name__ for app in OUR_APPS for model in apps.get_app_config(app).get_models()}
    names |= {resource.__name__ for resource in _subclasses(SpreadsheetResource)}
    compound = {name for name in names if len(re.findall(r"[A-Z]", name)) > 1}
    return compound, names - compound


# One-word class names that are also French words: "Transaction" on a French page is French.
FRENCH_CLASS_NAMES = {"Transaction", "Allocation", "Participation", "Programme", "Notification", "Occurrence", "Premises"}


def code_words(parts: list[str], *, french: bool) -> list[str]:
    """What, in a page's visible text, is the code's and not the reader's.

    A choice's value is code when it stands alone where a value is read: a
    whole text node, or one side of ``:``, ``→``, ``·`` or a list's comma
    ("draft → approved", "Règle : proportional"); one with an underscore
    (``changes_requested``) is code anywhere. Elsewhere the same letters may
    be a word of the sentence ("accepted", "police").
    """
    text = "\n".join(parts)
    found = []
    checks = [
        (r"\bNone\b(?! available)", "None"),
        (r"pk=", "pk="),
        (r"\{\"", "JSON"),
        (r"CA\$", "CA$"),
        (r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", "raw timestamp"),
        (r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\dT]| \d{2}:)", "ISO date"),
        (r"\b\d{1,2}/\d{1,2}/\d{4}\b", "date in numbers"),
        (r"<bound |object at 0x|Decimal\(|Money\(", "Python object"),
    ]
    if french:
        checks += [
            (r"l[’']objet \w|un objet \w|\bPar \w+ par\b", "Django admin's stock phrase"),
            (r"(?<![\d,.])\b1 (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b", "first of the month without er"),
            (r"(?<![\d,.])\b\d{1,2}[ :\xa0\u202f]\d{2}\b(?![\d,.])", "time without h"),
            (r"\b\d+\.\d{2}\b", "decimal point in French"),
        ]
    for pattern, label in checks:
        for match in re.finditer(pattern, text):
            found.append(f"{label}: {_around(text, match)}")
    with translation.override("fr-ca" if french else "en"):
        statuses = _choice_values()
    for part in parts:
        for piece in re.split(r"\s*(?:→|:|·|,|;)\s*", part):
            if piece in statuses:
                found.append(f"status code: {piece} in {part[:120]}")
    for word in re.findall(r"\b[a-z]+_[a-z_]+\b", text):
        if word in statuses:
            found.append(f"status code: {word}")
    compound, simple = _class_names()
    for name in compound | (simple - FRENCH_CLASS_NAMES if french else set()):
        for match in re.finditer(rf"\b{name}\b", text):
            found.append(f"class name: {_around(text, match)}")
    if french:
        for word in ENGLISH_WORDS:
            for match in re.finditer(rf"(?<![\w’'-]){re.escape(word)}(?![\w’'-])", text):
                found.append(f"English: {_around(text, match)}")
    return found


def _around(text: str, match: re.Match) -> str:
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return line if len(line) <= 140 else line[max(0, match.start() - line_start - 60) : match.end() - line_start + 60]


def _admin_urls(user) -> Iterator[str]:
    yield reverse("admin:index")
    yield reverse("dashboard:index")
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        if not model_admin.has_view_permission(_request(user)):
            continue
        yield reverse("admin:{}_{}_changelist".format(*info))
        for pk in _objects_to_read(model):
            yield reverse("admin:{}_{}_change".format(*info), args=[pk])
            try:
                yield reverse("admin:{}_{}_history".format(*info), args=[pk])
            except NoReverseMatch:
                pass


def _objects_to_read(model) -> list:
    """The model's first object, and the one with the longest history: the one whose history has the most to say."""
    first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    if first is None:
        return []
    history = getattr(model, "history", None)
    if history is None:
        return [first]
    id_field = model._meta.pk.attname
    busiest = (
        history.values(id_field)
        .annotate(changes=Count("history_id"))
        .order_by("-changes", id_field)
        .values_list(id_field, flat=True)
        .first()
    )
    return [first] if busiest in (None, first) else [first, busiest]


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def _review_urls() -> Iterator[str]:
    yield reverse("review:index")
    for year in review_years():
        yield reverse("review:year", args=[year])
        yield reverse("review:travel", args=[year])


def _portal_urls(member) -> Iterator[str]:
    yield reverse("portal:home")
    yield reverse("portal:notification_preferences")
    for membership in Membership.objects.filter(user=member).select_related("party"):
        party = membership.party
        yield reverse("portal:party", args=[party.pk])
        yield reverse("portal:statement", args=[party.pk])
        yield reverse("portal:meetings", args=[party.pk])
        for requirement in selectors.requirements_of(party):
            yield reverse("portal:report", args=[party.pk, requirement.pk])


@dataclass(frozen=True)
class Reader:
    username: str
    language: str

    @property
    def french(self) -> bool:
        return self.language.startswith("fr")


READERS = [Reader(username, language) for username in ("finances", "administrateur") for language in ("fr-ca", "en")]
MEMBERS = [Reader("coordo-nord", language) for language in ("fr-ca", "en")] + [
    Reader("mdj-sj", language) for language in ("fr-ca", "en")
]


def _read_all(client, reader: Reader, urls: Iterator[str]) -> tuple[int, list[str]]:
    client.force_login(get_user_model().objects.get(username=reader.username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = reader.language
    pages, findings = 0, []
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, (url, response.status_code)
        pages += 1
        findings += [f"{reader.language} {url}  {finding}" for finding in code_words(visible_text(response.content.decode()), french=reader.french)]
    return pages, sorted(set(findings))


@pytest.mark.parametrize("reader", READERS, ids=lambda r: f"{r.username}-{r.language}")
def test_the_back_office_and_the_review_speak_words(client, reader):
    call_command("seed_demo")
    user = get_user_model().objects.get(username=reader.username)
    urls = list(_admin_urls(user))
    if reader.username == "administrateur":
        urls += list(_review_urls())
    pages, findings = _read_all(client, reader, iter(urls))
    assert pages > 70
    assert findings == [], f"{len(findings)} words of code on {pages} pages:\n" + "\n".join(findings)


@pytest.mark.parametrize("reader", MEMBERS, ids=lambda r: f"{r.username}-{r.language}")
def test_the_portal_of_a_member_speaks_words(client, reader):
    call_command("seed_demo")
    member = get_user_model().objects.get(username=reader.username)
    pages, findings = _read_all(client, reader, _portal_urls(member))
    assert pages >= 5
    assert findings == [], f"{len(findings)} words of code on {pages} pages:\n" + "\n".join(findings)


@pytest.mark.parametrize(
    ("text", "french", "finding"),
    [
        ("Statut : draft → approved", True, "status code: draft in Statut : draft → approved"),
        ("Approuvée par : Deleted utilisateur (pk=None)", True, "None: Approuvée par : Deleted utilisateur (pk=None)"),
        ("Données : {\"rule\": \"proportional\"}", False, "JSON: Données : {\"rule\": \"proportional\"}"),
        ("Créé le 30 novembre 2026, 20 08", True, "time without h: Créé le 30 novembre 2026, 20 08"),
        ("Approuvée le 2026-11-30 01:31:10.877621+00:00", True, "raw timestamp: Approuvée le 2026-11-30 01:31:10.877621+00:00"),
        ("Total CA$9,500.00", False, "CA$: Total CA$9,500.00"),
        ("Règle CostPoolResource", False, "class name: Règle CostPoolResource"),
        ("Save and add another", True, "English: Save and add another"),
        ("Budget annuel 1250000.00", True, "decimal point in French: Budget annuel 1250000.00"),
        ("Sélectionnez l’objet partenaire à changer", True, "Django admin's stock phrase: Sélectionnez l’objet partenaire à changer"),
        ("Versement · 2026-04-01 · 6 000,00 $", True, "ISO date: Versement · 2026-04-01 · 6 000,00 $"),
        ("Date de début : 1 avril 2026", True, "first of the month without er: Date de début : 1 avril 2026"),
    ],
)
def test_the_reader_finds_the_words_of_code_of_the_issue(text, french, finding):
    assert finding in code_words([text], french=french)


@pytest.mark.parametrize(
    ("text", "french"),
    [
        ("Créé le 30 novembre 2026, 20 h 08 · 9 500,00 $ · Retenu · 1er avril 2026 · 2026-2027", True),
        ("Statut : Brouillon → Approuvée", True),
        ("Held · usage · 8:25 p.m. · None available", False),
    ],
)
def test_the_reader_passes_words(text, french):
    assert code_words([text], french=french) == []
