"""The refusals of meetings and travel: each a :class:`sharedcosts.errors.SharedCostsError` with a code."""

from sharedcosts.errors import SharedCostsError


class TravelError(SharedCostsError):
    """A distance, a rate, a meeting or its travel cannot be recorded or computed as asked; nothing was written."""
