"""The rotation's chart: every member's whole name beside its bar."""

from types import SimpleNamespace

from django.utils import translation
from moneyed import Money

from sharedcosts.travel.display import rotation_chart

NAMES = ["Carrefour jeunesse-emploi des Hautes-Laurentides", "Maison des jeunes des Hautes-Laurentides", "Ville"]


def _rotation():
    burdens = [
        SimpleNamespace(party=SimpleNamespace(pk=index, name=name), cost=Money(cost, "CAD"))
        for index, (name, cost) in enumerate(zip(NAMES, ["631.80", "631.80", "41.04"], strict=True))
    ]
    return SimpleNamespace(burdens=burdens, group=SimpleNamespace(name="Table"), spread=Money("590.76", "CAD"))


def test_a_long_name_wraps_over_two_lines_whole_never_cut():
    with translation.override("fr-ca"):
        svg = str(rotation_chart(_rotation(), uid="t"))
    assert "…" not in svg
    assert ">Carrefour jeunesse-emploi des</tspan>" in svg and ">Hautes-Laurentides</tspan>" in svg
    assert ">Maison des jeunes des Hautes-</tspan>" in svg or ">Maison des jeunes des</tspan>" in svg
    assert 'text-anchor="end" fill="#1b1f24">Ville</text>' in svg
