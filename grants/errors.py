"""The refusals of the grants app: a :class:`ledger.errors.DomainError` with a code."""

from ledger.errors import DomainError


class GrantError(DomainError):
    """A programme, grant or instalment cannot be changed as asked; nothing was written."""


class ReportError(GrantError):
    """A report cannot be written, submitted or reviewed as asked; nothing was written."""
