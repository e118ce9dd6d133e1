"""A statement's lines are written in the reader's language from what each transaction records; old memos stay."""

import csv
import io
import uuid
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from grants.services import instalment_reverse_payment
from ledger.models import Entry, TransactionKind
from ledger.selectors import party_statement
from ledger.services import Line, transaction_post
from portal.statement_words import statement_in_words
from sharedcosts.models import Expense, InKindContribution
from sharedcosts.services import (
    allocation_approve,
    allocation_compute,
    allocation_post,
    expense_post,
    in_kind_post,
    settlement_record,
)

from ..sharedcosts.conftest import declare
from .conftest import cad
from .test_pdf_text import pdf_text

pytestmark = pytest.mark.django_db

A = "Maison des jeunes de Saint-Jérôme"
B = "Travail de rue Laurentides"
OLD_MEMO = "Part de l’ancien partenaire dans Locaux partagés, version 1"
TYPED_MEMO = "Correction saisie à la main"

ENGLISH = [
    "Instalment 1 of the grant Soirées 16-25 ans",
    f"Share of {A} in Locaux partagés, version 1",
    f"Loyer, paid by {A} for Locaux partagés",
    f"In kind from {A} for Locaux partagés: Salle du jeudi",
    f"{B} pays {A} for Locaux partagés",
    "Reversal of instalment 1 of the grant Soirées 16-25 ans",
    OLD_MEMO,
    TYPED_MEMO,
]
FRENCH = [
    "Versement 1 de la subvention Soirées 16-25 ans",
    f"Part de {A} dans Locaux partagés, version 1",
    f"Loyer, payé par {A} pour Locaux partagés",
    f"{B} paie {A} pour Locaux partagés",
    OLD_MEMO,
    TYPED_MEMO,
]


@pytest.fixture
def year(party, other_party, world, finance_user, administrator):
    """A's year: an instalment paid then reversed, a share, an expense, a contribution, a settlement, two old rows."""
    pool = world["pool"]
    declare(party, "100000")
    declare(other_party, "100000")
    allocation = allocation_compute(pool=pool, prepared_by=finance_user)
    allocation_approve(allocation=allocation, approved_by=administrator)
    allocation_post(allocation=allocation, posted_by=administrator, date=date(2025, 5, 2))
    expense_post(
        expense=Expense.objects.create(
            pool=pool, payer=party, vendor="Loyer", date=date(2025, 6, 1), amount=cad("12000.00")
        ),
        posted_by=finance_user,
    )
    in_kind_post(
        contribution=InKindContribution(
            pool=pool, party=party, description="Salle du jeudi", value=cad("100.00"), justification="Tarif",
            date=date(2025, 6, 2),
        ),
        posted_by=finance_user,
    )
    settlement_record(
        pool=pool,
        payer=other_party,
        payee=party,
        amount=cad("1000.00"),
        date=date(2025, 6, 3),
        recorded_by=finance_user,
        request_id=uuid.uuid4(),
    )
    instalment = world["grant_a"].instalments.get(sequence=1)
    instalment_reverse_payment(instalment=instalment, reversed_by=administrator, on=date(2025, 6, 4))
    position = Entry.objects.get(transaction__kind=TransactionKind.EXPENSE, account__party=party).account
    received = instalment.transaction.entries.get(account__party=party).account
    # Rows posted before their lines were written when shown: an allocation's memo whose key names nothing, and
    # an adjustment in the staff's words.
    transaction_post(
        lines=[Line(position, cad("-5.00")), Line(received, cad("5.00"))],
        date=date(2025, 6, 5), kind=TransactionKind.ALLOCATION, memo=OLD_MEMO, idempotency_key="import:ancien:1",
    )
    transaction_post(
        lines=[Line(position, cad("-7.00")), Line(received, cad("7.00"))],
        date=date(2025, 6, 6), kind=TransactionKind.ADJUSTMENT, memo=TYPED_MEMO, idempotency_key="adjustment:1",
    )
    return world


def page_text(response) -> str:
    return response.content.decode().replace("\u202f", " ").replace("\xa0", " ")


def statement_url(name: str, party) -> str:
    return reverse(f"portal:{name}", args=[party.pk]) + "?annee=2025"


def test_the_english_statement_page_writes_every_line_in_english(client, party, year, member_a):
    client.force_login(member_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = page_text(client.get(statement_url("statement", party)))
    assert all(line in page for line in ENGLISH)
    assert "Versement" not in page and "payé par" not in page and "Contrepassation" not in page


def test_the_french_statement_page_writes_every_line_in_french(client, party, year, member_a):
    client.force_login(member_a)
    page = page_text(client.get(statement_url("statement", party)))
    assert all(line in page for line in FRENCH)
    assert "paid by" not in page and "Instalment" not in page


def test_the_csv_and_pdf_of_an_english_reader_are_in_english(client, party, year, member_a):
    client.force_login(member_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = list(csv.reader(io.StringIO(client.get(statement_url("statement_csv", party)).content.decode("utf-8-sig"))))
    descriptions = [row[2] for row in rows[5:-1]]
    assert descriptions == [
        "Instalment 1 of the grant Soirées 16-25 ans",
        f"Share of {A} in Locaux partagés, version 1",
        f"Loyer, paid by {A} for Locaux partagés",
        f"In kind from {A} for Locaux partagés: Salle du jeudi",
        f"{B} pays {A} for Locaux partagés",
        "Reversal of instalment 1 of the grant Soirées 16-25 ans",
        OLD_MEMO,
        OLD_MEMO,
        TYPED_MEMO,
        TYPED_MEMO,
    ]
    pdf = " ".join(pdf_text(client.get(statement_url("statement_pdf", party)).content).split())
    assert f"Loyer, paid by {A} for Locaux partagés" in pdf
    assert "Instalment 1 of the grant Soirées 16-25 ans" in pdf
    assert "payé par" not in pdf


def test_a_reversal_of_a_pool_movement_reads_as_the_reversal_of_what_it_reverses(party, year, administrator):
    from ledger.services import transaction_reverse

    expense = Expense.objects.get(vendor="Loyer")
    transaction_reverse(original=expense.transaction, date=date(2025, 6, 7), posted_by=administrator)
    statement = party_statement(party=party, start=date(2025, 4, 1), end=date(2026, 3, 31), currency="CAD")
    with translation.override("en"):
        memos = [line.memo for line in statement_in_words(statement).lines]
    assert memos[-1] == f"Reversal: Loyer, paid by {A} for Locaux partagés"


def test_the_lines_are_written_in_a_fixed_number_of_queries(party, year, django_assert_max_num_queries):
    statement = party_statement(party=party, start=date(2025, 4, 1), end=date(2026, 3, 31), currency="CAD")
    with django_assert_max_num_queries(9), translation.override("en"):
        statement_in_words(statement)


def test_an_empty_statement_asks_nothing(party, django_assert_num_queries):
    statement = party_statement(party=party, start=date(2025, 4, 1), end=date(2026, 3, 31), currency="CAD")
    with django_assert_num_queries(0):
        assert statement_in_words(statement) == statement
