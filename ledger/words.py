"""Values in words, as the reader writes them: people by their names, distances in km, sizes in Ko and Mo,
"d’" before a vowel."""

import unicodedata
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from ledger.money import reader_locale

KILO = 1024
# French elides "de" before a vowel and before an h: "d’Aire ouverte", "d’Hébergement jeunesse".
ELIDING_INITIALS = frozenset("aeiouyhàâäæéèêëîïôöœùûüÿ")


def person_words(user: Any) -> str:
    """A person by their name, else their username."""
    return user.get_full_name() or user.get_username()


def person_text_install() -> None:
    """Make ``str()`` of every user :func:`person_words`.

    The admin writes the people of a row (prepared by, approved by, posted
    by) and of its choice lists with ``str()``, which Django's user model
    makes the username ("finances"); the history pages and the portal name
    people. Called once, when the ledger app is ready.

    A read-only field of a form (created by, submitted by) writes the person
    as their name with no link: Django would link the user's admin page,
    which finance staff and administrators may not open.
    """
    from django.contrib.admin.helpers import AdminReadonlyField
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user_model.__str__ = person_words
    linked = AdminReadonlyField.get_admin_url

    def get_admin_url(self, remote_field, remote_obj):
        if isinstance(remote_obj, user_model):
            return person_words(remote_obj)
        return linked(self, remote_field, remote_obj)

    AdminReadonlyField.get_admin_url = get_admin_url


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


def de_name(name: str) -> str:
    """``name`` as French writes it after "de": "de Carrefour…", "d’Aire ouverte"; in English the name alone.

    A sentence that names a party or a pool after "of" carries it as
    ``%(of_party)s``: its English text keeps the "of" ("Share of
    %(of_party)s"), its French drops the "de" ("Part %(of_party)s"), which
    this helper writes, elided or not.
    """
    if not (get_language() or settings.LANGUAGE_CODE).startswith("fr"):
        return name
    return f"d’{name}" if name[:1].lower() in ELIDING_INITIALS else f"de {name}"


def name_sort_key(name: str) -> tuple[str, str, str]:
    """Sorts names in Python as the database's ``names`` collation does: "Carrefour", "Cégep", "Centre", "CISSS".

    Letters first, without their accents or case; then the accents; then the
    case: two different names never tie.
    """
    letters = "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
    return letters.casefold(), name.casefold(), name
