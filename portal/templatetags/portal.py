from datetime import date, datetime

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from moneyed import Money

from grants.holds import hold_words
from grants.models import Instalment
from ledger.dates import date_words, datetime_words
from ledger.models import Membership
from ledger.money import money_format
from ledger.words import de_name, file_size_words, person_words

register = template.Library()


@register.filter
def money(value: Money | None) -> str:
    """An amount written as a reader of the active language writes it."""
    return money_format(value) if value is not None else ""


@register.filter(name="de_name")
def of_name(name: str) -> str:
    """A name as French writes it after "de" ("d’Aire ouverte"), for a sentence's ``of_…`` part."""
    return de_name(name)


@register.filter
def long_date(value: date | datetime | None) -> str:
    """``1er avril 2026`` (Django writes ``1 avril``), ``December 27, 2026``."""
    return date_words(value)


@register.filter
def long_datetime(value: datetime | None) -> str:
    """``1er avril 2026, 20 h 25``, ``April 1, 2026, 8:25 p.m.``, on the local clock."""
    return datetime_words(value)


@register.filter
def held_because(instalment: Instalment) -> str:
    """Why the instalment is held, in the reader's language, its dates as they write them."""
    return hold_words(instalment)


@register.filter
def person(user) -> str:
    """A person by their name, else their username."""
    return person_words(user) if user else ""


@register.filter
def file_size(value: int | None) -> str:
    """``42,2 Ko``, ``1,5 Mo``; ``42.2 KB`` in English."""
    return "" if value is None else file_size_words(value)


def _labels() -> dict[str, str]:
    return {
        "accepted": _("Accepted"),
        "submitted": _("Submitted, under review"),
        "changes_requested": _("Changes requested"),
        "late": _("Late"),
        "due": _("To do"),
    }


@register.simple_tag
def report_badge(state: str) -> str:
    return format_html('<span class="badge badge--{}">{}</span>', state, _labels().get(state, state))


@register.simple_tag(takes_context=True)
def organisations_to_switch(context) -> bool:
    """Whether the person belongs to several organisations: every page then offers to switch (one query)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user).values("party").distinct().count() > 1
