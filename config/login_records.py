"""The logins django-axes records, as the admin shows them: a section in the reader's language, rows in words.

Axes names its section "Axes" and each row in English with the moment as
stored: "Access Log for administrateur @ 2026-11-30 08:19:12.220612+00:00".
Its app is installed through :class:`LoginRecordsConfig` (``INSTALLED_APPS``),
which names the section and writes each row as its username and the moment on
the local clock, in the reader's words: "administrateur — 30 novembre 2026, 8 h 19".
"""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ledger.dates import datetime_words


def login_record_words(record) -> str:
    """A row of axes by the username tried (a code, written as typed) and its moment as the reader writes it."""
    return _("%(username)s — %(moment)s") % {
        "username": record.username or _("no username"),
        "moment": datetime_words(record.attempt_time),
    }


class LoginRecordsConfig(AxesConfig):
    verbose_name = gettext_lazy("Logins")

    def ready(self) -> None:
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.__str__ = login_record_words
