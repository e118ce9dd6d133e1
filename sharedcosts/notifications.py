"""What the shared costs tell people, and whom (through :mod:`ledger.notifications`).

| event | who hears of it | kind |
| --- | --- | --- |
| an allocation posted: the party's share and its balance in the pool | the party's "partner finance" members, all its members where none has that role | allocation posted |

Called by :func:`sharedcosts.services.allocation_post` inside its
transaction: the messages go out once it commits, never if it rolls back.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from ledger.money import money_format
from ledger.notifications.models import NotificationKind
from ledger.notifications.selectors import party_finance_contacts
from ledger.notifications.services import Event, notify
from sharedcosts.models import Allocation
from sharedcosts.selectors import pool_balances


def allocation_posted_notify(*, allocation: Allocation) -> int:
    """Tell each party of the posted allocation its share and its balance in the pool; the number of messages."""
    pool = allocation.pool
    shares = {share.party_id: share for share in allocation.shares.select_related("party")}
    balances = pool_balances(pool=pool)
    contacts = party_finance_contacts(party_ids=list(shares))

    def writer(party_id: int):
        share = shares[party_id]

        def write() -> tuple[str, str]:
            params = {
                "pool": pool.name,
                "version": allocation.version,
                "party": share.party.name,
                "share": money_format(share.amount),
                "balance": money_format(balances[party_id]),
            }
            body = "\n\n".join(
                [
                    _(
                        "The allocation of “%(pool)s” (version %(version)s) was posted: the share of %(party)s "
                        "is %(share)s."
                    ) % params,
                    _(
                        "Its balance in the pool is now %(balance)s: above zero the pool owes it money, below zero "
                        "it owes the pool."
                    ) % params,
                ]
            )
            return _("Your share of “%(pool)s”: %(share)s") % params, body

        return write

    return notify(
        events=[
            Event(
                kind=NotificationKind.ALLOCATION_POSTED,
                key=f"allocation:{allocation.pk}:party:{party_id}",
                recipients=contacts.get(party_id, []),
                write=writer(party_id),
                path=reverse("portal:party", kwargs={"party_id": party_id}),
            )
            for party_id in sorted(shares)
            if party_id in balances
        ]
    )
