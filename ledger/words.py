"""Values in words, as the reader writes them: people by their names, distances in km, sizes in Ko and Mo."""

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ledger.money import reader_locale

KILO = 1024


def person_words(user: Any) -> str:
    """A person by their name, else their username."""
    return user.get_full_name() or user.get_username()


def person_text_install() -> None:
    """Make ``str()`` of every user :func:`person_words`.

    The admin writes the people of a row (prepared by, approved by, posted
    by) and of its choice lists with ``str()``, which Django's user model
    makes the username ("finances"); the history pages and the portal name
    people. Called once, when the ledger app is ready.
    """
    from django.contrib.auth import get_user_model

    get_user_model().__str__ = person_words


def number_words(value: Decimal) -> str:
    """A measured number as the reader writes it, with no zero after its decimal mark: ``9 854``, ``195,5``; ``9,854``."""
    return format_decimal(value, format="#,##0.###", locale=reader_locale())


def km_words(value: Decimal) -> str:
    """A distance as the reader writes it: ``9 854 km``, ``195,5 km``."""
    return f"{number_words(value)}\u00a0km"


def file_size_words(size: int) -> str:
    """``43213`` bytes as ``42,2 Ko`` in French (Django's French writes ``Kio``), ``42.2 KB`` in English."""
    if size < KILO:
        return ngettext("%(size)d byte", "%(size)d bytes", size) % {"size": size}
    for unit in (_("%(size)s KB"), _("%(size)s MB")):
        size /= KILO
        if size < KILO:
            return unit % {"size": number_format(round(size, 1), 1)}
    return _("%(size)s GB") % {"size": number_format(round(size / KILO, 1), 1)}
