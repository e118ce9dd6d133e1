"""A state machine that hunts for what the example tests missed.

Hypothesis drives the ledger, the grants and the shared costs at random, one
step at a time, in one process and one thread: it posts transactions alone and
in batches, retries a key with the same request and with another one,
reverses, opens and closes fiscal periods, creates programmes, creates,
approves, amends, cancels and closes grants, runs the daily disbursement,
pays and reverses instalments by hand, changes a pool's inputs, computes,
approves and posts its allocations, posts expenses and in-kind contributions
and records settlements. After every step the books must hold:

- each transaction has two entries at least and balances in each currency;
- each account's balance, as :func:`ledger.selectors.account_balance` reads
  it, is the sum of its entries read with SQL, and so are the movements the
  database keeps for it by day and by fiscal year; the accounts this machine
  posts to by hand hold what its own model of them says;
- no instalment is paid twice: the only payment of an instalment is the
  transaction under its key, present exactly when it is paid or reversed;
  each programme fund has paid out, and each party received, the sum of the
  instalments paid; no programme commits more than its envelope;
- no party is credited in kind beyond its posted share;
- a pool's positions and its cost sum to zero; when the positions alone sum
  to zero, the settlement plan of :func:`sharedcosts.settlement.settle`
  clears them, in fewer transfers than there are parties.

Each step says which refusals it expects. A refusal is a
:class:`ledger.errors.DomainError` and must leave every table of the ledger,
the grants and the shared costs as it was; any other exception is a finding.
Each example runs in a savepoint rolled back at its end; as nothing commits,
the ledger's deferred balance check is forced after every step with ``SET
CONSTRAINTS ALL IMMEDIATE``.

``make test`` runs a short profile; ``make soak`` a long one
(``HYPOTHESIS_PROFILE=soak``). A failure prints its steps and the blob that
``@reproduce_failure`` replays.
"""

import inspect
import os
import uuid
from functools import cache
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from moneyed import Money

from grants.models import (
    FundingProgramme,
    Grant,
    GrantPurpose,
    GrantStatus,
    Instalment,
    InstalmentStatus,
    ScheduleFrequency,
)
from grants.selectors import amounts_of, programme_amounts, programmes_with_amounts
from grants.services import (
    disbursements_post_due,
    amendment_approve,
    amendment_propose,
    grant_approve,
    grant_cancel,
    grant_close,
    grant_create,
    instalment_pay,
    instalment_reverse_payment,
    programme_create,
    schedule_dates,
)
from grants.services.disbursements import PAYABLE_GRANTS
from grants.services.instalments import DUE, UNPAID
from grants.services.amendments import AMENDABLE_GRANTS, COMMITTING_GRANTS
from ledger.errors import DomainError
from ledger.models import Account, AccountType, FiscalPeriod, Party, PartyKind, Sector, Transaction, TransactionKind
from ledger.periods import fiscal_period_close, fiscal_period_open
from ledger.roles import ADMINISTRATORS_GROUP, FINANCE_GROUP
from ledger.selectors import account_balance, party_balances
from ledger.services import ENTRY_LIMIT, Line, PostingRequest, transaction_post, transaction_reverse, transactions_post
from sharedcosts.errors import SettlementError
from sharedcosts.models import (
    Allocation,
    AllocationShare,
    AllocationStatus,
    CostPool,
    Expense,
    InKindContribution,
    Participation,
    PoolKind,
)
from sharedcosts.selectors import pool_balances
from sharedcosts.services import (
    allocation_approve,
    allocation_compute,
    allocation_current,
    allocation_is_stale,
    allocation_post,
    expense_post,
    in_kind_post,
    means_declare,
    settlement_record,
)
from sharedcosts.settlement import settle

from ..conftest import TEST_FISCAL_YEARS

pytestmark = [pytest.mark.slow]

SHORT = settings(
    max_examples=20,
    stateful_step_count=20,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile("soak", parent=SHORT, max_examples=500, stateful_step_count=50)
MACHINE_SETTINGS = settings.get_profile("soak") if os.environ.get("HYPOTHESIS_PROFILE") == "soak" else SHORT

# --- What the steps are drawn from -----------------------------------------------------------------------------------

# The accounts posted to by hand: (code, currency, index of the party owning it or None).
FREE_ACCOUNTS = [
    ("SM-CASH-CAD", "CAD", None),
    ("SM-BANK-CAD", "CAD", None),
    ("SM-P0-CAD", "CAD", 0),
    ("SM-P1-CAD", "CAD", 1),
    ("SM-CASH-USD", "USD", None),
    ("SM-P2-USD", "USD", 2),
]
BALANCING_ACCOUNT = {"CAD": 0, "USD": 4}
CENTS = st.integers(min_value=-500_000, max_value=-1) | st.integers(min_value=1, max_value=500_000)
RAW_LINES = st.lists(st.tuples(st.integers(0, len(FREE_ACCOUNTS) - 1), CENTS), min_size=1, max_size=4)
# Most requests are sound; the others are flawed in one way the ledger must refuse.
FLAWS = st.sampled_from([None] * 10 + ["zero", "sub_cent", "too_large", "unbalanced", "single", "reversal_kind"])
# Days of the open fiscal years and a little beyond; one in ten is years away (2019, 2099).
OPEN_DAYS = st.dates(min_value=date(2023, 4, 1), max_value=date(2029, 6, 30))
FAR_DAYS = st.sampled_from([date(2019, 6, 1), date(2099, 6, 1)])
DAYS = st.integers(min_value=0, max_value=9).flatmap(lambda draw: FAR_DAYS if draw == 0 else OPEN_DAYS)
FREE_KINDS = st.sampled_from([TransactionKind.ADJUSTMENT, TransactionKind.SETTLEMENT])
YEARS = st.sampled_from(list(TEST_FISCAL_YEARS))
PICK = st.integers(min_value=0, max_value=1_000)
ADMINS = st.sampled_from(["admin_a", "admin_b"])
PARTIES = 4


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"))


def money_of(value: int, currency: str = "CAD") -> Money:
    return Money(Decimal(value) / 100, currency)


def choose(items: list, pick: int, fits) -> object:
    """Mostly one of the items a step can act on, and one in four any item, so that refusals are tried too."""
    fitting = [item for item in items if fits(item)]
    pool = fitting if fitting and pick % 4 else items
    return pool[pick % len(pool)]


@dataclass
class Posted:
    """A transaction this machine posted by hand, as its model knows it."""

    txn_id: int
    request: tuple
    lines: list[tuple[int, Decimal]]
    is_reversal: bool = False
    reversed: bool = False


@dataclass(frozen=True)
class Refused:
    code: str
    message: str


@dataclass
class SettlementAsked:
    pool: CostPool
    payer: Party
    payee: Party
    amount: Money
    day: date
    txn_id: int
    request_id: uuid.UUID


@dataclass
class Expected:
    """The refusals a step expects: one of ``must`` surely, or one of ``may`` perhaps."""

    must: set[str] = field(default_factory=set)
    may: set[str] = field(default_factory=set)


# --- The database, read directly -------------------------------------------------------------------------------------


@cache
def _tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for label in ("ledger", "grants", "sharedcosts")
            for model in apps.get_app_config(label).get_models()
        }
    )


def snapshot() -> dict[str, tuple[int, str]]:
    """Every row of the ledger's, the grants' and the shared costs' tables, as a count and a digest per table."""
    quote = connection.ops.quote_name
    query = " UNION ALL ".join(
        f"SELECT %s, count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM {quote(table)} x"
        for table in _tables()
    )
    with connection.cursor() as cursor:
        cursor.execute(query, _tables())
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def rows(query: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def deferred_checks_run() -> None:
    """Run now the checks PostgreSQL defers to a commit that never comes in a test, then defer them again.

    Exact because every deferrable constraint and trigger is initially
    deferred (asserted by the test before the machine starts).
    """
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# --- The machine -----------------------------------------------------------------------------------------------------


class Books(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._example = transaction.atomic()
        self._example.__enter__()
        try:
            self._start()
        except BaseException:
            # Hypothesis calls teardown only on a machine that was made: roll this example back here.
            self.teardown()
            raise

    def _start(self) -> None:
        self.users = {}
        staff = [("admin_a", ADMINISTRATORS_GROUP), ("admin_b", ADMINISTRATORS_GROUP), ("clerk", FINANCE_GROUP)]
        for name, group in staff:
            user = get_user_model().objects.create_user(username=f"sm-{name}", password="x")
            user.groups.add(Group.objects.get(name=group))
            self.users[name] = user
        self.users["outsider"] = get_user_model().objects.create_user(username="sm-outsider", password="x")
        self.parties = [
            Party.objects.create(name=f"Partenaire {n}", kind=PartyKind.COMMUNITY_YOUTH, sector=Sector.SUD)
            for n in range(PARTIES)
        ]
        self.accounts = [
            Account.objects.create(
                code=code,
                name=code,
                type=AccountType.ASSET if owner is None else AccountType.INCOME,
                currency=currency,
                party=None if owner is None else self.parties[owner],
            )
            for code, currency, owner in FREE_ACCOUNTS
        ]
        self.expected_balances = [Decimal("0.00") for _ in FREE_ACCOUNTS]
        self.posted: dict[str, Posted] = {}
        self.keys = 0
        current = FiscalPeriod.year_of(timezone.localdate())
        self.open_years = set(TEST_FISCAL_YEARS) | {current, current + 1}
        self.closed_years: set[int] = set()
        self.programmes: list[FundingProgramme] = []
        self.grants: list[Grant] = []
        self.pools = [
            self._pool("Locaux partagés", "proportional", "10000.00", [0, 1, 2]),
            self._pool("Unité mobile", "equal", "3000.00", [1, 2, 3]),
        ]
        for party, value in zip(self.parties, ["100000", "200000", "200000", "50000"], strict=True):
            means_declare(
                party=party, value=Decimal(value), as_of=date(2025, 3, 31), source="États financiers",
                declared_by=self.users["clerk"],
            )
        self.allocations: list[Allocation] = []
        self.expenses: list[Expense] = []
        self.settlements: dict[uuid.UUID, SettlementAsked] = {}
        self.seen_sums: dict[int, tuple] = {}
        self.written_when_checked = -1

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._example.__exit__(None, None, None)

    def _pool(self, name: str, rule_name: str, cost: str, members: list[int]) -> CostPool:
        pool = CostPool.objects.create(
            kind=PoolKind.PREMISES,
            name=name,
            budgeted_cost=Money(cost, "CAD"),
            start_date=date(2025, 4, 1),
            end_date=date(2026, 3, 31),
            rule=rule_name,
        )
        for member in members:
            Participation.objects.create(pool=pool, party=self.parties[member])
        return pool

    # --- Where every example starts: each flow under way ------------------------------------------------------------

    @initialize(
        amount=st.integers(min_value=1_000_00, max_value=30_000_00),
        start=st.dates(min_value=date(2025, 4, 1), max_value=date(2026, 3, 31)),
        frequency=st.sampled_from([ScheduleFrequency.MONTHLY, ScheduleFrequency.QUARTERLY, ScheduleFrequency.SINGLE]),
    )
    def an_approved_grant(self, amount, start, frequency):
        """A funded programme and an approved grant, so that the daily run has something to pay from the first step."""
        programme = programme_create(
            name="Programme de base",
            fiscal_year=2025,
            amount=money_of(100_000_00),
            created_by=self.users["clerk"],
            funded_on=date(2025, 4, 1),
        )
        grant = grant_create(
            programme=programme,
            party=self.parties[0],
            title="Soirées 16-25 ans",
            purpose=GrantPurpose.JOINT_PROJECT,
            amount=money_of(amount),
            start_date=start,
            end_date=start + timedelta(days=364),
            budget={"activities": money_of(amount)},
            frequency=frequency,
            created_by=self.users["clerk"],
        )
        grant_approve(grant=grant, approved_by=self.users["admin_a"])
        self.programmes.append(programme)
        self.grants.append(grant)

    @initialize()
    def a_posted_allocation(self):
        """The first pool's shares posted, so that expenses, in kind and settlements have positions to move."""
        allocation = allocation_compute(pool=self.pools[0], prepared_by=self.users["admin_a"])
        allocation_approve(allocation=allocation, approved_by=self.users["admin_b"])
        allocation_post(allocation=allocation, posted_by=self.users["admin_a"], date=date(2025, 5, 1))
        self.allocations.append(allocation)

    # --- Running a service and judging its outcome -------------------------------------------------------------------

    def attempt(self, call):
        """The service's result, or its refusal once checked to have written nothing."""
        before = snapshot()
        try:
            return call()
        except DomainError as error:
            after = snapshot()
            changed = sorted(table for table in after if after[table] != before[table])
            assert not changed, f"refused ({error.code}: {' '.join(error.messages)}) yet wrote to {changed}"
            return Refused(error.code, " ".join(error.messages))

    @staticmethod
    def judge(outcome, expected: Expected) -> bool:
        """Whether the step succeeded; fails the example on an unexpected outcome.

        Each outcome is an event: ``--hypothesis-show-statistics`` shows how
        often each step succeeded and was refused, and why.
        """
        step = inspect.currentframe().f_back.f_code.co_name
        event(f"{step}: {outcome.code if isinstance(outcome, Refused) else 'done'}")
        if isinstance(outcome, Refused):
            assert outcome.code in expected.must | expected.may, f"unexpected refusal {outcome}, expected {expected}"
            return False
        assert not expected.must, f"succeeded, but expected a refusal among {sorted(expected.must)}"
        return True

    def period_refusals(self, day: date) -> set[str]:
        year = FiscalPeriod.year_of(day)
        if year in self.closed_years:
            return {"closed_period"}
        if year not in self.open_years:
            return {"no_period"}
        return set()

    def new_key(self) -> str:
        self.keys += 1
        return f"sm:{self.keys}"

    def new_request_id(self) -> uuid.UUID:
        self.keys += 1
        return uuid.UUID(int=self.keys)

    # --- Posting by hand ---------------------------------------------------------------------------------------------

    def lines_from(self, raw: list[tuple[int, int]], flaw: str | None) -> list[tuple[int, Decimal]]:
        lines = [(index, Decimal(value) / 100) for index, value in raw]
        if flaw != "unbalanced":
            totals: dict[str, Decimal] = {}
            for index, amount in lines:
                currency = FREE_ACCOUNTS[index][1]
                totals[currency] = totals.get(currency, Decimal(0)) + amount
            lines += [(BALANCING_ACCOUNT[currency], -total) for currency, total in sorted(totals.items()) if total]
        if flaw == "sub_cent":
            lines[0] = (lines[0][0], lines[0][1] + Decimal("0.005"))
        elif flaw == "too_large":
            lines[0] = (lines[0][0], ENTRY_LIMIT + Decimal("0.01"))
        elif flaw == "single":
            lines = lines[:1]
        elif flaw == "zero":
            lines[0] = (lines[0][0], Decimal("0.00"))
        return lines

    @staticmethod
    def line_refusals(lines: list[tuple[int, Decimal]], kind: str) -> set[str]:
        refusals = set()
        if kind == TransactionKind.REVERSAL:
            refusals.add("reversal_kind")
        if len(lines) < 2:
            refusals.add("too_few_entries")
        totals: dict[str, Decimal] = {}
        for index, amount in lines:
            if amount == 0:
                refusals.add("zero_entry")
            elif abs(amount) > ENTRY_LIMIT:
                refusals.add("amount_too_large")
            elif amount != cents(amount):
                refusals.add("sub_unit_amount")
            currency = FREE_ACCOUNTS[index][1]
            totals[currency] = totals.get(currency, Decimal(0)) + amount
        if any(totals.values()):
            refusals.add("unbalanced")
        return refusals

    @staticmethod
    def request_of(lines: list[tuple[int, Decimal]], day: date, kind: str) -> tuple:
        return (day, kind, tuple(sorted(lines)))

    def request(self, key: str, lines: list[tuple[int, Decimal]], day: date, kind: str) -> PostingRequest:
        return PostingRequest(
            lines=[Line(account=self.accounts[i], amount=Money(amount, FREE_ACCOUNTS[i][1])) for i, amount in lines],
            date=day,
            kind=kind,
            idempotency_key=key,
            memo=f"Écriture {key}",
            posted_by=self.users["clerk"],
        )

    def record_posted(
        self, key: str, txn: Transaction, lines: list[tuple[int, Decimal]], request: tuple, **flags
    ) -> None:
        self.posted[key] = Posted(txn_id=txn.pk, request=request, lines=lines, **flags)
        for index, amount in lines:
            self.expected_balances[index] += amount

    def post_one(self, key: str, lines: list[tuple[int, Decimal]], day: date, kind: str) -> None:
        request = self.request_of(lines, day, kind)
        known = self.posted.get(key)
        expected = Expected(self.line_refusals(lines, kind))
        if not expected.must:
            if known is not None:
                expected.must = set() if known.request == request else {"key_reused"}
            else:
                expected.must = self.period_refusals(day)
        outcome = self.attempt(lambda: transaction_post(**vars(self.request(key, lines, day, kind))))
        if not self.judge(outcome, expected):
            return
        if known is not None:
            assert (outcome.transaction.pk, outcome.created) == (known.txn_id, False), "a retry posted again"
        else:
            assert outcome.created
            self.record_posted(key, outcome.transaction, lines, request)

    @rule(raw=RAW_LINES, flaw=FLAWS, day=DAYS, kind=FREE_KINDS)
    def post(self, raw, flaw, day, kind):
        kind = TransactionKind.REVERSAL if flaw == "reversal_kind" else kind
        self.post_one(self.new_key(), self.lines_from(raw, flaw), day, kind)

    @precondition(lambda self: any(not p.is_reversal for p in self.posted.values()))
    @rule(pick=PICK, shuffle=st.randoms(use_true_random=False))
    def retry_the_same_request(self, pick, shuffle):
        """A retry (a double click, a lost answer) of a posting, perhaps after its period closed."""
        originals = [(key, p) for key, p in self.posted.items() if not p.is_reversal]
        key, known = choose(originals, pick, lambda item: FiscalPeriod.year_of(item[1].request[0]) in self.closed_years)
        day, kind, _lines = known.request
        lines = list(known.lines)
        shuffle.shuffle(lines)
        self.post_one(key, lines, day, kind)

    @precondition(lambda self: self.posted)
    @rule(pick=PICK, raw=RAW_LINES, day=DAYS, kind=FREE_KINDS)
    def reuse_a_key_for_another_request(self, pick, raw, day, kind):
        key = sorted(self.posted)[pick % len(self.posted)]
        self.post_one(key, self.lines_from(raw, None), day, kind)

    @rule(
        items=st.lists(
            st.tuples(RAW_LINES, FLAWS, DAYS, FREE_KINDS, st.sampled_from(["new", "new", "repeat", "clash", "old"])),
            min_size=1,
            max_size=4,
        )
    )
    def post_a_batch(self, items):
        """Several requests in one call: all posted, or none; a key asked twice must ask the same thing."""
        asked = []
        for raw, flaw, day, kind, key_mode in items:
            kind = TransactionKind.REVERSAL if flaw == "reversal_kind" else kind
            lines = self.lines_from(raw, flaw)
            if key_mode in ("repeat", "clash") and asked:
                key, lines, day, kind = asked[-1] if key_mode == "repeat" else (asked[-1][0], lines, day, kind)
            elif key_mode == "old" and self.posted:
                key = sorted(self.posted)[len(asked) % len(self.posted)]
                known = self.posted[key]
                if known.is_reversal:
                    key = self.new_key()
                else:
                    day, kind = known.request[0], known.request[1]
                    lines = list(known.lines)
            else:
                key = self.new_key()
            asked.append((key, lines, day, kind))

        expected = Expected()
        first: dict[str, tuple] = {}
        for key, lines, day, kind in asked:
            expected.must |= self.line_refusals(lines, kind)
            if first.setdefault(key, self.request_of(lines, day, kind)) != self.request_of(lines, day, kind):
                expected.must.add("key_reused")
        if not expected.must:
            for key, request in first.items():
                known = self.posted.get(key)
                if known is None:
                    expected.must |= self.period_refusals(request[0])
                elif known.request != request:
                    expected.must.add("key_reused")
        requests = [self.request(key, lines, day, kind) for key, lines, day, kind in asked]
        outcome = self.attempt(lambda: transactions_post(requests=requests))
        if not self.judge(outcome, expected):
            return
        assert len(outcome) == len(asked)
        known_before = {key: self.posted.get(key) for key in first}
        by_key: dict[str, int] = {}
        for (key, lines, day, kind), result in zip(asked, outcome, strict=True):
            assert by_key.setdefault(key, result.transaction.pk) == result.transaction.pk, "one key, two transactions"
            known = known_before[key]
            if known is not None:
                assert (result.transaction.pk, result.created) == (known.txn_id, False), "a retry posted again"
            elif key not in self.posted:
                assert result.created
                self.record_posted(key, result.transaction, lines, self.request_of(lines, day, kind))
            else:
                assert not result.created, "a key asked twice in a batch answered as posted twice"

    @precondition(lambda self: self.posted)
    @rule(pick=PICK, day=DAYS)
    def reverse(self, pick, day):
        def reversible(key: str) -> bool:
            return not (self.posted[key].is_reversal or self.posted[key].reversed)

        key = choose(sorted(self.posted), pick, reversible)
        known = self.posted[key]
        if known.is_reversal:
            expected = Expected({"reverse_reversal"})
        elif known.reversed:
            expected = Expected({"already_reversed"})
        else:
            expected = Expected(self.period_refusals(day))
        original = Transaction.objects.get(pk=known.txn_id)
        admin = self.users["admin_a"]
        outcome = self.attempt(lambda: transaction_reverse(original=original, date=day, posted_by=admin))
        if not self.judge(outcome, expected):
            return
        assert outcome.created and outcome.transaction.reverses_id == known.txn_id
        known.reversed = True
        lines = [(index, -amount) for index, amount in known.lines]
        self.record_posted(
            outcome.transaction.idempotency_key,
            outcome.transaction,
            lines,
            (day, TransactionKind.REVERSAL, tuple(sorted(lines))),
            is_reversal=True,
        )

    # --- Fiscal periods ----------------------------------------------------------------------------------------------

    @rule(pick=PICK, actor=st.sampled_from(["admin_a"] * 3 + ["clerk"]), early=st.sampled_from([False] * 3 + [True]))
    def close_a_period(self, pick, actor, early):
        """Close a fiscal year, mostly one that has postings a retry may come back to."""
        posted_in = set(Transaction.objects.values_list("period_id", flat=True).distinct())
        year = choose(list(TEST_FISCAL_YEARS), pick, lambda year: year in posted_in - self.closed_years)
        period = FiscalPeriod.objects.get(start_year=year)
        expected = Expected()
        if actor == "clerk":
            expected.must.add("not_administrator")
        if year in self.closed_years:
            expected.must.add("already_closed")
        if early:
            expected.must.add("not_ended")
        today = period.end_date if early else period.end_date + timedelta(days=1)
        outcome = self.attempt(lambda: fiscal_period_close(period=period, closed_by=self.users[actor], today=today))
        if self.judge(outcome, expected):
            self.closed_years.add(year)

    @rule(year=st.sampled_from([2019, 2022, 2029, 2099, 2100, 2101]), actor=st.sampled_from(["admin_b", "clerk"]))
    def open_a_period(self, year, actor):
        expected = Expected()
        if actor == "clerk":
            expected.must.add("not_administrator")
        if not 2000 <= year <= 2100:
            expected.must.add("year_out_of_range")
        outcome = self.attempt(lambda: fiscal_period_open(start_year=year, opened_by=self.users[actor]))
        if self.judge(outcome, expected):
            self.open_years.add(year)

    # --- Grants ------------------------------------------------------------------------------------------------------

    @rule(
        name=st.sampled_from(["Soutien aux partenaires", "Relève"]),
        year=YEARS,
        envelope=st.integers(min_value=1_000_00, max_value=200_000_00),
        funded_on=DAYS,
        actor=st.sampled_from(["clerk", "admin_a", "outsider"]),
    )
    def create_a_programme(self, name, year, envelope, funded_on, actor):
        expected = Expected(self.period_refusals(funded_on))
        if actor == "outsider":
            expected.must.add("not_staff")
        if FundingProgramme.objects.filter(name=name, fiscal_year=year).exists():
            expected.must.add("programme_exists")
        outcome = self.attempt(
            lambda: programme_create(
                name=name,
                fiscal_year=year,
                amount=money_of(envelope),
                created_by=self.users[actor],
                funded_on=funded_on,
            )
        )
        if self.judge(outcome, expected):
            self.programmes.append(outcome)

    @precondition(lambda self: self.programmes)
    @rule(
        pick=PICK,
        party=st.integers(0, PARTIES - 1),
        amount=st.integers(min_value=1, max_value=60_000_00),
        start=st.dates(min_value=date(2023, 4, 1), max_value=date(2028, 12, 31)),
        length=st.integers(min_value=0, max_value=540),
        frequency=st.sampled_from([ScheduleFrequency.SINGLE, ScheduleFrequency.MONTHLY, ScheduleFrequency.QUARTERLY]),
        actor=st.sampled_from(["clerk", "admin_a", "admin_b", "outsider"]),
        split_budget=st.booleans(),
    )
    def create_a_grant(self, pick, party, amount, start, length, frequency, actor, split_budget):
        programme = self.programmes[pick % len(self.programmes)]
        total = money_of(amount)
        budget = {"activities": total}
        if split_budget and amount > 1:
            budget = {"activities": money_of(amount // 2), "salaries": money_of(amount - amount // 2)}
        end = start + timedelta(days=length)
        expected = Expected()
        if actor == "outsider":
            expected.must.add("not_staff")
        if total > programme_amounts(programme=programme).available:
            expected.must.add("exceeds_available")
        if len(schedule_dates(frequency=frequency, start_date=start, end_date=end)) > amount:
            expected.must.add("schedule_too_fine")
        outcome = self.attempt(
            lambda: grant_create(
                programme=programme,
                party=self.parties[party],
                title=f"Projet {len(self.grants)}",
                purpose=GrantPurpose.JOINT_PROJECT,
                amount=total,
                start_date=start,
                end_date=end,
                budget=budget,
                frequency=frequency,
                created_by=self.users[actor],
            )
        )
        if self.judge(outcome, expected):
            self.grants.append(outcome)

    def grant_at(self, pick: int, statuses) -> Grant:
        grants = Grant.objects.filter(pk__in=[g.pk for g in self.grants]).select_related("programme")
        grants = list(grants.order_by("pk"))
        return choose(grants, pick, lambda grant: grant.status in statuses)

    @precondition(lambda self: self.grants)
    @rule(pick=PICK, actor=st.sampled_from(["admin_a", "admin_b", "clerk"]))
    def approve_a_grant(self, pick, actor):
        grant = self.grant_at(pick, [GrantStatus.DRAFT])
        expected = Expected()
        if actor == "clerk":
            expected.must.add("not_administrator")
        if grant.status != GrantStatus.DRAFT:
            expected.must.add("not_draft")
        if grant.created_by_id == self.users[actor].pk:
            expected.must.add("own_grant")
        if grant.amount > programme_amounts(programme=grant.programme).available:
            expected.must.add("exceeds_available")
        self.judge(self.attempt(lambda: grant_approve(grant=grant, approved_by=self.users[actor])), expected)

    @precondition(lambda self: self.grants)
    @rule(
        pick=PICK,
        amount=st.none() | st.integers(min_value=1, max_value=60_000_00),
        shift=st.none() | st.integers(min_value=-400, max_value=400),
        actor=st.sampled_from(["admin_a", "admin_b", "clerk"]),
    )
    def amend_a_grant(self, pick, amount, shift, actor):
        grant = self.grant_at(pick, AMENDABLE_GRANTS)
        new_amount = money_of(amount) if amount is not None else grant.amount
        new_end = grant.end_date + timedelta(days=shift) if shift else grant.end_date
        instalments = list(grant.instalments.all())
        paid = sum((i.amount for i in instalments if i.status == InstalmentStatus.PAID), Money(0, "CAD"))
        settled_days = [i.due_date for i in instalments if i.status not in UNPAID]
        expected = Expected(may={"schedule_too_fine"})
        if actor == "clerk":
            expected.must.add("not_administrator")
        if grant.status not in AMENDABLE_GRANTS:
            expected.must.add("not_amendable")
        if new_end < grant.start_date:
            expected.must.add("end_before_start")
        if new_amount < paid:
            expected.must.add("amendment_below_paid")
        if settled_days and new_end < max(settled_days):
            expected.must.add("end_before_paid")
        increase = new_amount - grant.amount
        if grant.status in COMMITTING_GRANTS and increase > programme_amounts(programme=grant.programme).available:
            expected.must.add("exceeds_available")
        if amount is None and not shift:
            expected.may.add("changes_nothing")
        approver = self.users["admin_b" if actor == "admin_a" else "admin_a"]

        def amend():
            # Four eyes: one administrator proposes, the other approves; a refusal of either leaves nothing.
            with transaction.atomic():
                proposal = amendment_propose(
                    grant=grant,
                    proposed_by=self.users[actor],
                    amount=new_amount if amount is not None else None,
                    end_date=new_end if shift else None,
                )
                return amendment_approve(proposal=proposal, approved_by=approver)

        self.judge(self.attempt(amend), expected)

    @precondition(lambda self: self.grants)
    @rule(pick=PICK)
    def cancel_a_grant(self, pick):
        grant = self.grant_at(pick, AMENDABLE_GRANTS)
        ended = grant.status in (GrantStatus.CLOSED, GrantStatus.CANCELLED)
        expected = Expected({"not_cancellable"} if ended else set())
        self.judge(self.attempt(lambda: grant_cancel(grant=grant, cancelled_by=self.users["admin_b"])), expected)

    @precondition(lambda self: self.grants)
    @rule(pick=PICK)
    def close_a_grant(self, pick):
        grant = self.grant_at(pick, [GrantStatus.ACTIVE])
        expected = Expected()
        if grant.status != GrantStatus.ACTIVE:
            expected.must.add("not_active")
        if grant.instalments.filter(status__in=UNPAID).exists():
            expected.must.add("unpaid_instalments")
        self.judge(self.attempt(lambda: grant_close(grant=grant, closed_by=self.users["clerk"])), expected)

    @precondition(lambda self: self.grants)
    @rule(today=DAYS)
    def run_the_daily_disbursement(self, today):
        due = set(
            Instalment.objects.filter(
                due_date__lte=today, status__in=DUE, grant__status__in=PAYABLE_GRANTS
            ).values_list("pk", flat=True)
        )
        run = disbursements_post_due(today=today)
        after = dict(Instalment.objects.filter(pk__in=due).values_list("pk", "status"))
        if self.period_refusals(today):
            assert (run.paid, set(run.failures)) == (0, due), run.as_dict()
            assert set(after.values()) <= {InstalmentStatus.FAILED}
        else:
            assert (run.paid, run.failed, run.held) == (len(due), 0, 0), run.as_dict()
            assert set(after.values()) <= {InstalmentStatus.PAID}

    def instalment_at(self, pick: int, statuses) -> Instalment | None:
        instalments = list(Instalment.objects.filter(grant__in=[g.pk for g in self.grants]).order_by("pk"))
        return choose(instalments, pick, lambda instalment: instalment.status in statuses) if instalments else None

    @precondition(lambda self: self.grants)
    @rule(pick=PICK, today=DAYS)
    def pay_an_instalment_by_hand(self, pick, today):
        instalment = self.instalment_at(pick, DUE)
        if instalment is None:
            return
        before = snapshot()
        grant = instalment.grant
        if instalment.status == InstalmentStatus.PAID:
            expected = Expected()
        elif instalment.status not in DUE or grant.status not in PAYABLE_GRANTS:
            expected = Expected({"not_payable"})
        else:
            expected = Expected(self.period_refusals(today))
        paid_before = instalment.status == InstalmentStatus.PAID
        clerk = self.users["clerk"]
        outcome = self.attempt(lambda: instalment_pay(instalment=instalment, today=today, posted_by=clerk))
        if self.judge(outcome, expected):
            assert outcome.status == InstalmentStatus.PAID
            if paid_before:
                assert snapshot() == before, "paying a paid instalment again wrote something"

    @precondition(lambda self: self.grants)
    @rule(pick=PICK, day=DAYS, actor=st.sampled_from(["admin_a", "clerk"]))
    def reverse_an_instalment_payment(self, pick, day, actor):
        instalment = self.instalment_at(pick, [InstalmentStatus.PAID])
        if instalment is None:
            return
        expected = Expected()
        if actor == "clerk":
            expected.must.add("not_administrator")
        if instalment.status != InstalmentStatus.PAID:
            expected.must.add("not_paid")
        else:
            expected.must |= self.period_refusals(day)
        self.judge(
            self.attempt(
                lambda: instalment_reverse_payment(instalment=instalment, reversed_by=self.users[actor], on=day)
            ),
            expected,
        )

    # --- Shared costs ------------------------------------------------------------------------------------------------

    @rule(pool=st.integers(0, 1), cost=st.integers(min_value=0, max_value=20_000_00))
    def change_a_pool_cost(self, pool, cost):
        """An administrator edits the pool: its draft allocations go stale."""
        CostPool.objects.filter(pk=self.pools[pool].pk).update(budgeted_cost=money_of(cost))
        self.pools[pool].refresh_from_db()

    @rule(
        party=st.integers(0, PARTIES - 1),
        value=st.integers(min_value=0, max_value=500_000),
        as_of=st.sampled_from([date(2025, 3, 31), date(2025, 6, 1)]),
    )
    def declare_means(self, party, value, as_of):
        means_declare(
            party=self.parties[party], value=Decimal(value), as_of=as_of, source="Rapport annuel", declared_by=self.users["clerk"]
        )

    @rule(pool=st.integers(0, 1), party=st.integers(0, PARTIES - 1))
    def join_a_pool(self, pool, party):
        Participation.objects.get_or_create(pool=self.pools[pool], party=self.parties[party])

    @rule(pool=st.integers(0, 1), actor=ADMINS)
    def compute_an_allocation(self, pool, actor):
        outcome = self.attempt(lambda: allocation_compute(pool=self.pools[pool], prepared_by=self.users[actor]))
        if self.judge(outcome, Expected(may={"zero_means", "missing_means"})):
            self.allocations.append(outcome)

    def allocation_at(self, pick: int, status: str) -> Allocation:
        allocations = list(Allocation.objects.filter(pk__in=[a.pk for a in self.allocations]).order_by("pk"))
        return choose(allocations, pick, lambda allocation: allocation.status == status)

    @precondition(lambda self: self.allocations)
    @rule(pick=PICK, approver=st.sampled_from(["other"] * 3 + ["preparer"]))
    def approve_an_allocation(self, pick, approver):
        allocation = self.allocation_at(pick, AllocationStatus.DRAFT)
        preparer = next(name for name, user in self.users.items() if user.pk == allocation.prepared_by_id)
        actor = preparer if approver == "preparer" else {"admin_a": "admin_b", "admin_b": "admin_a"}[preparer]
        expected = Expected()
        if allocation.status != AllocationStatus.DRAFT:
            expected.must.add("not_draft")
        if allocation.prepared_by_id == self.users[actor].pk:
            expected.must.add("self_approval")
        if allocation_is_stale(allocation):
            expected.must.add("stale")
        approver = self.users[actor]
        self.judge(self.attempt(lambda: allocation_approve(allocation=allocation, approved_by=approver)), expected)

    @precondition(lambda self: self.allocations)
    @rule(pick=PICK, day=DAYS)
    def post_an_allocation(self, pick, day):
        allocation = self.allocation_at(pick, AllocationStatus.APPROVED)
        pool = allocation.pool
        current = allocation_current(pool)
        old = {s.party_id: s.amount for s in current.shares.all()} if current and current != allocation else {}
        new = {s.party_id: s.amount for s in allocation.shares.all()}
        zero = Money(0, pool.currency)
        expected = Expected()
        if allocation.status != AllocationStatus.APPROVED:
            expected.must.add("not_approved")
        for party_id, credited in self.in_kind_credited(pool).items():
            if credited > new.get(party_id, zero):
                expected.must.add("share_below_in_kind")
        if any(new.get(p, zero) != old.get(p, zero) for p in set(new) | set(old)):
            expected.must |= self.period_refusals(day)
        self.judge(
            self.attempt(lambda: allocation_post(allocation=allocation, posted_by=self.users["admin_a"], date=day)),
            expected,
        )

    @staticmethod
    def in_kind_credited(pool: CostPool) -> dict[int, Money]:
        credited: dict[int, Money] = {}
        for contribution in InKindContribution.objects.filter(pool=pool, transaction__isnull=False):
            earlier = credited.get(contribution.party_id, Money(0, pool.currency))
            credited[contribution.party_id] = earlier + contribution.value
        return credited

    def is_participant(self, pool: CostPool, party: Party) -> bool:
        return Participation.objects.filter(pool=pool, party=party).exists()

    @rule(
        pool=st.integers(0, 1),
        payer=st.integers(0, PARTIES - 1),
        amount=st.none() | st.integers(min_value=1, max_value=5_000_00),
        day=DAYS,
        currency=st.sampled_from(["CAD", "CAD", "CAD", "USD"]),
    )
    def post_an_expense(self, pool, payer, amount, day, currency):
        """An invoice paid for the pool; without an amount, what is left of the allocated cost to pay."""
        pool = self.pools[pool]
        if amount is None:
            amount = int(-sum((b.amount for b in pool_balances(pool=pool).values()), Decimal(0)) * 100)
            if amount <= 0:
                return
        expense = Expense.objects.create(
            pool=pool, payer=self.parties[payer], vendor="Fournisseur", date=day, amount=money_of(amount, currency)
        )
        self.expenses.append(expense)
        self.post_expense(expense)

    def post_expense(self, expense: Expense) -> None:
        before = snapshot()
        expected = Expected()
        if expense.transaction_id is None:
            if expense.amount.currency.code != expense.pool.currency:
                expected.must.add("currency_mismatch")
            if not self.is_participant(expense.pool, expense.payer):
                expected.must.add("not_participant")
            expected.must |= self.period_refusals(expense.date)
        posted_before = expense.transaction_id
        outcome = self.attempt(lambda: expense_post(expense=expense, posted_by=self.users["clerk"]))
        if self.judge(outcome, expected):
            assert outcome.transaction_id is not None
            if posted_before is not None:
                assert outcome.transaction_id == posted_before
                assert snapshot() == before, "posting an expense again wrote something"

    @precondition(lambda self: self.expenses)
    @rule(pick=PICK)
    def post_an_expense_again(self, pick):
        expense = self.expenses[pick % len(self.expenses)]
        self.post_expense(Expense.objects.select_related("pool", "payer").get(pk=expense.pk))

    @rule(pool=st.integers(0, 1), party=st.integers(0, PARTIES - 1), value=st.integers(1, 5_000_00), day=DAYS)
    def credit_in_kind(self, pool, party, value, day):
        pool, party = self.pools[pool], self.parties[party]
        contribution = InKindContribution.objects.create(
            pool=pool,
            party=party,
            description="Salle prêtée",
            value=money_of(value),
            justification="Tarif du marché",
            date=day,
        )
        expected = Expected()
        current = allocation_current(pool)
        share = current.shares.filter(party=party).first() if current else None
        if not self.is_participant(pool, party):
            expected.must.add("not_participant")
        elif share is None:
            expected.must.add("no_share")
        elif self.in_kind_credited(pool).get(party.pk, Money(0, "CAD")) + contribution.value > share.amount:
            expected.must.add("in_kind_above_share")
        else:
            expected.must |= self.period_refusals(day)
        clerk = self.users["clerk"]
        self.judge(self.attempt(lambda: in_kind_post(contribution=contribution, posted_by=clerk)), expected)

    def record_settlement(
        self,
        pool: CostPool,
        payer: Party,
        payee: Party,
        amount: Money,
        day: date,
        *,
        retry: SettlementAsked | None = None,
    ) -> None:
        """Record a payment between two parties: a new one, or the retry of one recorded before (a double click).

        A new payment is owed on the positions as they are, whatever was paid
        earlier the same day, even of the same amount between the same parties.
        """
        request_id = retry.request_id if retry is not None else self.new_request_id()
        balances = pool_balances(pool=pool)
        before = snapshot()
        expected = Expected()
        if retry is None:
            if payer.pk == payee.pk:
                expected.must.add("same_party")
            if not (self.is_participant(pool, payer) and self.is_participant(pool, payee)):
                expected.must.add("not_participant")
            elif amount > -balances[payer.pk] or amount > balances[payee.pk]:
                expected.must.add("settlement_exceeds")
            expected.must |= self.period_refusals(day)
        outcome = self.attempt(
            lambda: settlement_record(
                pool=pool, payer=payer, payee=payee, amount=amount, date=day, recorded_by=self.users["clerk"],
                request_id=request_id,
            )
        )
        if not self.judge(outcome, expected):
            return
        if retry is not None:
            assert outcome.pk == retry.txn_id and snapshot() == before, "a settlement recorded twice"
            return
        after = pool_balances(pool=pool)
        moved = (after[payer.pk], after[payee.pk]) == (balances[payer.pk] + amount, balances[payee.pk] - amount)
        assert moved, f"the payment of {amount} from {payer} to {payee} left the positions at {after}"
        self.settlements[request_id] = SettlementAsked(pool, payer, payee, amount, day, outcome.pk, request_id)

    @rule(pool=st.integers(0, 1), day=DAYS, same_day=st.booleans())
    def settle_by_the_plan(self, pool, day, same_day):
        """Pay the plan's first transfer, perhaps on the day of the pool's last settlement (several happen in a day)."""
        pool = self.pools[pool]
        balances = pool_balances(pool=pool)
        if sum(b.amount for b in balances.values()):
            return
        plan = settle(balances)
        earlier = [asked.day for asked in self.settlements.values() if asked.pool == pool]
        if plan:
            payer, payee, amount = plan[0]
            day = earlier[-1] if same_day and earlier else day
            self.record_settlement(pool, Party.objects.get(pk=payer), Party.objects.get(pk=payee), amount, day)

    @rule(
        pool=st.integers(0, 1),
        payer=st.integers(0, PARTIES - 1),
        payee=st.integers(0, PARTIES - 1),
        amount=st.integers(1, 5_000_00),
        day=DAYS,
    )
    def settle_at_random(self, pool, payer, payee, amount, day):
        self.record_settlement(self.pools[pool], self.parties[payer], self.parties[payee], money_of(amount), day)

    @precondition(lambda self: self.settlements)
    @rule(pick=PICK)
    def record_a_settlement_again(self, pick):
        asked = self.settlements[sorted(self.settlements)[pick % len(self.settlements)]]
        self.record_settlement(asked.pool, asked.payer, asked.payee, asked.amount, asked.day, retry=asked)

    @precondition(lambda self: self.settlements)
    @rule(pick=PICK)
    def pay_the_same_again(self, pick):
        """A second real payment, the same amount the same day between the same parties: a settlement of its own."""
        asked = self.settlements[sorted(self.settlements)[pick % len(self.settlements)]]
        self.record_settlement(asked.pool, asked.payer, asked.payee, asked.amount, asked.day)

    # --- What must hold after every step -----------------------------------------------------------------------------

    @invariant()
    def the_books_hold(self):
        written = rows("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables")[0][0]
        if written == self.written_when_checked:
            return  # Nothing was written since the last check: the books are as they were then.
        self.written_when_checked = written
        deferred_checks_run()
        self.every_transaction_balances()
        sums = self.balances_are_the_sums_of_entries()
        self.movements_are_the_sums_of_entries()
        self.no_instalment_is_paid_twice(sums)
        self.grants_keep_to_their_amounts()
        self.no_share_is_below_its_in_kind_credit(sums)
        self.settlement_plans_clear_the_pools(sums)

    def every_transaction_balances(self):
        flawed = rows(
            "SELECT t.id, e.amount_currency, sum(e.amount) FROM ledger_transaction t "
            "LEFT JOIN ledger_entry e ON e.transaction_id = t.id GROUP BY t.id, e.amount_currency "
            "HAVING coalesce(sum(e.amount), 0) <> 0 "
            "OR (SELECT count(*) FROM ledger_entry x WHERE x.transaction_id = t.id) < 2"
        )
        assert not flawed, f"transactions unbalanced or with fewer than two entries: {flawed}"

    def balances_are_the_sums_of_entries(self) -> dict[str, Decimal]:
        """The selectors agree with SQL on every account and party whose entries changed since the last check.

        Returns the balance of every account by code, for the checks that follow.
        """
        sums = {
            account: (code, party, currency, total)
            for account, code, party, currency, total in rows(
                "SELECT a.id, a.code, a.party_id, a.currency, coalesce(sum(e.amount), 0) FROM ledger_account a "
                "LEFT JOIN ledger_entry e ON e.account_id = a.id GROUP BY a.id"
            )
        }
        changed = [pk for pk, row in sums.items() if self.seen_sums.get(pk) != row]
        for account in Account.objects.filter(pk__in=changed):
            assert account_balance(account=account).amount == sums[account.pk][3], account.code
        by_party: dict[int, dict[str, Decimal]] = {}
        for _code, party, currency, total in sums.values():
            if party is not None and total:
                by_party.setdefault(party, {})
                by_party[party][currency] = by_party[party].get(currency, Decimal(0)) + total
        for party in Party.objects.filter(pk__in={sums[pk][1] for pk in changed} - {None}):
            balances = {c: m.amount for c, m in party_balances(party=party).items() if m.amount}
            assert balances == by_party.get(party.pk, {}), party.name
        self.seen_sums = sums
        for account, expected in zip(self.accounts, self.expected_balances, strict=True):
            held = sums[account.pk][3]
            assert held == expected, f"{account.code} holds {held}, not the {expected} posted to it"
        return {code: total for code, _party, _currency, total in sums.values()}

    def movements_are_the_sums_of_entries(self):
        """The movements the database keeps for each account, by day and by fiscal year, are the sums of its entries."""
        differing = rows(
            "WITH kept_days AS (SELECT account_id, day, sum(amount) AS total FROM ledger_accountdaymovement GROUP BY 1, 2), "
            "summed_days AS (SELECT account_id, date AS day, sum(amount) AS total FROM ledger_entry GROUP BY 1, 2), "
            "kept_years AS (SELECT account_id, start_year, sum(amount) AS total FROM ledger_accountperiodmovement GROUP BY 1, 2), "
            "summed_years AS (SELECT account_id, ledger_fiscal_year(day) AS start_year, sum(total) AS total "
            "FROM summed_days GROUP BY 1, 2) "
            "SELECT account_id, day::text, k.total, s.total FROM kept_days k FULL JOIN summed_days s USING (account_id, day) "
            "WHERE k.total IS DISTINCT FROM s.total UNION ALL "
            "SELECT account_id, start_year::text, k.total, s.total FROM kept_years k FULL JOIN summed_years s "
            "USING (account_id, start_year) WHERE k.total IS DISTINCT FROM s.total"
        )
        assert not differing, f"kept movements that are not the sums of their entries: {differing}"

    def no_instalment_is_paid_twice(self, sums: dict[str, Decimal]):
        """An instalment's one payment is the transaction under its key, there exactly when it is paid or reversed."""
        payments = rows(
            "SELECT i.id, i.status, i.transaction_id, t.id, r.id FROM grants_instalment i "
            "FULL JOIN (SELECT * FROM ledger_transaction WHERE kind = 'disbursement') t "
            "ON t.idempotency_key = 'instalment:' || i.id "
            "LEFT JOIN ledger_transaction r ON r.reverses_id = t.id"
        )
        for instalment, status, linked, payment, reversal in payments:
            assert instalment is not None, f"transaction {payment} pays no instalment"
            if status == InstalmentStatus.PAID:
                assert linked == payment is not None and reversal is None, f"instalment {instalment} paid: {payment}"
            elif status == InstalmentStatus.REVERSED:
                assert linked == payment is not None and reversal is not None, f"instalment {instalment} reversed"
            else:
                assert linked is None and payment is None, f"instalment {instalment} is {status} with a payment"
        paid_by_programme: dict[int, Decimal] = {}
        paid_by_account: dict[str, Decimal] = {}
        for programme, party, currency, amount in Instalment.objects.filter(status=InstalmentStatus.PAID).values_list(
            "grant__programme", "grant__party", "amount_currency", "amount"
        ):
            paid_by_programme[programme] = paid_by_programme.get(programme, Decimal(0)) + amount
            code = f"GR-{party}-{currency}"
            paid_by_account[code] = paid_by_account.get(code, Decimal(0)) + amount
        for programme in programmes_with_amounts():
            amounts = amounts_of(programme)
            paid = paid_by_programme.get(programme.pk, Decimal(0))
            assert amounts.disbursed.amount == paid, f"{programme} disbursed {amounts.disbursed}, paid {paid}"
            assert amounts.available.amount >= 0, f"{programme} commits {amounts.committed} of {amounts.envelope}"
        received = {code: total for code, total in sums.items() if code.startswith("GR-") and total}
        assert received == {code: total for code, total in paid_by_account.items() if total}

    def grants_keep_to_their_amounts(self):
        for grant in Grant.objects.prefetch_related("instalments"):
            by_status: dict[str, Decimal] = {}
            for instalment in grant.instalments.all():
                by_status[instalment.status] = by_status.get(instalment.status, Decimal(0)) + instalment.amount.amount
            paid = by_status.get(InstalmentStatus.PAID, Decimal(0))
            planned = paid + sum(by_status.get(status, Decimal(0)) for status in UNPAID)
            assert paid <= grant.amount.amount, f"{grant} paid {paid} of {grant.amount}"
            if grant.status == GrantStatus.DRAFT:
                assert not paid and InstalmentStatus.REVERSED not in by_status, f"draft {grant} was paid"
            if grant.status != GrantStatus.CANCELLED and InstalmentStatus.REVERSED not in by_status:
                assert planned == grant.amount.amount, f"{grant}: instalments {by_status}, amount {grant.amount}"

    def no_share_is_below_its_in_kind_credit(self, sums: dict[str, Decimal]):
        """In kind stays within the posted shares, and the positions carry exactly the posted shares."""
        shares = {
            (pool, party): amount
            for pool, party, amount in AllocationShare.objects.filter(
                allocation__pool__in=self.pools, allocation__status=AllocationStatus.POSTED
            ).values_list("allocation__pool", "party", "amount")
        }
        credited = (
            InKindContribution.objects.filter(pool__in=self.pools, transaction__isnull=False)
            .values("pool", "party")
            .annotate(total=Sum("value"))
            .values_list("pool", "party", "total")
        )
        for pool, party, total in credited:
            assert (pool, party) in shares and total <= shares[(pool, party)], f"pool {pool}: {total} in kind, {shares}"
        allocated = rows(
            "SELECT a.code, sum(e.amount) FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id "
            "JOIN ledger_transaction t ON t.id = e.transaction_id "
            "WHERE t.kind = 'allocation' AND a.code LIKE 'POOL-%%-P%%' "
            "GROUP BY a.code HAVING sum(e.amount) <> 0"
        )
        posted = {f"POOL-{pool}-P{party}": -amount for (pool, party), amount in shares.items() if amount}
        assert dict(allocated) == posted
        for pool in self.pools:
            assert pool.allocations.filter(status=AllocationStatus.POSTED).count() <= 1

    def settlement_plans_clear_the_pools(self, sums: dict[str, Decimal]):
        """A pool's positions and its cost sum to zero; when the positions alone do, the plan clears them."""
        for pool in self.pools:
            balances = pool_balances(pool=pool)
            total = sum((b.amount for b in balances.values()), Decimal(0))
            assert total + sums.get(pool.cost_account_code, 0) == 0, f"{pool}: {balances}"
            if total:
                with pytest.raises(SettlementError):
                    settle(balances)
                continue
            plan = settle(balances)
            cleared = {party_id: balance.amount for party_id, balance in balances.items()}
            for payer, payee, amount in plan:
                cleared[payer] += amount.amount
                cleared[payee] -= amount.amount
            assert not any(cleared.values()), f"{pool}: the plan {plan} leaves {cleared}"
            assert len(plan) < max(2, sum(1 for b in balances.values() if b.amount)), plan


@pytest.mark.django_db
def test_the_books_hold_whatever_is_done_in_whatever_order():
    immediate = rows(
        "SELECT conname FROM pg_constraint WHERE condeferrable AND NOT condeferred "
        "UNION ALL SELECT tgname FROM pg_trigger WHERE tgdeferrable AND NOT tginitdeferred"
    )
    assert not immediate, f"deferrable but immediate, which deferred_checks_run would defer: {immediate}"
    run_state_machine_as_test(Books, settings=MACHINE_SETTINGS)
