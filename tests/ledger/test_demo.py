"""The generated partners of the demo: a member each and a year of weekly postings, made once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum

from ledger.demo import (
    extra_members_seed,
    extra_partners_seed,
    extra_postings_seed,
    generated_partners,
    generated_username,
    ledger_demo_seed,
)
from ledger.models import Entry, Membership, MembershipRole, Transaction, TransactionKind
from ledger.selectors import party_statement

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)


def test_each_generated_partner_has_one_member_who_logs_in_with_the_demo_password():
    ledger_demo_seed(today=TODAY, partners=3)
    assert extra_members_seed() == 0
    second = generated_partners()[1]
    member = get_user_model().objects.get(username=generated_username(2))
    assert list(Membership.objects.filter(user=member).values_list("party", "role")) == [
        (second.pk, MembershipRole.MEMBER)
    ]
    assert member.check_password("demo-aire-ouverte")
    assert Membership.objects.filter(party__in=generated_partners()).count() == 3


def test_each_generated_partner_has_a_year_of_weekly_postings_that_balance():
    demo = ledger_demo_seed(today=TODAY, partners=2)
    party = generated_partners().first()
    entries = Entry.objects.filter(account__party=party)
    assert entries.count() == 52
    assert sorted({entry.date for entry in entries}) == [TODAY - timedelta(weeks=week) for week in range(51, -1, -1)]
    assert set(entries.values_list("transaction__kind", flat=True)) == {TransactionKind.EXPENSE}
    assert all(0 < entry.amount.amount < 600 and entry.amount.amount == entry.amount.amount.quantize(Decimal("0.01"))
               for entry in entries)
    shares = Transaction.objects.filter(idempotency_key__startswith="demo:partner-share:")
    assert shares.count() == 104
    assert Entry.objects.filter(transaction__in=shares).aggregate(total=Sum("amount"))["total"] == 0
    statement = party_statement(party=party, start=date(2026, 4, 1), end=date(2027, 3, 31), currency="CAD")
    assert len(statement.lines) == 35  # 6 April to 30 November 2026, each Monday
    assert extra_postings_seed(today=TODAY, poster=demo["users"]["finances"]) == 0


def test_a_second_run_adds_only_the_new_partners_with_their_member_and_postings():
    ledger_demo_seed(today=TODAY, partners=2)
    ledger_demo_seed(today=TODAY + timedelta(days=3), partners=3)
    assert extra_partners_seed(3) == 0
    assert get_user_model().objects.filter(username__startswith="partenaire-").count() == 3
    assert Entry.objects.filter(account__party__in=generated_partners()).count() == 3 * 52
