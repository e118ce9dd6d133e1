"""The review's tables, once, for the page, the PDF and the spreadsheet.

A cell keeps both its text (as the active language writes it) and its raw
value (for the spreadsheet, which formats numbers itself).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ledger.dates import date_words
from portal.review.charts import Bar, effort_chart, share_chart
from portal.review.composition import GroupReview, Review, ReviewLine
from portal.review.formats import money, number, percent, ratio
from sharedcosts.fairness import PoolFairness


@dataclass(frozen=True)
class Cell:
    text: str
    value: Any = None
    numeric: bool = False
    kind: str = "text"  # text, money, percent, ratio, number


@dataclass
class Row:
    cells: list[Cell]
    flagged: bool = False
    outside: bool = False


@dataclass
class Table:
    uid: str
    title: str
    caption: str
    columns: list[str]
    rows: list[Row]
    low: Decimal
    high: Decimal
    bars: list[Bar] = field(default_factory=list)
    note: str = ""
    error: str = ""
    sheet: str = ""  # the spreadsheet's name for it: short (31 characters at most) and distinct

    @property
    def css(self) -> str:
        return "review-table--parties" if len(self.columns) == len(party_columns()) else "review-table--groups"

    @property
    def rows_html(self) -> SafeString:
        """The body of the full table, written here rather than by template loops: a review has thousands of rows."""
        out = []
        for row in self.rows:
            cells = row.cells
            out.append('<tr class="flagged">' if row.flagged else "<tr>")
            out.append(f'<th scope="row">{escape(cells[0].text)}</th>')
            for cell in cells[1:-1]:
                # A declaration of means is a figure with its source and date: it wraps, where amounts stay on one line.
                css = "num wrap" if cell.kind == "number" else "num" if cell.numeric else ""
                out.append(f'<td class="{css}">{escape(cell.text)}</td>' if css else f"<td>{escape(cell.text)}</td>")
            last = escape(cells[-1].text)
            if row.flagged:
                last = f'<span class="flag-text"><span aria-hidden="true">⚠ </span>{last}</span>'
            out.append(f"<td>{last}</td></tr>")
        return mark_safe("".join(out))

    def _chart_rows(self, kind: str) -> SafeString:
        offset = 0 if len(self.columns) == len(party_columns()) else -1
        yes, no = escape(_("Yes")), escape(_("No"))
        out = []
        for row in self.rows:
            cells = row.cells
            out.append('<tr class="flagged">' if row.flagged else "<tr>")
            out.append(f'<th scope="row">{escape(cells[0].text)}</th>')
            if kind == "shares":
                out.append(
                    f'<td class="num">{escape(cells[2 + offset].text)}</td><td class="num">{escape(cells[4 + offset].text)}</td>'
                )
            else:
                value = cells[6 + offset]
                within = "—" if value.value is None else no if row.outside else yes
                out.append(f'<td class="num">{escape(value.text)}</td><td>{within}</td>')
            out.append("</tr>")
        return mark_safe("".join(out))

    @property
    def share_rows_html(self) -> SafeString:
        return self._chart_rows("shares")

    @property
    def effort_rows_html(self) -> SafeString:
        return self._chart_rows("effort")

    @property
    def share_svg(self):
        return share_chart(uid=f"{self.uid}-shares", title=_("Cost share and means share: %(title)s") % {"title": self.title}, bars=self.bars)

    @property
    def effort_svg(self):
        return effort_chart(
            uid=f"{self.uid}-effort",
            title=_("Effort ratios against the tolerance: %(title)s") % {"title": self.title},
            bars=self.bars,
            low=self.low,
            high=self.high,
        )


def fold_css() -> SafeString:
    """On a phone a review row becomes a card: each figure after its column's name (CSS, not repeated in every cell)."""
    rules = []
    for css, columns in (("review-table--parties", party_columns()), ("review-table--groups", group_columns(""))):
        for index, column in enumerate(columns[1:], start=2):
            label = column.replace("\\", "").replace('"', "'").replace("<", "")
            rules.append(f'.{css} tbody > tr > :nth-child({index})::before {{ content: "{label}"; }}')
    return mark_safe("@media (max-width: 48rem) {" + " ".join(rules) + "}")


def _money(value) -> Cell:
    return Cell(money(value), value.amount if value is not None else None, True, "money")


def _pct(value: Decimal | None) -> Cell:
    return Cell(percent(value), value, True, "percent")


def _ratio(value: Decimal | None) -> Cell:
    return Cell(ratio(value), value, True, "ratio")


def _flags(line: ReviewLine) -> Cell:
    if line.exempt and line.party is not None and not line.flags:
        return Cell(_("Exempt"), _("Exempt"))
    text = " ".join(flag.message for flag in line.flags)
    return Cell(text, text)


def _means(line: ReviewLine) -> Cell:
    if line.declaration is None:
        return Cell("—", None, True, "number")
    declaration = line.declaration
    text = _("%(value)s (%(source)s, %(date)s)") % {
        "value": number(declaration.value),
        "source": declaration.source,
        "date": date_words(declaration.as_of),
    }
    return Cell(text, declaration.value, True, "number")


def _bar(line: ReviewLine) -> Bar:
    return Bar(line.label, line.means_share, line.cost_share, line.effort_ratio, line.outside_tolerance)


def party_columns() -> list[str]:
    return [
        _("Party"),
        _("Means (declaration)"),
        _("Share of the means"),
        _("Cost borne"),
        _("Share of the cost"),
        _("In kind credited"),
        _("Effort ratio"),
        _("Grants received in the year"),
        _("Net position"),
        _("Flags"),
    ]


def group_columns(first: str) -> list[str]:
    return [first, *party_columns()[2:]]


def _party_row(line: ReviewLine) -> Row:
    return Row(
        [
            Cell(line.label, line.label),
            _means(line),
            _pct(line.means_share),
            _money(line.cost),
            _pct(line.cost_share),
            _money(line.in_kind),
            _ratio(line.effort_ratio),
            _money(line.grants),
            _money(line.net),
            _flags(line),
        ],
        flagged=line.flagged,
        outside=line.outside_tolerance,
    )


def _group_row(line: ReviewLine) -> Row:
    row = _party_row(line)
    del row.cells[1]
    return row


def pool_table(review: PoolFairness) -> Table:
    pool = review.pool
    caption = _(
        "%(rule)s · cost %(total)s · %(start)s to %(end)s · shares from the %(basis)s · tolerance %(low)s to %(high)s"
    ) % {
        "rule": review.rule_label,
        "total": money(review.total),
        "start": date_words(pool.start_date),
        "end": date_words(pool.end_date),
        "basis": review.basis_label,
        "low": ratio(review.low),
        "high": ratio(review.high),
    }
    return Table(
        uid=f"pool-{pool.pk}",
        title=pool.name,
        sheet=pool.name,
        caption=caption,
        columns=party_columns(),
        rows=[_party_row(line) for line in review.lines],
        low=review.low,
        high=review.high,
        bars=[_bar(line) for line in review.lines if not line.exempt],
        error=review.error,
    )


def group_table(group: GroupReview, *, uid: str, title: str, sheet: str, first: str, by_party: bool) -> Table:
    caption = _("All pools of the year in %(currency)s · cost %(total)s · tolerance %(low)s to %(high)s") % {
        "currency": group.currency,
        "total": money(group.total),
        "low": ratio(group.low),
        "high": ratio(group.high),
    }
    return Table(
        uid=f"{uid}-{group.currency.lower()}",
        title=title,
        sheet=f"{sheet} {group.currency}",
        caption=caption,
        columns=party_columns() if by_party else group_columns(first),
        rows=[(_party_row if by_party else _group_row)(line) for line in group.lines],
        low=group.low,
        high=group.high,
        bars=[_bar(line) for line in group.lines if not line.exempt],
        note=_(
            "Across pools, the share of the means is each pool's share of the means weighted by the pool's cost, "
            "so that pools measured differently add up."
        ),
    )


def review_tables(review: Review) -> dict[str, list[Table]]:
    return {
        "overall": [
            group_table(g, uid="all", title=_("All pools, by party"), sheet=_("By party"), first=_("Party"), by_party=True)
            for g in review.by_party
        ],
        "sectors": [
            group_table(
                g, uid="sector", title=_("All pools, by sector of the territory"), sheet=_("By sector"), first=_("Sector"), by_party=False
            )
            for g in review.by_sector
        ],
        "kinds": [
            group_table(
                g, uid="kind", title=_("All pools, by kind of partner"), sheet=_("By kind"), first=_("Kind of partner"), by_party=False
            )
            for g in review.by_kind
        ],
        "pools": [pool_table(pool) for pool in review.pools],
    }


def all_tables(review: Review) -> list[Table]:
    tables = review_tables(review)
    return [*tables["overall"], *tables["sectors"], *tables["kinds"], *tables["pools"]]
