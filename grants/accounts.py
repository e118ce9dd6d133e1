"""How grants name the ledger accounts they own, for the services that make them, the selectors that read them,
and the ledger's pages that show them (:func:`grants_accounts_names`, registered in :mod:`ledger.account_words`)."""

import re
from collections.abc import Sequence

from django.utils.translation import gettext as _

from grants.models import FundingProgramme
from ledger.models import Account

_GRANTS_RECEIVED = re.compile(r"^GR-\d+-(?P<currency>[A-Z]{3})$")
_FUNDING_SOURCE = re.compile(r"^SITE-FUNDING-(?P<currency>[A-Z]{3})$")
_PROGRAMME_FUND = re.compile(r"^PF-(?P<programme>\d+)$")


def grants_received_code(party_id: int, currency: str) -> str:
    """The code of a party's account of grants received in ``currency``."""
    return f"GR-{party_id}-{currency}"


def grants_received_name(currency: str) -> str:
    return _("Grants received (%(currency)s)") % {"currency": currency}


def funding_source_code(currency: str) -> str:
    """The code of the site's account that funds the programmes in ``currency``."""
    return f"SITE-FUNDING-{currency}"


def funding_source_name(currency: str) -> str:
    return _("Site contributions to the funding programmes (%(currency)s)") % {"currency": currency}


def programme_fund_code(programme_id: int) -> str:
    """The code of a programme's fund, the account its envelope is paid into."""
    return f"PF-{programme_id}"


def programme_fund_name(programme_name: str) -> str:
    return _("Programme fund: %(name)s") % {"name": programme_name}


def grants_accounts_names(accounts: Sequence[Account]) -> dict[int, str]:
    """The names of the grants' accounts among ``accounts`` in the active language, by id; one query for the funds."""
    names: dict[int, str] = {}
    funds: dict[int, int] = {}
    for account in accounts:
        if found := _GRANTS_RECEIVED.match(account.code):
            names[account.pk] = grants_received_name(found["currency"])
        elif found := _FUNDING_SOURCE.match(account.code):
            names[account.pk] = funding_source_name(found["currency"])
        elif found := _PROGRAMME_FUND.match(account.code):
            funds[int(found["programme"])] = account.pk
    if funds:
        for programme_id, name in FundingProgramme.objects.filter(pk__in=funds).values_list("pk", "name"):
            names[funds[programme_id]] = programme_fund_name(name)
    return names
