from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from moneyed import Money

from ledger.money import money_format

register = template.Library()


@register.filter
def money(value: Money | None) -> str:
    """An amount written as a reader of the active language writes it."""
    return money_format(value) if value is not None else ""


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
