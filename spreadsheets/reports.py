"""What an import says: its errors, by the spreadsheet's line and column header, and what it would change.

The command, the admin and the background jobs all report through
:class:`ImportReport`, so a person reads the same message whichever way
they sent the file: the line as their spreadsheet numbers it, the column as
its header names it, in their language, and limits written as they write
numbers and money (« au moins 0,01 $ »).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from moneyed import Money

from spreadsheets.reading import quoted


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class PreviewRow:
    """One row as it will be saved: its line, what happens to it, its values, and for an update what changes."""

    line: int
    action: str
    values: dict[str, str]
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)

    def cells(self, columns: list[str]) -> list[dict[str, str]]:
        return [
            {"old": self.changes[name][0], "new": self.changes[name][1], "changed": "yes"}
            if name in self.changes
            else {"new": self.values.get(name, ""), "changed": ""}
            for name in columns
        ]


@dataclass
class ImportReport:
    dry_run: bool
    total: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    already_imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def saved(self) -> bool:
        return self.ok and not self.dry_run

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "already_imported": self.already_imported,
            "ignored_sheets": self.ignored_sheets,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
        }

    def summary(self) -> str:
        if self.errors:
            errors = len(self.errors)
            return ngettext("%(count)s error; nothing was saved.", "%(count)s errors; nothing was saved.", errors) % {
                "count": _grouped(errors)
            }
        counts = {
            "created": ngettext("%(count)s new row", "%(count)s new rows", self.created),
            "updated": ngettext("%(count)s row updated", "%(count)s rows updated", self.updated),
            "skipped": ngettext("%(count)s row unchanged", "%(count)s rows unchanged", self.skipped),
        }
        counts = {name: sentence % {"count": _grouped(getattr(self, name))} for name, sentence in counts.items()}
        if self.dry_run:
            text = _("Dry run, nothing was saved: %(created)s, %(updated)s, %(skipped)s.") % counts
        else:
            text = _("Import finished: %(created)s, %(updated)s, %(skipped)s.") % counts
        if self.ignored_sheets:
            text += " " + _("Only the active sheet was read; these sheets were ignored: %(sheets)s.") % {
                "sheets": ", ".join(quoted(name) for name in self.ignored_sheets)
            }
        if self.already_imported:
            text += " " + ngettext(
                "%(count)s row had already been imported and was not posted again.",
                "%(count)s rows had already been imported and were not posted again.",
                self.already_imported,
            ) % {"count": _grouped(self.already_imported)}
        return text


def _grouped(count: int) -> str:
    """A count as the reader writes it: ``4 000`` in French, ``4,000`` in English."""
    return number_format(count, force_grouping=True)


def _limit_text(limit: Any, value: Any) -> str:
    """A validator's limit as the reader writes it: money with the value's currency, a number with a decimal comma."""
    if isinstance(value, Money) and isinstance(limit, (int, Decimal)):
        limit = Money(limit, value.currency)
    if isinstance(limit, (int, Decimal)):
        return number_format(limit, use_l10n=True)
    return str(limit)  # the ledger makes str() of an amount the reader's: 0,01 $


def _reworded(error: ValidationError) -> str:
    """A model's validator message, with its limit written the reader's way; other messages as they are."""
    params = error.params or {}
    if error.code == "min_value" and "limit_value" in params:
        return _("The value must be at least %(limit)s.") % {"limit": _limit_text(params["limit_value"], params.get("value"))}
    if error.code == "max_value" and "limit_value" in params:
        return _("The value must be at most %(limit)s.") % {"limit": _limit_text(params["limit_value"], params.get("value"))}
    return " ".join(error.messages)


def error_messages(error: Exception) -> dict[str, list[str]]:
    """The messages of an error by the attribute they are about (``NON_FIELD_ERRORS`` for the whole row)."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return {
            attribute: [_reworded(item) for item in items]
            for attribute, items in error.error_dict.items()
        }
    if isinstance(error, ValidationError):
        return {NON_FIELD_ERRORS: [_reworded(item) for item in error.error_list]}
    return {NON_FIELD_ERRORS: [str(error)]}
