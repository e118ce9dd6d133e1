"""A pool's accounts, read for many postings at once."""

import pytest

from ledger.errors import PostingError
from ledger.models import Account, AccountType
from sharedcosts.services import pool_cost_account, pool_position_account
from sharedcosts.services.pools import pool_accounts

pytestmark = pytest.mark.django_db


def test_pool_accounts_reads_the_accounts_of_many_postings_in_one_query(joined, parties, django_assert_num_queries):
    pool_cost_account(joined)
    for member in parties:
        pool_position_account(joined, member)
    owners = [(joined, None), *((joined, member) for member in parties)] * 3
    with django_assert_num_queries(1):
        accounts = pool_accounts(owners=owners)
    assert {key: account.code for key, account in accounts.items()} == {
        (joined.pk, None): f"POOL-{joined.pk}-COST",
        **{(joined.pk, member.pk): f"POOL-{joined.pk}-P{member.pk}" for member in parties},
    }


def test_pool_accounts_makes_those_missing_as_their_pool_names_them(joined, parties):
    accounts = pool_accounts(owners=[(joined, None), (joined, parties[0])])
    position = Account.objects.get(code=f"POOL-{joined.pk}-P{parties[0].pk}")
    assert accounts[joined.pk, parties[0].pk] == position
    assert (position.type, position.currency, position.party) == (AccountType.ASSET, "CAD", parties[0])
    assert accounts[joined.pk, None] == Account.objects.get(code=f"POOL-{joined.pk}-COST", type=AccountType.EXPENSE)


def test_pool_accounts_refuses_an_account_kept_in_another_currency(joined, parties):
    Account.objects.create(code=f"POOL-{joined.pk}-P{parties[0].pk}", name="Position", type=AccountType.ASSET, currency="USD")
    with pytest.raises(PostingError) as refused:
        pool_accounts(owners=[(joined, parties[0])])
    assert refused.value.code == "account_currency"
