"""The refusals of the domain.

Every service raises a subclass of :class:`DomainError` when it refuses what
it was asked; the message is translated and nothing has been written. Being a
``ValidationError``, it shows as a form error in the admin and the portal.
"""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A refusal with a message for the person who asked."""


class SplitError(DomainError):
    """An amount cannot be split by the weights given."""


class PostingError(DomainError):
    """The ledger refused to post a transaction."""


class PeriodError(DomainError):
    """A fiscal period cannot be changed as asked."""


class NotificationError(DomainError):
    """A person's choices of notifications cannot be saved as asked."""
