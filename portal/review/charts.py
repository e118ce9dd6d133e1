"""Charts of the review, drawn on the server as SVG.

Each chart is a plain ``<svg role="img">`` with a title and a description
for screen readers, text labels on every bar, patterns beside colours (so it
reads in black and white print), and no script. The page puts the same
figures in a table beside each chart.
"""

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ledger.svg import CHAR_W, name_label
from portal.review.formats import percent, ratio

WIDTH = 760
LABEL_W = 240
RIGHT_PAD = 130
ROW_H = 30
TOP = 56
# The width of an average character of a title (DejaVu Sans at 16 px): titles wrap
# with it, as names do with ledger.svg.CHAR_W, so that no text runs past the chart.
TITLE_CHAR_W = 9.6
TITLE_LINE_H = 19


@dataclass(frozen=True)
class Bar:
    label: str
    means_share: Decimal | None
    cost_share: Decimal | None
    effort_ratio: Decimal | None
    flagged: bool


def _title_lines(title: str) -> list[str]:
    return textwrap.wrap(title, width=int((WIDTH - 16) / TITLE_CHAR_W)) or [""]


def _value_label(*, end: float, y: float, text: str, weight: str = "") -> str:
    """The figure after its bar, or inside the bar's end in white when it would run past the chart."""
    if end + 4 + len(text) * CHAR_W <= WIDTH - 4:
        return f'<text x="{end + 4:.1f}" y="{y}" fill="#1b1f24"{weight}>{escape(text)}</text>'
    return f'<text x="{end - 4:.1f}" y="{y}" text-anchor="end" fill="#ffffff"{weight}>{escape(text)}</text>'


def _open(uid: str, title: str, desc: str, height: int) -> list[str]:
    """The chart's frame and title; a title of two lines pushes the drawing down (``<g>`` closed by ``_close``)."""
    lines = _title_lines(title)
    extra = (len(lines) - 1) * TITLE_LINE_H
    heading = "".join(
        f'<text x="8" y="{20 + index * TITLE_LINE_H}" font-size="15" font-weight="bold" fill="#1b1f24">{escape(line)}</text>'
        for index, line in enumerate(lines)
    )
    return [
        f'<svg class="review-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height + extra}" '
        f'width="100%" role="img" aria-labelledby="{uid}-title {uid}-desc" font-family="DejaVu Sans, Verdana, sans-serif" font-size="12">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(desc)}</desc>',
        "<defs>"
        f'<pattern id="{uid}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#0b5d57" stroke-width="3"/></pattern>'
        "</defs>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{height + extra}" fill="#ffffff"/>',
        heading,
        f'<g transform="translate(0 {extra})">',
    ]


def _close() -> str:
    return "</g></svg>"


def share_chart(*, uid: str, title: str, bars: Sequence[Bar]) -> SafeString:
    """Per party, two bars: its share of the means (hatched) and its share of the cost (solid)."""
    height = TOP + ROW_H * len(bars) + 30
    scale_max = max([b.means_share or 0 for b in bars] + [b.cost_share or 0 for b in bars] + [Decimal("0.01")])
    plot_w = WIDTH - LABEL_W - RIGHT_PAD
    desc = _("For each party, its share of the total means beside its share of the total cost.")
    means_legend, cost_legend, no_means = _("Share of the means"), _("Share of the cost"), _("no means")
    out = _open(uid, title, desc, height)
    out.append(
        f'<rect x="{LABEL_W}" y="30" width="14" height="10" fill="url(#{uid}-hatch)" stroke="#0b5d57"/>'
        f'<text x="{LABEL_W + 20}" y="39" fill="#1b1f24">{escape(means_legend)}</text>'
        f'<rect x="{LABEL_W + 200}" y="30" width="14" height="10" fill="#1b1f24"/>'
        f'<text x="{LABEL_W + 220}" y="39" fill="#1b1f24">{escape(cost_legend)}</text>'
    )
    for index, bar in enumerate(bars):
        y = TOP + index * ROW_H
        out.append(f'<g><title>{escape(bar.label)}</title>')
        out.append(name_label(bar.label, right=LABEL_W - 8, baseline=y + 17, first_baseline=y + 11))
        for offset, value, fill, stroke in (
            (2, bar.means_share, f"url(#{uid}-hatch)", "#0b5d57"),
            (15, bar.cost_share, "#1b1f24", "#1b1f24"),
        ):
            if value is None:
                out.append(f'<text x="{LABEL_W + 4}" y="{y + offset + 10}" fill="#4a5360">{escape(no_means)}</text>')
                continue
            w = float(value / scale_max) * plot_w
            out.append(
                f'<rect x="{LABEL_W}" y="{y + offset}" width="{w:.1f}" height="11" fill="{fill}" stroke="{stroke}" stroke-width="0.8"/>'
                + _value_label(end=LABEL_W + w, y=y + offset + 10, text=percent(value))
            )
        out.append("</g>")
    out.append(
        f'<line x1="{LABEL_W}" y1="{TOP - 4}" x2="{LABEL_W}" y2="{height - 26}" stroke="#4a5360" stroke-width="1"/>'
    )
    out.append(_close())
    return mark_safe("".join(out))


def _axis_step(largest: Decimal) -> Decimal:
    return Decimal("0.5") if largest <= 4 else Decimal(1) if largest <= 10 else Decimal(5)


def _axis_end(largest: Decimal) -> Decimal:
    """Where the ratio axis ends: the first tick at or past the largest value, so that every bar ends over the axis."""
    step = _axis_step(largest)
    return (largest / step).to_integral_value(rounding=ROUND_CEILING) * step


def effort_chart(*, uid: str, title: str, bars: Sequence[Bar], low: Decimal, high: Decimal) -> SafeString:
    """Per party, its effort ratio as a bar from 0, over the shaded tolerance band; 1 is fair."""
    shown = list(bars)
    height = TOP + ROW_H * len(shown) + 40
    top_value = _axis_end(max([b.effort_ratio or 0 for b in shown] + [high * Decimal("1.2"), Decimal(2)]))
    step = _axis_step(top_value)
    plot_w = WIDTH - LABEL_W - RIGHT_PAD

    def x(value: Decimal) -> float:
        return LABEL_W + float(value / top_value) * plot_w

    desc = _(
        "For each party, its effort ratio: 1 means it bears exactly its share of the means. "
        "The shaded band is the tolerance, from %(low)s to %(high)s; parties outside it are marked."
    ) % {"low": ratio(low), "high": ratio(high)}
    no_ratio = _("no ratio")
    band = _("tolerance %(low)s–%(high)s") % {"low": ratio(low), "high": ratio(high)}
    out = _open(uid, title, desc, height)
    bottom = height - 30
    out.append(
        f'<rect x="{x(low):.1f}" y="{TOP - 8}" width="{x(high) - x(low):.1f}" height="{bottom - TOP + 8}" '
        f'fill="#e8f5ec" stroke="#17613a" stroke-dasharray="4 3"/>'
        f'<text x="{(x(low) + x(high)) / 2:.1f}" y="{TOP - 12}" text-anchor="middle" fill="#17613a">{escape(band)}</text>'
        f'<line x1="{x(Decimal(1)):.1f}" y1="{TOP - 8}" x2="{x(Decimal(1)):.1f}" y2="{bottom}" stroke="#1b1f24" stroke-width="1.5"/>'
    )
    tick = Decimal(0)
    while tick <= top_value:
        out.append(
            f'<line x1="{x(tick):.1f}" y1="{bottom}" x2="{x(tick):.1f}" y2="{bottom + 5}" stroke="#4a5360"/>'
            f'<text x="{x(tick):.1f}" y="{bottom + 18}" text-anchor="middle" fill="#4a5360">{escape(ratio(tick))}</text>'
        )
        tick += step
    for index, bar in enumerate(shown):
        y = TOP + index * ROW_H
        out.append(f'<g><title>{escape(bar.label)}</title>')
        out.append(name_label(bar.label, right=LABEL_W - 8, baseline=y + 17, first_baseline=y + 11))
        if bar.effort_ratio is None:
            out.append(f'<text x="{LABEL_W + 4}" y="{y + 17}" fill="#4a5360">{escape(no_ratio)}</text></g>')
            continue
        end = x(bar.effort_ratio)
        fill = "#a1161b" if bar.flagged else "#0b5d57"
        mark = " ⚠ " + _("outside") if bar.flagged else ""
        outline = ' stroke-dasharray="3 2" stroke="#1b1f24"' if bar.flagged else ""
        weight = ' font-weight="bold"' if bar.flagged else ""
        out.append(
            f'<rect x="{LABEL_W}" y="{y + 6}" width="{end - LABEL_W:.1f}" height="14" fill="{fill}"{outline}/>'
            + _value_label(end=end, y=y + 17, text=ratio(bar.effort_ratio) + mark, weight=weight)
            + "</g>"
        )
    out.append(f'<line x1="{LABEL_W}" y1="{bottom}" x2="{WIDTH - RIGHT_PAD}" y2="{bottom}" stroke="#4a5360"/>')
    out.append(_close())
    return mark_safe("".join(out))
