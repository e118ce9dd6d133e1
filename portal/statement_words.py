"""A statement's lines in the reader's language, written from what each transaction records.

A memo is written once, in the language of whoever posted it, and the
ledger never changes it: a partner reading in English would see "Part de …
dans …, version 1". The statement's page, CSV and PDF all show the lines
of :func:`statement_in_words`.
"""

import dataclasses

from ledger.memo_words import memos_in_words
from ledger.selectors import Statement


def statement_in_words(statement: Statement) -> Statement:
    """The statement with each line's memo written in the active language from what its transaction records.

    Payments of instalments, expenses, in-kind contributions, shares and
    settlements are written by their app (:mod:`ledger.memo_words`), a
    reversal as the reversal of what it reverses; any other line (an
    adjustment in the staff's words, a movement whose record is gone) keeps
    its stored memo. At most nine queries, whatever the number of lines.
    """
    memos = memos_in_words(transaction_ids={line.transaction_id for line in statement.lines})
    if not memos:
        return statement
    lines = [dataclasses.replace(line, memo=memos.get(line.transaction_id, line.memo)) for line in statement.lines]
    return dataclasses.replace(statement, lines=lines)
