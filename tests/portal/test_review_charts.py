"""The review's charts: an axis that covers every bar, the tolerance named in the reader's language."""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from portal.review.charts import LABEL_W, RIGHT_PAD, WIDTH, Bar, effort_chart


def _chart(language: str, largest: Decimal) -> str:
    bars = [
        Bar("Maison des jeunes de Saint-Jérôme", Decimal("0.05"), Decimal("0.19"), largest, True),
        Bar("CISSS — Santé mentale jeunesse", Decimal("0.60"), Decimal("0.40"), Decimal("0.659"), True),
    ]
    with translation.override(language):
        return str(effort_chart(uid="e", title="Pool", bars=bars, low=Decimal("0.80"), high=Decimal("1.25")))


def _ticks(svg: str) -> list[str]:
    return re.findall(r'text-anchor="middle" fill="#4a5360">([^<]+)</text>', svg)


@pytest.mark.parametrize(("largest", "last_tick"), [(Decimal("3.9"), "4,00"), (Decimal("3.5"), "3,50"), (Decimal("6.76"), "7,00")])
def test_the_ratio_axis_ends_at_a_tick_past_the_largest_bar(largest, last_tick):
    svg = _chart("fr-ca", largest)
    assert _ticks(svg)[-1] == last_tick
    ends = [float(x) + float(w) for x, w in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="14"', svg)]
    assert max(ends) <= WIDTH - RIGHT_PAD + 0.1
    assert f'x1="{LABEL_W}" y1=' in svg


@pytest.mark.parametrize(
    ("language", "band", "value"),
    [("fr-ca", ">tolérance 0,80–1,25</text>", ">0,66 ⚠ hors tolérance<"), ("en", ">tolerance 0.80–1.25</text>", ">0.66 ⚠ outside<")],
)
def test_the_tolerance_band_is_named_in_the_readers_language(language, band, value):
    svg = _chart(language, Decimal("3.9"))
    assert band in svg
    assert value in svg
