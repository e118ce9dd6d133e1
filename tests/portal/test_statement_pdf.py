"""The statement PDF's rows: plain text broken to fit its columns, a Paragraph only for a word too long."""

from django.utils import translation
from django.utils.translation import gettext_lazy
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from portal.pdf import FONT, fonts_register
from portal.statement_pdf import _wrapped

CELL = ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=10.5)


def test_a_memo_is_broken_into_lines_that_fit_its_column_as_typed():
    fonts_register()
    memo = "Quote-part des frais partagés — semaine du 2026-11-23 & <b>rien de gras</b>"
    wrapped = _wrapped(memo, 100, CELL)
    assert isinstance(wrapped, str)
    lines = wrapped.split("\n")
    assert len(lines) > 1
    assert " ".join(lines) == memo
    assert all(stringWidth(line, FONT, 8.5) <= 100 for line in lines)


def test_a_word_too_long_for_its_column_goes_to_a_paragraph_which_splits_it():
    fonts_register()
    wrapped = _wrapped("https://exemple.org/" + "x" * 80, 100, CELL)
    assert isinstance(wrapped, Paragraph)
    assert wrapped.text == "https://exemple.org/" + "x" * 80


def test_a_lazily_translated_label_is_plain_text_too():
    with translation.override("fr-ca"):
        assert _wrapped(gettext_lazy("Adjustment"), 100, CELL) == "Ajustement"
