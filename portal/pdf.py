"""What every PDF of the portal shares: the fonts, and the escaping of text."""

from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# ReportLab's bundled Vera fonts have the accents French needs (é, œ, ’). The
# fairness review's export registers the same names, so either PDF may be made first.
FONT = "Vera"
FONT_BOLD = "Vera-Bold"


def fonts_register() -> None:
    """Register Vera as a family: a Paragraph looks its font up by family as soon as it holds an entity."""
    if FONT_BOLD in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def escape(text: str) -> str:
    """``text`` as ReportLab's ``Paragraph`` must be given it to show it as written.

    A Paragraph reads its text as markup: a bare ``&`` or ``<`` in a name or a
    memo ("Tom & <Jerry") stops the PDF with a parse error, and ``<a href=…>``
    becomes a live link. Every text given to a Paragraph that is not our own
    markup goes through here.
    """
    return xml_escape(text)
