"""How pools name the ledger accounts they own (a pool's cost, each participant's position), for the services
that make them and the ledger's pages that show them (:func:`pool_accounts_names`, registered in
:mod:`ledger.account_words`). The codes are the pool's (:attr:`CostPool.cost_account_code`,
:meth:`CostPool.position_account_code`)."""

import re
from collections.abc import Sequence

from django.utils.translation import gettext as _

from ledger.models import Account
from sharedcosts.models import CostPool

_POOL_ACCOUNT = re.compile(r"^POOL-(?P<pool>\d+)-(?:COST|P\d+)$")


def pool_cost_name(pool_name: str) -> str:
    return _("Cost of the pool %(pool)s") % {"pool": pool_name}


def pool_position_name(pool_name: str) -> str:
    return _("Position in the pool %(pool)s") % {"pool": pool_name}


def pool_accounts_names(accounts: Sequence[Account]) -> dict[int, str]:
    """The names of the pools' accounts among ``accounts`` in the active language, by id; one query for the pools."""
    by_pool: dict[int, list[Account]] = {}
    for account in accounts:
        if found := _POOL_ACCOUNT.match(account.code):
            by_pool.setdefault(int(found["pool"]), []).append(account)
    if not by_pool:
        return {}
    names: dict[int, str] = {}
    for pool_id, pool_name in CostPool.objects.filter(pk__in=by_pool).values_list("pk", "name"):
        for account in by_pool[pool_id]:
            written = pool_cost_name if account.code.endswith("-COST") else pool_position_name
            names[account.pk] = written(pool_name)
    return names
