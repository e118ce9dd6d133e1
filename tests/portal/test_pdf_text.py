"""Every PDF shows names and memos as typed: no parse error, no markup, no link."""

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from moneyed import Money
from pypdf import PdfReader

from ledger.models import Party, PartyKind, Sector
from ledger.selectors import Statement, StatementLine
from portal.statement_pdf import statement_pdf
from sharedcosts.models import CostPool, Participation, PoolKind

from ..sharedcosts.conftest import declare

ROOT = Path(__file__).resolve().parents[2]
NAME = "Tom & <Jerry"
MEMO = 'Voir <a href="https://piege.example/">ce lien</a> & <b'


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_links(content: bytes) -> list:
    return [
        annotation.get_object()
        for page in PdfReader(io.BytesIO(content)).pages
        for annotation in page.get("/Annots") or []
    ]


def test_the_statement_shows_a_name_and_a_memo_with_markup_characters_as_typed():
    party = Party(name=NAME, kind=PartyKind.COMMUNITY_YOUTH, sector=Sector.SUD)
    cad = lambda amount: Money(amount, "CAD")  # noqa: E731
    statement = Statement(
        party=party, currency="CAD", start=date(2025, 4, 1), end=date(2026, 3, 31), opening=cad("0.00"),
        lines=[StatementLine(date=date(2025, 5, 1), transaction_id=1, kind="a&b<c", memo=MEMO,
                             account_code="P-1", amount=cad("250.00"), balance=cad("250.00"))],
        closing=cad("250.00"),
    )
    with translation.override("fr-ca"):
        content = statement_pdf(statement=statement, kinds={}, period_label="2025 & <2026")
    text = pdf_text(content)
    assert "Relevé de Tom & <Jerry" in text
    assert "2025 & <2026" in text
    assert "a&b<c" in text
    # The memo wraps in its narrow column: its words, markup included, are all there in order.
    assert "".join(text.split()).count("".join(MEMO.split())) == 1
    assert pdf_links(content) == []


@pytest.mark.django_db
def test_the_review_pdf_shows_party_and_pool_names_with_markup_characters_as_typed(client, administrator):
    pool = CostPool.objects.create(
        kind=PoolKind.PREMISES, name='Locaux <a href="https://piege.example/">ici</a> & <i',
        budgeted_cost=Money("10000.00", "CAD"), start_date=date(2025, 4, 1), end_date=date(2026, 3, 31), rule="equal",
    )
    for name in (NAME, "Organisme & associés"):
        party = Party.objects.create(name=name, kind=PartyKind.COMMUNITY_YOUTH, sector=Sector.SUD)
        Participation.objects.create(pool=pool, party=party)
        declare(party, "100000")
    client.force_login(administrator)
    response = client.get(reverse("review:pdf", args=[2025, 2026]))
    assert response.status_code == 200
    text = "".join(pdf_text(response.content).split())
    assert "Tom&<Jerry" in text and "Organisme&associés" in text
    assert 'Locaux<ahref="https://piege.example/">ici</a>&<i' in text
    assert pdf_links(response.content) == []


STATEMENT_AFTER_REVIEW = """
import django
django.setup()
from datetime import date
from moneyed import Money
from ledger.models import Party
from ledger.selectors import Statement
from portal.review.exports import review_pdf_bytes
from portal.statement_pdf import statement_pdf
from portal.review.composition import Review

review_pdf_bytes(Review(start_year=2025, period="2025-2026", pools=[], by_party=[], by_sector=[], by_kind=[]))
zero = Money("0.00", "CAD")
statement = Statement(party=Party(name="A & B"), currency="CAD", start=date(2025, 4, 1), end=date(2026, 3, 31),
                      opening=zero, lines=[], closing=zero)
print(statement_pdf(statement=statement, kinds={}, period_label="2025-2026")[:4].decode())
"""


def test_the_statement_is_drawn_in_a_process_that_made_a_review_pdf_first():
    """Both PDFs register the Vera fonts: whichever comes first, the other still finds its bold face."""
    result = subprocess.run(
        [sys.executable, "-c", STATEMENT_AFTER_REVIEW], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "%PDF"
