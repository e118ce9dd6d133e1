"""Reading the pools: each party's position, read from the ledger, and the
transfers that would clear them."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_percent
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from moneyed import Money

from ledger.models import FiscalPeriod, Party
from ledger.money import money_format, reader_locale
from ledger.selectors import balances_by_code
from ledger.words import name_sort_key
from sharedcosts.models import RULE_LABELS, RULE_PARAM_LABELS, Allocation, CostPool, Measure, Participation
from sharedcosts.settlement import settle


def _position_totals(codes: list[str]) -> dict[str, Decimal]:
    return balances_by_code(codes=codes)


def _pool_positions(pool: CostPool) -> tuple[dict[int, Party], dict[int, Money]]:
    """The pool's participants and their positions, both by party id (two queries)."""
    participations = list(Participation.objects.filter(pool=pool).select_related("party").order_by("party__name"))
    totals = _position_totals([pool.position_account_code(p.party_id) for p in participations])
    parties = {p.party_id: p.party for p in participations}
    balances = {
        p.party_id: Money(totals.get(pool.position_account_code(p.party_id), Decimal("0.00")), pool.currency)
        for p in participations
    }
    return parties, balances


def pool_balances(*, pool: CostPool) -> dict[int, Money]:
    """Each participant's position in the pool by party id, in the order of their names: paid + in kind − share.

    Positive: the pool owes the party; negative: the party owes the pool. Two queries.
    """
    return _pool_positions(pool)[1]


def _plan(balances: Mapping[int, Money], parties: Mapping[int, Party]) -> list[tuple[Party, Party, Money]]:
    return [(parties[payer], parties[payee], amount) for payer, payee, amount in settle(balances)]


def settlement_plan(*, pool: CostPool) -> list[tuple[Party, Party, Money]]:
    """The fewest transfers ``(payer, payee, amount)`` that clear the pool's positions."""
    parties, balances = _pool_positions(pool)
    return _plan(balances, parties)


def fiscal_year_pools(start_year: int):
    period = FiscalPeriod(start_year=start_year)
    return CostPool.objects.filter(start_date__gte=period.start_date, start_date__lte=period.end_date)


def _year(start_year: int) -> tuple[dict[str, dict[Party, Money]], list[CostPool]]:
    """Positions summed per party and currency over the year's pools whose positions clear (two queries).

    A pool whose positions do not sum to zero (its cost is not all paid yet,
    or not all allocated) cannot be settled; it is set aside as pending.
    """
    participations = list(
        Participation.objects.filter(pool__in=fiscal_year_pools(start_year))
        .select_related("party", "pool")
        .order_by("pool__start_date", "pool_id", "party__name")
    )
    totals = _position_totals([p.pool.position_account_code(p.party_id) for p in participations])
    by_pool: dict[CostPool, list[tuple[Party, Decimal]]] = defaultdict(list)
    for p in participations:
        by_pool[p.pool].append((p.party, totals.get(p.pool.position_account_code(p.party_id), Decimal("0.00"))))
    balances: dict[str, dict[Party, Money]] = defaultdict(dict)
    pending = []
    for pool, positions in by_pool.items():
        if sum(amount for _party, amount in positions):
            pending.append(pool)
            continue
        per_party = balances[pool.currency]
        for party, amount in positions:
            per_party[party] = per_party.get(party, Money("0.00", pool.currency)) + Money(amount, pool.currency)
    return dict(balances), pending


def year_balances(*, start_year: int) -> dict[str, dict[Party, Money]]:
    """Each party's positions summed over the fiscal year's settleable pools, by currency."""
    return _year(start_year)[0]


def year_pending_pools(*, start_year: int) -> list[CostPool]:
    """The fiscal year's pools left out of its settlement plan: their positions do not clear yet."""
    return _year(start_year)[1]


def settlement_plan_for_year(*, start_year: int) -> dict[str, list[tuple[Party, Party, Money]]]:
    """Per currency, the fewest transfers that clear the positions of the year's pools at once.

    Pools starting in the fiscal year are netted per party, so a party owed in
    one pool and owing in another makes one transfer, or none. Pools whose
    positions do not clear yet are left out (see :func:`year_pending_pools`).
    """
    return {
        currency: _plan({party.pk: balance for party, balance in balances.items()}, {party.pk: party for party in balances})
        for currency, balances in sorted(year_balances(start_year=start_year).items())
    }


def allocation_latest(pool: CostPool) -> Allocation | None:
    return pool.allocations.order_by("-version").first()


@dataclass(frozen=True)
class FairnessLine:
    party: Party
    share: Money
    means: Decimal | None
    cost_fraction: Decimal
    means_fraction: Decimal | None
    effort_ratio: Decimal | None
    flagged: bool


def allocation_fairness(*, allocation: Allocation) -> list[FairnessLine]:
    """Each party's share of the cost beside its share of the means.

    The effort ratio is ``(cost_i / means_i) / (C / Σm)``: 1.0 is exactly
    proportional. Parties outside the pool's tolerance band are flagged.
    Exempt parties and parties without means have no ratio.
    """
    pool = allocation.pool
    shares = list(allocation.shares.select_related("party", "means_declaration").order_by("party__name"))
    total = allocation.total.amount
    payers = [s for s in shares if s.means_declaration is not None and not allocation.inputs["parties"][str(s.party_id)]["exempt"]]
    means_sum = sum((s.means_declaration.value for s in payers), Decimal(0))
    lines = []
    for share in shares:
        exempt = allocation.inputs["parties"][str(share.party_id)]["exempt"]
        means = share.means_declaration.value if share.means_declaration else None
        cost_fraction = share.amount.amount / total if total else Decimal(0)
        means_fraction = means / means_sum if means is not None and means_sum and not exempt else None
        ratio = None
        if means and means_sum and total and not exempt:
            ratio = (share.amount.amount / means) / (total / means_sum)
        flagged = ratio is not None and not (pool.tolerance_low <= ratio <= pool.tolerance_high)
        lines.append(FairnessLine(share.party, share.amount, means, cost_fraction, means_fraction, ratio, flagged))
    return lines


@dataclass(frozen=True)
class InputRow:
    party: str
    means: Decimal | None
    usage: Decimal | None
    floor: Money | None
    cap: Money | None
    exempt: bool
    share: Money


@dataclass(frozen=True)
class AllocationInputs:
    """What an allocation was computed from, in words: the rule's label, its parameters named, each party's figures."""

    rule: str
    params: list[tuple[str, str]]
    total: Money
    start_date: date
    measure: str
    rows: list[InputRow]


def param_named(name: str, value: str) -> str:
    """``seuil de capacité : 100 000,00`` in French, ``threshold of means: 100,000.00`` in English."""
    return _("%(name)s: %(value)s") % {"name": name, "value": value}


def _party_named(key: Any, parties: Mapping[int, Party]) -> str:
    return parties[int(key)].name if str(key).isdigit() and int(key) in parties else str(key)


def _param_text(name: str, value: Any, currency: str, parties: Mapping[int, Party]) -> str:
    """A parameter's value as the reader writes it: ``50 %``, ``100 000,00``, ``1 200,00 $``; as written if not a number."""
    if isinstance(value, dict):
        return "; ".join(
            param_named(_party_named(key, parties), _param_text(name, item, currency, parties)) for key, item in value.items()
        )
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    if name == "base_fraction":
        return format_percent(number, locale=reader_locale(), decimal_quantization=False)
    if name == "percentages":
        return format_percent(number / 100, locale=reader_locale(), decimal_quantization=False)
    if name == "amounts":
        return money_format(Money(number, currency))
    return number_format(number, 2, force_grouping=True)


def rule_params_in_words(
    *, params: Mapping[str, Any], currency: str, parties: Mapping[int, Party] | None = None
) -> list[tuple[str, str]]:
    """Each of a rule's parameters named in words, with its value as the reader writes it.

    ``{"base_fraction": "0.5"}`` is ``[("part fixe répartie à parts égales", "50 %")]`` in
    French. A fixed rule's parameters name each party by its id: read by its
    name from ``parties``, else in one query (none for the other rules).
    """
    if parties is None:
        ids = {int(key) for value in params.values() if isinstance(value, dict) for key in value if str(key).isdigit()}
        parties = Party.objects.in_bulk(ids) if ids else {}
    return [
        (str(RULE_PARAM_LABELS.get(name, name)), _param_text(name, value, currency, parties)) for name, value in params.items()
    ]


def allocation_inputs(*, allocation: Allocation) -> AllocationInputs:
    inputs = allocation.inputs or {}
    currency = inputs.get("currency", allocation.pool.currency)
    figures = inputs.get("parties", {})
    parties = Party.objects.in_bulk([int(key) for key in figures])

    def amount(value: str | None) -> Money | None:
        return None if value is None else Money(value, currency)

    def number(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    return AllocationInputs(
        rule=str(RULE_LABELS.get(inputs.get("rule"), inputs.get("rule", ""))),
        params=rule_params_in_words(params=inputs.get("params") or {}, currency=currency, parties=parties),
        total=Money(inputs.get("total", "0"), currency),
        start_date=date.fromisoformat(inputs["start_date"]) if inputs.get("start_date") else allocation.pool.start_date,
        measure=str(dict(Measure.choices).get(inputs.get("measure"), inputs.get("measure", ""))),
        rows=[
            InputRow(
                party=parties[int(key)].name if int(key) in parties else key,
                means=number(row.get("means")),
                usage=number(row.get("usage")),
                floor=amount(row.get("floor")),
                cap=amount(row.get("cap")),
                exempt=bool(row.get("exempt")),
                share=Money(row.get("share", "0"), currency),
            )
            for key, row in sorted(
                figures.items(), key=lambda item: name_sort_key(parties[int(item[0])].name if int(item[0]) in parties else "")
            )
        ],
    )
