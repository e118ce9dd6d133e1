"""The review as files for the meeting: a spreadsheet (XLSX) and a PDF.

Both come from the same tables as the page (:mod:`portal.review.tables`).
The PDF uses the Vera fonts bundled with ReportLab, which have the accents
French needs.
"""

import io
import re
from pathlib import Path

import reportlab
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import CondPageBreak, KeepTogether, LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from ledger.dates import date_words
from portal.pdf import escape
from portal.review.composition import Review
from portal.review.tables import Table, all_tables
from spreadsheets.writing import sheet_append

NUMBER_FORMATS = {"money": "#,##0.00", "percent": "0.0%", "ratio": "0.00"}
FLAG_FILL = PatternFill("solid", fgColor="FDECEC")
HEAD_FILL = PatternFill("solid", fgColor="DCE7E6")


SHEET_NAME_LIMIT = 31  # Excel's
ELLIPSIS = "…"
# Little words a shortened name does not end on ("Formation premiers soins en…" reads as cut).
_DANGLING = {"à", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou", "par", "pour", "sur",
             "a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to"}


def _number_format(value) -> str:
    """A plain number's format: whole as ``1 250 000``, with its cents otherwise (never ``1 250 000,``)."""
    return "#,##0" if value == int(value) else "#,##0.00"


def _words_within(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters; else its first whole words and "…" (a word cut if it is alone)."""
    if len(text) <= limit:
        return text
    words = text[: limit - len(ELLIPSIS) + 1].split(" ")[:-1]
    while words and (words[-1].strip(" ,·—-’'").casefold() in _DANGLING or not words[-1].strip(" ,·—-")):
        words.pop()
    kept = " ".join(words).rstrip(" ,·—-")
    return (kept or text[: limit - len(ELLIPSIS)]) + ELLIPSIS


def _sheet_name(title: str, used: set[str]) -> str:
    """A sheet's name: the table's short name, whole words, distinct from the others (numbered if it must be)."""
    clean = re.sub(r"[\[\]:*?/\\]", "-", title).strip(" '") or "-"
    name, n = _words_within(clean, SHEET_NAME_LIMIT), 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name = _words_within(clean, SHEET_NAME_LIMIT - len(suffix)) + suffix
        n += 1
    used.add(name.casefold())
    return name


def review_xlsx_bytes(review: Review) -> bytes:
    """One summary sheet, then one sheet per table; numbers stay numbers."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = _sheet_name(_("Summary"), used := set())
    sheet_append(summary, [_("Fairness review of the fiscal year %(period)s") % {"period": review.period}])
    summary["A1"].font = Font(bold=True, size=14)
    sheet_append(summary, [_("Made on %(date)s") % {"date": date_words(timezone.localdate())}])
    sheet_append(summary, [])
    sheet_append(summary, [_("Table"), _("Rows"), _("Flagged rows")])
    for cell in summary[4]:
        cell.font = Font(bold=True)
    tables = all_tables(review)
    for table in tables:
        sheet_append(summary, [table.title, len(table.rows), sum(1 for row in table.rows if row.flagged)])
    summary.column_dimensions["A"].width = 60
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.sheet or table.title, used))
        sheet_append(sheet, [table.title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet_append(sheet, [table.caption])
        if table.error:
            sheet_append(sheet, [table.error])
        sheet_append(sheet, [])
        sheet_append(sheet, table.columns)
        head = sheet.max_row
        for cell in sheet[head]:
            cell.font, cell.fill = Font(bold=True), HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet_append(sheet, [cell.value if cell.numeric or cell.value is not None else cell.text for cell in row.cells])
            for cell, source in zip(sheet[sheet.max_row], row.cells, strict=True):
                if source.numeric and source.kind == "number" and source.value is not None:
                    cell.number_format = _number_format(source.value)
                elif source.numeric and source.kind in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[source.kind]
                if row.flagged:
                    cell.fill = FLAG_FILL
        sheet.freeze_panes = sheet.cell(row=head + 1, column=2)
        for index, _column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = 40 if index in (1, len(table.columns)) else 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_FONTS_READY = False


def _fonts() -> None:
    global _FONTS_READY
    if _FONTS_READY:
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, file in (("Vera", "Vera.ttf"), ("Vera-Bold", "VeraBd.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="Vera-Bold", italic="Vera", boldItalic="Vera-Bold")
    _FONTS_READY = True


CELL_PADDING = 12  # a table cell's left and right padding, 6 pt each (ReportLab's default)
HEADING_ROOM = 40 * mm  # a heading starts a new page unless its caption, the table's header and a few rows fit below it


def _widest_word(text: str, style: ParagraphStyle) -> float:
    return max((pdfmetrics.stringWidth(word, style.fontName, style.fontSize) for word in text.split()), default=0)


def _column_widths(table: Table, styles: dict[str, ParagraphStyle], width: float) -> list[float]:
    """Each column as wide as its longest word (and its widest amount, kept on one line); what is left goes to the columns of words.

    Headers then wrap between words, never inside one ("Contribution en nature", not "Contributio n").
    """
    cell = styles["cell"]
    floors, wordy = [], []
    for index, column in enumerate(table.columns):
        cells = [row.cells[index] for row in table.rows]
        amounts = [c.text for c in cells if c.numeric and c.kind != "number"]
        words = [c.text for c in cells if not c.numeric or c.kind == "number"]
        floor = max(
            [_widest_word(column, styles["head"])]
            + [pdfmetrics.stringWidth(text, cell.fontName, cell.fontSize) for text in amounts]
            + [_widest_word(text, cell) for text in words]
        )
        floors.append(floor + CELL_PADDING)
        wordy.append(bool(words) or not cells)
    spare = width - sum(floors)
    if spare < 0:
        return [floor * width / sum(floors) for floor in floors]
    share = spare / max(sum(wordy), 1)
    return [floor + (share if is_wordy else 0) for floor, is_wordy in zip(floors, wordy, strict=True)]


def _pdf_table(table: Table, styles: dict[str, ParagraphStyle], width: float) -> list:
    cell_style, head_style, num_style = styles["cell"], styles["head"], styles["num"]
    data = [[Paragraph(escape(column), head_style) for column in table.columns]]
    for row in table.rows:
        data.append([Paragraph(escape(cell.text), num_style if cell.numeric else cell_style) for cell in row.cells])
    grid = LongTable(data, colWidths=_column_widths(table, styles, width), repeatRows=1)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dce7e6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for index, row in enumerate(table.rows, start=1):
        if row.flagged:
            commands.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor("#fdecec")))
    grid.setStyle(TableStyle(commands))
    parts = [
        Paragraph(escape(table.title), styles["h2"]),
        Paragraph(escape(table.caption), styles["small"]),
    ]
    if table.note:
        parts.append(Paragraph(escape(table.note), styles["small"]))
    if table.error:
        parts.append(Paragraph(escape(table.error), styles["cell"]))
    return [CondPageBreak(HEADING_ROOM), KeepTogether(parts), Spacer(1, 2 * mm), grid, Spacer(1, 6 * mm)]


def review_pdf_bytes(review: Review) -> bytes:
    """The review's tables on landscape A4 pages, flagged rows shaded."""
    _fonts()
    styles = {
        "h1": ParagraphStyle("h1", fontName="Vera-Bold", fontSize=15, leading=19, spaceAfter=4),
        "h2": ParagraphStyle("h2", fontName="Vera-Bold", fontSize=11, leading=14, spaceBefore=4, spaceAfter=2),
        "small": ParagraphStyle("small", fontName="Vera", fontSize=7.5, leading=9.5, textColor=colors.HexColor("#4a5360")),
        "cell": ParagraphStyle("cell", fontName="Vera", fontSize=6.5, leading=8),
        "num": ParagraphStyle("num", fontName="Vera", fontSize=6.5, leading=8, alignment=2),
        "head": ParagraphStyle("head", fontName="Vera-Bold", fontSize=6.5, leading=8, splitLongWords=0),
    }
    buffer = io.BytesIO()
    title = _("Fairness review of the fiscal year %(period)s") % {"period": review.period}
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
        author="Aire ouverte",
        lang="fr-CA",
    )
    story = [
        Paragraph(escape(title), styles["h1"]),
        Paragraph(escape(_("Made on %(date)s") % {"date": date_words(timezone.localdate())}), styles["small"]),
        Spacer(1, 4 * mm),
    ]
    for table in all_tables(review):
        story.extend(_pdf_table(table, styles, document.width))
    document.build(story)
    return buffer.getvalue()
