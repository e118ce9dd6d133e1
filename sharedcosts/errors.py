"""The refusals of the shared-costs app: each a :class:`ledger.errors.DomainError` with a code.

Every refusal of the app is a :class:`SharedCostsError`, raised before
anything is written; its subclasses say which step refused.
"""

from ledger.errors import DomainError


class SharedCostsError(DomainError):
    """A shared-cost operation was refused; nothing was written."""


class AllocationError(SharedCostsError):
    """A cost cannot be allocated as asked (the pure rules of :mod:`sharedcosts.allocation`)."""


class SettlementError(SharedCostsError):
    """Balances cannot be settled as given (the pure plan of :mod:`sharedcosts.settlement`)."""


class MeansError(SharedCostsError):
    """A party's means are missing or invalid."""


class CurrencyError(SharedCostsError):
    """An amount is not in the pool's currency."""


class ApprovalError(SharedCostsError):
    """An allocation cannot be approved or posted as asked."""


class InKindError(SharedCostsError):
    """An in-kind contribution cannot be credited."""


class SettlementRecordError(SharedCostsError):
    """A settlement between two parties cannot be recorded."""


class RecurringError(SharedCostsError):
    """A recurring expense cannot be scheduled, paused, resumed, ended or amended as asked."""
