"""Time a large allocation with floors and caps, and an optimal settlement.

Run from the project root with ``python bench/allocation.py``. The inputs are
random but seeded, so every run times the same work. The figures are medians
over several runs; the last line, ``allocate_2000_s=N settle_20_s=N``, is for
scripts to read. The goals are under 0.1 s and under 1 s.
"""

import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from moneyed import Money  # noqa: E402

from sharedcosts.allocation import allocate  # noqa: E402
from sharedcosts.settlement import settle  # noqa: E402

RUNS = 7
PARTIES = 2000
SETTLED = 20
TOTAL = Money("1234567.89", "CAD")


def median_seconds(work: Callable[[], object]) -> float:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def allocation_inputs(rng: random.Random) -> tuple[dict[str, Decimal], dict[str, Money], dict[str, Money]]:
    """Means from 10 k$ to 5 M$; a floor for one party in four, a cap for one in three.

    The average share is about 617 $, so a floor of 400 $ binds the poorer
    parties and a cap of 1,000 $ the richer ones, and the clamp has work.
    """
    means = {f"party-{i:04d}": Decimal(rng.randrange(1_000_000, 500_000_000)).scaleb(-2) for i in range(PARTIES)}
    keys = list(means)
    floors = {key: Money(400, "CAD") for key in keys[::4]}
    caps = {key: Money(1000, "CAD") for key in keys[::3] if key not in floors}
    return means, floors, caps


def settlement_inputs(rng: random.Random) -> tuple[dict[str, Money], int]:
    """Twenty non-zero balances hiding zero-sum groups of two to five parties."""
    sizes: list[int] = []
    while sum(sizes) < SETTLED:
        size = rng.randint(2, 5)
        left = SETTLED - sum(sizes) - size
        if left == 0 or left >= 2:
            sizes.append(size)
    balances: list[int] = []
    for size in sizes:
        group = [0]
        while sum(group) == 0:
            group = [rng.choice([-1, 1]) * rng.randrange(1, 100_000) for _ in range(size - 1)]
        balances += [*group, -sum(group)]
    rng.shuffle(balances)
    return {f"party-{i:02d}": Money(Decimal(value).scaleb(-2), "CAD") for i, value in enumerate(balances)}, len(sizes)


def main() -> None:
    rng = random.Random(20_250_611)
    means, floors, caps = allocation_inputs(rng)
    shares = allocate(TOTAL, means, rule="proportional", floors=floors, caps=caps)
    binding = sum(1 for key, share in shares.items() if share == floors.get(key) or share == caps.get(key))
    allocate_s = median_seconds(lambda: allocate(TOTAL, means, rule="proportional", floors=floors, caps=caps))
    print(
        f"Allocating {TOTAL} among {PARTIES:,} parties in proportion to their means, with {len(floors)} floors "
        f"and {len(caps)} caps of which {binding} bind: median {allocate_s:.4f} s over {RUNS} runs "
        f"(goal: under 0.1 s)."
    )

    balances, groups = settlement_inputs(rng)
    transfers = settle(balances)
    settle_s = median_seconds(lambda: settle(balances))
    print(
        f"Settling {SETTLED} non-zero balances built from {groups} zero-sum groups: {len(transfers)} transfers, "
        f"at most {SETTLED - groups} by construction; median {settle_s:.4f} s over {RUNS} runs "
        f"(goal: under 1 s)."
    )
    print(f"allocate_2000_s={allocate_s:.4f} settle_20_s={settle_s:.4f}")


if __name__ == "__main__":
    main()
