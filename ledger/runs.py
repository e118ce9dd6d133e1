"""What a daily run did (the disbursements, the recurring expenses): a summary its task returns and its command prints."""

from dataclasses import dataclass, field
from datetime import date


@dataclass
class DailyRun:
    """The run's day and, for each row it could not post, why; subclasses add what they count."""

    today: date
    failures: dict[int, str] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def counts(self) -> dict[str, int]:
        """What the run did, by name, in the order a person reads it."""
        return {}

    def as_dict(self) -> dict[str, object]:
        return {
            "today": self.today.isoformat(),
            **self.counts(),
            "failed": self.failed,
            "failures": {str(pk): reason for pk, reason in self.failures.items()},
        }
