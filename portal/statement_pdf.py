"""A party's statement as a PDF, drawn with ReportLab in its bundled Vera font (French accents, œ, ’)."""

import io

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ledger.dates import date_words
from ledger.money import money_format
from ledger.selectors import Statement
from ledger.words import de_name
from portal.pdf import FONT, FONT_BOLD, escape, fonts_register


CELL_PADDING = 6  # points on each side: ReportLab's default for a table cell
COLUMNS = [22 * mm, 30 * mm, 62 * mm, 28 * mm, 28 * mm]


def _wrapped(text: str, width: float, style: ParagraphStyle) -> str | Paragraph:
    """``text`` broken into lines that fit ``width``, as plain text, which is drawn as typed.

    A Paragraph parses its text as markup and measures it word by word: in a
    statement of a year, its rows cost most of the PDF. It is kept for a word
    too long for the column, which only it splits.
    """
    lines = simpleSplit(str(text), style.fontName, style.fontSize, width)
    if any(stringWidth(line, style.fontName, style.fontSize) > width for line in lines):
        return Paragraph(escape(str(text)), style)
    return "\n".join(lines)


def statement_pdf(*, statement: Statement, kinds: dict[str, str], period_label: str) -> bytes:
    fonts_register()
    buffer = io.BytesIO()
    title = _("Statement of %(of_party)s") % {"of_party": de_name(statement.party.name)}
    document = SimpleDocTemplate(
        buffer, pagesize=letter, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title=title, author="Aire ouverte",
    )
    heading = ParagraphStyle("heading", fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=6)
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=10.5)
    story = [
        Paragraph(escape(title), heading),
        Paragraph(escape(_("Period: %(period)s (%(start)s to %(end)s)") % {
            "period": period_label,
            "start": date_words(statement.start),
            "end": date_words(statement.end),
        }), body),
        Paragraph(escape(_("Currency: %(currency)s") % {"currency": statement.currency}), body),
        Spacer(1, 4 * mm),
        Paragraph(escape(_("Opening balance: %(amount)s") % {"amount": money_format(statement.opening)}), body),
        Spacer(1, 3 * mm),
    ]
    rows = [[_("Date"), _("Movement"), _("Description"), _("Amount"), _("Balance")]]
    kind_width, memo_width = (COLUMNS[column] - 2 * CELL_PADDING for column in (1, 2))
    for line in statement.lines:
        rows.append([
            date_words(line.date),
            _wrapped(kinds.get(line.kind, line.kind), kind_width, cell),
            _wrapped(line.memo or "", memo_width, cell),
            money_format(line.amount),
            money_format(line.balance),
        ])
    if len(rows) == 1:
        rows.append(["", "", Paragraph(escape(_("No movement in this period.")), cell), "", ""])
    table = Table(rows, colWidths=COLUMNS, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, cell.fontSize, cell.leading),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, cell.fontSize, cell.leading),
        ("ALIGN", (3, 0), (4, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
    ]))
    story += [
        table,
        Spacer(1, 4 * mm),
        Paragraph(escape(_("Closing balance: %(amount)s") % {"amount": money_format(statement.closing)}), heading),
    ]
    document.build(story)
    return buffer.getvalue()
