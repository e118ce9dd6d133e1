"""Each transaction's line is written in the reader's language by the app that posted it; the ledger knows none of them."""

import pytest
from django.utils import translation

from ledger.memo_words import memo_writer_register, memos_in_words, transaction_line, transactions_memos
from ledger.models import Transaction

from .conftest import A

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "fr-ca",
            {
                "instalment": "Versement 1 de la subvention Soirées 16-25 ans",
                "expense": f"Loyer, payé par {A} pour Locaux partagés",
                "reversal": f"Contrepassation\xa0: Loyer, payé par {A} pour Locaux partagés",
                "typed": "Correction saisie à la main",
                "silent": "Ajustement",
            },
        ),
        (
            "en",
            {
                "instalment": "Instalment 1 of the grant Soirées 16-25 ans",
                "expense": f"Loyer, paid by {A} for Locaux partagés",
                "reversal": f"Reversal: Loyer, paid by {A} for Locaux partagés",
                "typed": "Correction saisie à la main",
                "silent": "Adjustment",
            },
        ),
    ],
)
def test_each_line_is_written_by_the_app_that_posted_it_else_its_memo_else_its_kind(movements, language, lines):
    with translation.override(language):
        memos = memos_in_words(transaction_ids=[txn.pk for txn in movements.values()])
        assert {name: transaction_line(txn, memos) for name, txn in movements.items()} == lines
    assert movements["typed"].pk not in memos and movements["silent"].pk not in memos


def test_the_lines_of_transactions_in_hand_take_a_fixed_number_of_queries(movements, django_assert_max_num_queries):
    transactions = list(Transaction.objects.all())
    with django_assert_max_num_queries(7):
        memos = transactions_memos(transactions=transactions)
    assert set(memos) >= {movements["instalment"].pk, movements["expense"].pk, movements["reversal"].pk}


def test_no_transaction_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert memos_in_words(transaction_ids=[]) == {}
        assert transactions_memos(transactions=[]) == {}


def test_an_app_registered_again_writes_once(movements):
    from sharedcosts.memos import pool_memos

    calls = []

    def counted(transactions):
        calls.append(len(transactions))
        return pool_memos(transactions)

    try:
        memo_writer_register(app="sharedcosts", writer=counted)
        memo_writer_register(app="sharedcosts", writer=counted)
        memos_in_words(transaction_ids=[movements["expense"].pk])
    finally:
        memo_writer_register(app="sharedcosts", writer=pool_memos)
    assert calls == [1]
