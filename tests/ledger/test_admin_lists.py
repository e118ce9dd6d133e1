"""What the admin's lists share: the French order of names, amounts totalled per currency."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from moneyed import Money

from ledger.admin_lists import french_order, money_totals, short_text
from ledger.models import Account, AccountType, Entry, Party, PartyKind, Sector, TransactionKind
from ledger.services import Line, transaction_post

pytestmark = pytest.mark.django_db

NAMES = ["CISSS — Dépendance jeunesse", "Cégep de Saint-Jérôme", "Carrefour jeunesse-emploi", "centre de pédiatrie", "Alliance", "École Polyvalente"]


def test_names_sort_as_a_french_reader_sorts_them():
    for name in NAMES:
        Party.objects.create(name=name, kind=PartyKind.COMMUNITY_YOUTH, sector=Sector.SUD)
    ordered = Party.objects.order_by(french_order("name"), "name").values_list("name", flat=True)
    assert list(ordered) == [
        "Alliance",
        "Carrefour jeunesse-emploi",
        "Cégep de Saint-Jérôme",
        "centre de pédiatrie",
        "CISSS — Dépendance jeunesse",
        "École Polyvalente",
    ]


def test_the_party_list_and_the_filters_by_party_follow_the_french_order(client, administrator):
    for name in NAMES:
        Party.objects.create(name=name, kind=PartyKind.COMMUNITY_YOUTH, sector=Sector.SUD)
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    client.force_login(administrator)
    response = client.get(reverse("admin:ledger_party_changelist"))
    assert [party.name for party in response.context["cl"].result_list][1:4] == [
        "Carrefour jeunesse-emploi", "Cégep de Saint-Jérôme", "centre de pédiatrie",
    ]


def test_totals_are_one_amount_per_currency_of_the_rows_kept(cash, administrator):
    usd_cash = Account.objects.create(code="USD-CASH", name="Encaisse US", type=AccountType.ASSET, currency="USD")
    usd_fund = Account.objects.create(code="USD-FUND", name="Fonds US", type=AccountType.EQUITY, currency="USD")
    fund = Account.objects.create(code="FUND", name="Fonds", type=AccountType.EQUITY, currency="CAD")
    for debit, credit, amount in ((cash, fund, Money("1234.56", "CAD")), (usd_cash, usd_fund, Money("10.01", "USD"))):
        transaction_post(
            lines=[Line(debit, amount), Line(credit, -amount)],
            date=date(2025, 6, 1),
            kind=TransactionKind.ADJUSTMENT,
            idempotency_key=f"test:{debit.code}",
            posted_by=administrator,
        )
    [total] = money_totals(Entry.objects.filter(amount__gt=Decimal("0")), [("amount", "montant")])
    assert total.label == "montant"
    assert total.amounts == ["1\u00a0234,56\u00a0$", "10,01\u00a0$\u00a0US"]
    [nothing] = money_totals(Entry.objects.none(), [("amount", "montant")])
    assert nothing.amounts == []


def test_a_long_name_is_cut_at_a_word_and_kept_whole_in_its_tooltip():
    assert short_text("Halte-répit du vendredi soir") == "Halte-répit du vendredi soir"
    assert short_text("Coordination de la communauté de pratique en intervention de proximité", words=4) == (
        '<span title="Coordination de la communauté de pratique en intervention de proximité">Coordination de la communauté…</span>'
    )
