"""A rotation as people read it: a bar chart of each member's travel cost, drawn as SVG, and the rows of its table.

The chart is a plain ``<svg role="img">`` with a title and a description,
a text label on every bar, the most and least burdened marked in words as
well as in colour, and no script; the same figures stand in the table
beside it. Shared by the admin's rotation page and the review.
"""

from decimal import Decimal

from babel.numbers import format_decimal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from ledger.dates import date_words
from ledger.money import money_format
from ledger.svg import name_label
from sharedcosts.travel.rotation import Rotation

WIDTH = 760
LABEL_W = 250
RIGHT_PAD = 200
ROW_H = 32
TOP = 50


def km_text(value: Decimal) -> str:
    """Kilometres as a reader of the active language writes them: ``1 234,5 km`` in French."""
    return format_decimal(value, format="#,##0.0", locale=to_locale(get_language() or "fr-ca")) + "\u00a0km"


def _marks(rotation: Rotation) -> tuple[set[int], set[int]]:
    """The most and the least burdened members (several when tied), when the burdens differ."""
    if not rotation.burdens or not rotation.spread.amount:
        return set(), set()
    top = max(burden.cost for burden in rotation.burdens)
    bottom = min(burden.cost for burden in rotation.burdens)
    return (
        {b.party.pk for b in rotation.burdens if b.cost == top},
        {b.party.pk for b in rotation.burdens if b.cost == bottom},
    )


def rotation_chart(rotation: Rotation, *, uid: str) -> SafeString:
    """Per member, a bar of its cumulative travel cost over the period, with its km and how often it hosted."""
    burdens = rotation.burdens
    height = TOP + ROW_H * len(burdens) + 20
    plot_w = WIDTH - LABEL_W - RIGHT_PAD
    largest = max([b.cost.amount for b in burdens] + [Decimal("0.01")])
    most, least = _marks(rotation)
    title = _("Travel cost of each member")
    desc = _("For each member of %(group)s, what its travel to the meetings cost in the period; the spread is %(spread)s.") % {
        "group": rotation.group.name,
        "spread": money_format(rotation.spread),
    }
    out = [
        f'<svg class="review-chart travel-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{uid}-title {uid}-desc" font-family="DejaVu Sans, Verdana, sans-serif" font-size="12">',
        f'<title id="{uid}-title">{escape(title)}</title><desc id="{uid}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="8" y="20" font-size="15" font-weight="bold" fill="#1b1f24">{escape(title)}</text>',
    ]
    for index, burden in enumerate(burdens):
        y = TOP + index * ROW_H
        width = float(burden.cost.amount / largest) * plot_w
        fill = "#a1161b" if burden.party.pk in most else "#17613a" if burden.party.pk in least else "#0b5d57"
        note = _("most burdened") if burden.party.pk in most else _("least burdened") if burden.party.pk in least else ""
        label = money_format(burden.cost) + (f" · {note}" if note else "")
        out.append(
            f"<g><title>{escape(burden.party.name)}</title>"
            + name_label(burden.party.name, right=LABEL_W - 8, baseline=y + 20, first_baseline=y + 13)
            + f'<rect x="{LABEL_W}" y="{y + 9}" width="{width:.1f}" height="14" fill="{fill}"/>'
            f'<text x="{LABEL_W + width + 4:.1f}" y="{y + 20}" fill="#1b1f24">{escape(label)}</text></g>'
        )
    out.append(f'<line x1="{LABEL_W}" y1="{TOP - 4}" x2="{LABEL_W}" y2="{height - 14}" stroke="#4a5360"/></svg>')
    return mark_safe("".join(out))


def rotation_context(rotation: Rotation, *, uid: str) -> dict:
    """What the rotation's template shows: the chart, the table's rows and the suggestion, already written out."""
    most, least = _marks(rotation)
    suggested = rotation.suggested
    return {
        "rotation": rotation,
        "uid": uid,
        "chart": rotation_chart(rotation, uid=uid),
        "start": date_words(rotation.start),
        "end": date_words(rotation.end),
        "next_on": date_words(rotation.next_on),
        "rows": [
            {
                "name": burden.party.name,
                "hosted": burden.hosted,
                "in_person": burden.in_person,
                "remote": burden.remote,
                "km": km_text(burden.km),
                "cost": money_format(burden.cost),
                "volunteers": burden.volunteers_to_host,
                "mark": _("most burdened") if burden.party.pk in most else _("least burdened") if burden.party.pk in least else "",
                "suggested": suggested is not None and suggested.host.pk == burden.party.pk,
            }
            for burden in rotation.burdens
        ],
        "spread": money_format(rotation.spread),
        "total_cost": money_format(rotation.total_cost),
        "total_km": km_text(rotation.total_km),
        "suggested": suggested.host.name if suggested else "",
        "suggested_spread": money_format(suggested.spread) if suggested else "",
        "options": [{"name": option.host.name, "spread": money_format(option.spread)} for option in rotation.options],
    }
