"""Names on the server-drawn charts: escaped, and whole on two lines when long."""

from ledger.svg import name_label


def test_a_short_name_is_one_escaped_line_ending_at_its_right_edge():
    assert name_label("Parents & Jeunes <Nord>", right=232, baseline=73, first_baseline=67) == (
        '<text x="232" y="73" text-anchor="end" fill="#1b1f24">Parents &amp; Jeunes &lt;Nord&gt;</text>'
    )


def test_a_long_name_is_whole_on_two_lines_and_a_longer_one_ends_with_an_ellipsis():
    assert name_label("Carrefour jeunesse-emploi des Hautes-Laurentides", right=250, baseline=20, first_baseline=13) == (
        '<text text-anchor="end" fill="#1b1f24"><tspan x="250" y="13">Carrefour jeunesse-emploi des</tspan>'
        '<tspan x="250" y="26">Hautes-Laurentides</tspan></text>'
    )
    assert name_label("Carrefour jeunesse-emploi des Hautes-Laurentides", right=132, baseline=20, first_baseline=13) == (
        '<text text-anchor="end" fill="#1b1f24"><tspan x="132" y="13">Carrefour</tspan>'
        '<tspan x="132" y="26">jeunesse-emploi…</tspan></text>'
    )
