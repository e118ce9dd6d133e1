"""Shares of a shared cost, by the rules of the cost pools.

Every rule turns what it is given (means, usage, agreed amounts) into exact
whole-number weights. Floors and caps then fix some parties at a bound, and
what is left is split once, by the largest remainder, among the others: the
shares sum exactly to the total and each is within a cent of its exact share.
Weights and amounts are whole numbers (cents) inside, so every comparison is
exact and cheap, and nothing is ever rounded but by :func:`split`.
"""

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeGuard, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from moneyed import Currency, Money

from ledger.money import is_whole_minor_units, minor_unit, split
from sharedcosts.errors import AllocationError

__all__ = ["RULES", "allocate", "split"]

K = TypeVar("K", bound=Hashable)

Number = Decimal | int


def allocate(total: Money, means: Mapping[K, Number], *, rule: str, **params: Any) -> dict[K, Money]:
    """Allocate ``total`` among the parties of ``means`` by ``rule``.

    The rules and their parameters: ``equal``; ``proportional`` (to means);
    ``base_plus_proportional`` (``base_fraction`` of the cost equally, the
    rest by means); ``progressive`` (by the means above ``threshold``);
    ``usage`` (by ``usage``, means ignored); ``fixed`` (``amounts`` or
    ``percentages``). Any rule also takes ``floors`` and ``caps``, amounts
    per party: a share stays within them, and what they cut or add is
    redistributed among the other parties by the same rule, until stable.
    """
    if rule not in RULES:
        raise AllocationError(
            _("%(rule)s is not an allocation rule; the rules are %(rules)s."),
            code="unknown_rule",
            params={"rule": rule, "rules": ", ".join(RULES)},
        )
    allowed = _RULE_PARAMS[rule] | {"floors", "caps"}
    for name in params:
        if name not in allowed:
            raise AllocationError(
                _("The rule %(rule)s takes no parameter %(param)s."),
                code="unknown_param",
                params={"rule": rule, "param": name},
            )
    if not means:
        raise AllocationError(_("There is nobody to allocate the cost to."), code="no_parties")
    for key, value in means.items():
        _check_number(
            value,
            key=key,
            kind="means",
            invalid=gettext_noop("The means of %(key)s must be a decimal number, not %(value)r."),
            negative=gettext_noop("The means of %(key)s are negative: %(value)s."),
        )
    unit = minor_unit(total)
    units = _cents(total)
    weights = RULES[rule](means, total, params)
    floors = _limits(params.get("floors", {}), means, total.currency, param="floors")
    caps = _limits(params.get("caps", {}), means, total.currency, param="caps")
    if floors or caps:
        _check_feasible(units, weights, floors, caps, total=total)
    fixed, free, rest = _clamp(units, weights, floors, caps)
    shares = split(Money(rest * unit, total.currency), free) if free else {}
    return {key: shares[key] if key in shares else Money(fixed[key] * unit, total.currency) for key in means}


def _equal(means: Mapping[K, Number], total: Money, params: Mapping[str, Any]) -> dict[K, int]:
    return dict.fromkeys(means, 1)


def _proportional(means: Mapping[K, Number], total: Money, params: Mapping[str, Any]) -> dict[K, int]:
    weights = dict(zip(means, _whole(means.values()), strict=True))
    if not any(weights.values()):
        raise AllocationError(_("Every party's means are zero: the cost cannot be split by means."), code="zero_means")
    return weights


def _base_plus_proportional(means: Mapping[K, Number], total: Money, params: Mapping[str, Any]) -> dict[K, int]:
    """Weights proportional to each exact share ``b/n + (1 - b)·m/M``.

    Multiplied by ``n·M·q`` where ``b = p/q``, the shares become the whole
    numbers ``p·M + (q - p)·n·m``, so the one split by them is exact.
    """
    fraction = _required(params, "base_fraction", "base_plus_proportional")
    if not _is_number(fraction) or not 0 <= fraction <= 1:
        raise AllocationError(
            _("The base fraction must be a decimal number from 0 to 1, not %(value)s."),
            code="invalid_base_fraction",
            params={"value": fraction},
        )
    p, q = fraction.as_integer_ratio()
    scaled = _whole(means.values())
    means_sum = sum(scaled)
    if not means_sum:
        if p == q:
            return dict.fromkeys(means, 1)
        raise AllocationError(_("Every party's means are zero: the cost cannot be split by means."), code="zero_means")
    n = len(scaled)
    return {key: p * means_sum + (q - p) * n * m for key, m in zip(means, scaled, strict=True)}


def _progressive(means: Mapping[K, Number], total: Money, params: Mapping[str, Any]) -> dict[K, int]:
    threshold = _required(params, "threshold", "progressive")
    if not _is_number(threshold):
        raise AllocationError(
            _("The threshold must be a decimal number, not %(value)r."),
            code="invalid_threshold",
            params={"value": threshold},
        )
    *scaled, limit = _whole([*means.values(), threshold])
    weights = {key: max(m - limit, 0) for key, m in zip(means, scaled, strict=True)}
    if not any(weights.values()):
        raise AllocationError(
            _("Nobody's means are above the threshold of %(threshold)s: the cost cannot be split."),
            code="nobody_above_threshold",
            params={"threshold": threshold},
        )
    return weights


def _usage(means: Mapping[K, Number], total: Money, params: Mapping[str, Any]) -> dict[K, int]:
    usage = _required(params, "usage", "usage")
    _check_keys(usage, means, param="usage")
    for key, value in usage.items():
        _check_number(
            value,
            key=key,
            kind="usage",
            invalid=gettext_noop("The usage of %(key)s must be a decimal number, not %(value)r."),
            negative=gettext_noop("The usage of %(key)s is negative: %(value)s."),
        )
    weights = dict(zip(means, _whole([usage[key] for key in means]), strict=True))
    if not any(weights.values()):
        raise AllocationError(_("Nobody has any usage: the cost cannot be split by usage."), code="zero_usage")
    return weights


def _fixed(means: Mapping[K, Number], total: Money, params: Mapping[str, Any]) -> dict[K, int]:
    """Agreed amounts are their own weights; percentages are split by them."""
    if ("amounts" in params) == ("percentages" in params):
        raise AllocationError(
            _("A fixed split needs either amounts or percentages, one of the two."), code="fixed_choice"
        )
    if "percentages" in params:
        return _percentages(params["percentages"], means)
    amounts = params["amounts"]
    _check_keys(amounts, means, param="amounts")
    cents = {key: _param_cents(amounts[key], total.currency, param="amounts", key=key) for key in means}
    amounts_sum = sum(cents.values())
    if amounts_sum != _cents(total):
        raise AllocationError(
            _("The amounts add up to %(sum)s, not to the total of %(total)s."),
            code="amounts_mismatch",
            params={"sum": Money(amounts_sum * minor_unit(total), total.currency), "total": total},
        )
    for key, amount in cents.items():
        if amount and (amount < 0) != (total.amount < 0):
            raise AllocationError(
                _("The amount of %(key)s, %(value)s, has the opposite sign to the total."),
                code="amount_sign",
                params={"key": key, "value": amounts[key]},
            )
    return {key: abs(amount) for key, amount in cents.items()}


def _percentages(percentages: Mapping[K, Number], means: Mapping[K, Number]) -> dict[K, int]:
    _check_keys(percentages, means, param="percentages")
    for key, value in percentages.items():
        _check_number(
            value,
            key=key,
            kind="percentage",
            invalid=gettext_noop("The percentage of %(key)s must be a decimal number, not %(value)r."),
            negative=gettext_noop("The percentage of %(key)s is negative: %(value)s."),
        )
    *scaled, hundred = _whole([*(percentages[key] for key in means), 100])
    if sum(scaled) != hundred:
        raise AllocationError(
            _("The percentages add up to %(sum)s, not to 100."),
            code="percentages_mismatch",
            params={"sum": sum(percentages.values())},
        )
    return dict(zip(means, scaled, strict=True))


RULES: dict[str, Callable[[Mapping[Any, Number], Money, Mapping[str, Any]], dict[Any, int]]] = {
    "equal": _equal,
    "proportional": _proportional,
    "base_plus_proportional": _base_plus_proportional,
    "progressive": _progressive,
    "usage": _usage,
    "fixed": _fixed,
}

_RULE_PARAMS: dict[str, frozenset[str]] = {
    "equal": frozenset(),
    "proportional": frozenset(),
    "base_plus_proportional": frozenset({"base_fraction"}),
    "progressive": frozenset({"threshold"}),
    "usage": frozenset({"usage"}),
    "fixed": frozenset({"amounts", "percentages"}),
}


def _clamp(
    units: int, weights: Mapping[K, int], floors: Mapping[K, int], caps: Mapping[K, int]
) -> tuple[dict[K, int], dict[K, int], int]:
    """Fix at their bound the parties whose share would cross it.

    Returns the fixed shares, the weights of the free parties and what is
    left for them. A party without weight is fixed at its floor, or zero.
    Each round fixes only the side, caps or floors, crossed by more in all:
    the free parties' common rate can then only move further that way, so
    every bound fixed holds in the final solution and no party is released.
    The loop ends within n rounds, in practice two or three, each of them
    linear in whole numbers.
    """
    fixed = {key: floors.get(key, 0) for key, weight in weights.items() if not weight}
    free = {key: weight for key, weight in weights.items() if weight}
    rest = units - sum(fixed.values())
    while free:
        free_weight = sum(free.values())
        below = {
            key: floors[key] * free_weight - rest * weight
            for key, weight in free.items()
            if key in floors and rest * weight < floors[key] * free_weight
        }
        above = {
            key: rest * weight - caps[key] * free_weight
            for key, weight in free.items()
            if key in caps and rest * weight > caps[key] * free_weight
        }
        if not below and not above:
            break
        deficit, excess = sum(below.values()), sum(above.values())
        bounds = {}
        if excess >= deficit:
            bounds.update((key, caps[key]) for key in above)
        if deficit >= excess:
            bounds.update((key, floors[key]) for key in below)
        for key, bound in bounds.items():
            del free[key]
            fixed[key] = bound
            rest -= bound
    return fixed, free, rest


def _check_feasible(
    units: int, weights: Mapping[K, int], floors: Mapping[K, int], caps: Mapping[K, int], *, total: Money
) -> None:
    """Refuse limits no allocation can meet, before looking for one."""
    if units < 0:
        raise AllocationError(
            _("Floors and caps apply to a cost, and %(total)s is negative."),
            code="negative_total",
            params={"total": total},
        )
    unit = minor_unit(total)
    for key, floor in floors.items():
        if key in caps and floor > caps[key]:
            raise AllocationError(
                _("The floor of %(key)s, %(floor)s, is above its cap, %(cap)s."),
                code="floor_above_cap",
                params={
                    "key": key,
                    "floor": Money(floor * unit, total.currency),
                    "cap": Money(caps[key] * unit, total.currency),
                },
            )
    floors_sum = sum(floors.values())
    if floors_sum > units:
        raise AllocationError(
            _("The floors add up to %(floors)s, more than the total of %(total)s."),
            code="floors_above_total",
            params={"floors": Money(floors_sum * unit, total.currency), "total": total},
        )
    if any(weight and key not in caps for key, weight in weights.items()):
        return
    capacity = sum(caps[key] if weight else floors.get(key, 0) for key, weight in weights.items())
    if capacity < units:
        raise AllocationError(
            _("Under their caps the parties can take at most %(capacity)s, less than the total of %(total)s."),
            code="caps_below_total",
            params={"capacity": Money(capacity * unit, total.currency), "total": total},
        )


def _limits(limits: Mapping[K, Money], means: Mapping[K, Number], currency: Currency, *, param: str) -> dict[K, int]:
    extra = [key for key in limits if key not in means]
    if extra:
        raise AllocationError(
            _("In %(param)s, %(keys)s are not among the parties."),
            code="extra_keys",
            params={"param": param, "keys": _listed(extra)},
        )
    cents = {key: _param_cents(limit, currency, param=param, key=key) for key, limit in limits.items()}
    for key, amount in cents.items():
        if amount < 0:
            raise AllocationError(
                _("In %(param)s, the amount for %(key)s is negative: %(value)s."),
                code="negative_limit",
                params={"param": param, "key": key, "value": limits[key]},
            )
    return cents


def _param_cents(value: Money, currency: Currency, *, param: str, key: object) -> int:
    if not isinstance(value, Money):
        raise AllocationError(
            _("In %(param)s, the value for %(key)s must be an amount of money, not %(value)r."),
            code="not_money",
            params={"param": param, "key": key, "value": value},
        )
    if value.currency != currency:
        raise AllocationError(
            _("In %(param)s, the amount for %(key)s is in %(currency)s, but the total is in %(total_currency)s."),
            code="currency_mismatch",
            params={"param": param, "key": key, "currency": value.currency, "total_currency": currency},
        )
    return _cents(value)


def _cents(value: Money) -> int:
    """The amount in minor units, refused unless a whole number of them."""
    if not is_whole_minor_units(value):
        raise AllocationError(
            _("%(value)s is not a whole number of cents."),
            code="sub_unit",
            params={"value": value},
        )
    return int(value.amount / minor_unit(value))


def _is_number(value: object) -> TypeGuard[Number]:
    return isinstance(value, Number) and not isinstance(value, bool) and Decimal(value).is_finite()


def _check_number(value: object, *, key: object, kind: str, invalid: str, negative: str) -> None:
    """Refuse a value that is not a decimal number, or is below zero.

    The messages come untranslated, so that a valid value costs no lookup.
    """
    if not _is_number(value):
        raise AllocationError(_(invalid), code=f"invalid_{kind}", params={"key": key, "value": value})
    if value < 0:
        raise AllocationError(_(negative), code=f"negative_{kind}", params={"key": key, "value": value})


def _check_keys(mapping: Mapping[K, object], means: Mapping[K, Number], *, param: str) -> None:
    missing = [key for key in means if key not in mapping]
    if missing:
        raise AllocationError(
            _("In %(param)s, there is nothing for %(keys)s."),
            code="missing_keys",
            params={"param": param, "keys": _listed(missing)},
        )
    extra = [key for key in mapping if key not in means]
    if extra:
        raise AllocationError(
            _("In %(param)s, %(keys)s are not among the parties."),
            code="extra_keys",
            params={"param": param, "keys": _listed(extra)},
        )


def _required(params: Mapping[str, Any], name: str, rule: str) -> Any:
    if name not in params:
        raise AllocationError(
            _("The rule %(rule)s needs %(param)s."),
            code="missing_param",
            params={"rule": rule, "param": name},
        )
    return params[name]


def _whole(values: Iterable[Number]) -> list[int]:
    """Exact decimals scaled by one common factor to whole numbers."""
    ratios = [value.as_integer_ratio() for value in values]
    scale = math.lcm(*(ratio[1] for ratio in ratios))
    return [numerator * (scale // denominator) for numerator, denominator in ratios]


def _listed(keys: Sequence[object]) -> str:
    return ", ".join(map(str, keys))
