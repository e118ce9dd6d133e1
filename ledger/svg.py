"""Pieces of the SVG charts drawn on the server (the review's, the travel rotation's)."""

import textwrap

from django.utils.html import escape

CHAR_W = 7.4  # an average character of DejaVu Sans at 12 px: names wrap with it so that none runs past its room
LINE_H = 13


def name_label(name: str, *, right: int, baseline: int, first_baseline: int) -> str:
    """A name ending at ``right``: on one line at ``baseline``, or whole on two from ``first_baseline``.

    Past two lines it ends with "…".
    """
    lines = textwrap.wrap(name, width=int((right - 4) / CHAR_W), max_lines=2, placeholder="…") or [""]
    if len(lines) == 1:
        return f'<text x="{right}" y="{baseline}" text-anchor="end" fill="#1b1f24">{escape(lines[0])}</text>'
    spans = "".join(
        f'<tspan x="{right}" y="{first_baseline + index * LINE_H}">{escape(line)}</tspan>' for index, line in enumerate(lines)
    )
    return f'<text text-anchor="end" fill="#1b1f24">{spans}</text>'
