"""Each account's name in the reader's language, written when it is shown by the app that owns the account.

An account a feature makes (a party's grants received, its position in a
pool, a programme's fund) is stored with a name in the language of whoever
first needed it, and an English reader would read "Position dans le
regroupement …". Its code says what it belongs to, and the app that made
it names it again in the active language. The ledger imports none of
those apps, so each registers its namer here when it is ready
(:func:`account_namer_register`); a party's balances and the accounts'
list read their names from :func:`accounts_names`.

An account no namer recognises (one the staff made and named) keeps its
stored name.
"""

from collections.abc import Callable, Sequence

from ledger.models import Account

AccountNamer = Callable[[Sequence[Account]], dict[int, str]]
"""The names of the accounts a namer recognises by their code, by id, in the active language; in a fixed number of queries."""

_NAMERS: dict[str, AccountNamer] = {}


def account_namer_register(*, app: str, namer: AccountNamer) -> None:
    """Let ``namer`` name ``app``'s accounts; an app registers once, in its ``AppConfig.ready``."""
    _NAMERS[app] = namer


def accounts_names(*, accounts: Sequence[Account]) -> dict[int, str]:
    """The name of each of ``accounts`` in the active language, by id: a namer's words, else its stored name.

    The accounts need their code and name; one query per namer at most (three
    in all today), whatever their number.
    """
    names = {account.pk: account.name for account in accounts}
    if accounts:
        for namer in _NAMERS.values():
            names.update(namer(accounts))
    return names
