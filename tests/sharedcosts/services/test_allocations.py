"""Allocations: computed from the pool's inputs, approved by another administrator, posted once."""

from datetime import date
from decimal import Decimal

import pytest
from moneyed import Money

from ledger.models import Account, Entry, Transaction, TransactionKind
from sharedcosts.errors import AllocationError, ApprovalError, CurrencyError, InKindError, MeansError, SharedCostsError
from sharedcosts.models import AllocationStatus, CostPool, InKindContribution, MeansDeclaration, Participation
from sharedcosts.selectors import pool_balances
from sharedcosts.services import (
    allocation_approve,
    allocation_compute,
    allocation_is_stale,
    allocation_post,
    in_kind_post,
    shares_compute,
)

from ..conftest import cad, declare
from .helpers import DAY, SHARE_LIMIT, assert_not_staff, posted_allocation, shares_of, written

pytestmark = pytest.mark.django_db


# -- computing ------------------------------------------------------------------


def test_compute_makes_a_draft_proportional_to_means_with_its_inputs_frozen(joined, parties, finance_user):
    party, other, third = parties
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    assert allocation.status == AllocationStatus.DRAFT
    assert allocation.version == 1
    assert shares_of(allocation) == {party: cad("2000.00"), other: cad("4000.00"), third: cad("4000.00")}
    declaration = MeansDeclaration.objects.get(party=party)
    assert allocation.shares.get(party=party).means_declaration == declaration
    frozen = allocation.inputs["parties"][str(party.pk)]
    assert frozen == {
        "means": "100000.00",
        "declaration": declaration.pk,
        "usage": None,
        "floor": None,
        "cap": None,
        "exempt": False,
        "share": "2000.00",
    }
    assert allocation.inputs["rule"] == "proportional"
    assert allocation.inputs["total"] == "10000.00"


def test_equal_split_gives_the_extra_cent_to_the_first_party(joined, parties, finance_user):
    joined.rule = "equal"
    joined.save()
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    assert shares_of(allocation) == {
        parties[0]: cad("3333.34"),
        parties[1]: cad("3333.33"),
        parties[2]: cad("3333.33"),
    }


def test_versions_are_numbered_per_pool(joined, finance_user):
    assert allocation_compute(pool=joined, prepared_by=finance_user).version == 1
    assert allocation_compute(pool=joined, prepared_by=finance_user).version == 2


def test_the_latest_declaration_on_or_before_the_start_is_used(joined, parties, finance_user):
    party = parties[0]
    newer = declare(party, "600000", as_of=date(2025, 4, 1))
    declare(party, "999999999", as_of=date(2025, 4, 2))
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    share = allocation.shares.get(party=party)
    assert share.means_declaration == newer
    assert share.amount == cad("6000.00")


def test_an_exempt_party_pays_nothing_and_the_rest_is_split_by_the_rule(joined, parties, finance_user):
    Participation.objects.filter(party=parties[0]).update(is_exempt=True)
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    assert shares_of(allocation) == {parties[0]: cad("0.00"), parties[1]: cad("5000.00"), parties[2]: cad("5000.00")}
    assert allocation.inputs["parties"][str(parties[0].pk)]["exempt"] is True


def test_floors_and_caps_are_applied(joined, parties, finance_user):
    Participation.objects.filter(party=parties[0]).update(floor=cad("3000.00"))
    Participation.objects.filter(party=parties[1]).update(cap=cad("3000.00"))
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    assert shares_of(allocation) == {parties[0]: cad("3000.00"), parties[1]: cad("3000.00"), parties[2]: cad("4000.00")}


def test_usage_rule_splits_by_the_participations_usage(joined, parties, finance_user):
    joined.rule = "usage"
    joined.save()
    for member, days in zip(parties, ["1", "1", "2"], strict=True):
        Participation.objects.filter(party=member).update(usage=Decimal(days))
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    assert shares_of(allocation) == {parties[0]: cad("2500.00"), parties[1]: cad("2500.00"), parties[2]: cad("5000.00")}


def test_base_plus_proportional_takes_its_fraction_from_the_pool(joined, parties, finance_user):
    joined.rule = "base_plus_proportional"
    joined.rule_params = {"base_fraction": "0.5"}
    joined.save()
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    # 5000 equally (1666.67 each, rounded by the one split) + 5000 by means 1:2:2.
    assert shares_of(allocation) == {parties[0]: cad("2666.67"), parties[1]: cad("3666.67"), parties[2]: cad("3666.66")}


def test_fixed_percentages_are_keyed_by_party(joined, parties, finance_user):
    joined.rule = "fixed"
    joined.rule_params = {"percentages": {str(parties[0].pk): "50", str(parties[1].pk): "25", str(parties[2].pk): "25"}}
    joined.save()
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    assert shares_of(allocation) == {parties[0]: cad("5000.00"), parties[1]: cad("2500.00"), parties[2]: cad("2500.00")}


# -- refusals: nothing written ---------------------------------------------------


def test_a_pool_without_participants_is_refused(pool, finance_user):
    before = written()
    with pytest.raises(SharedCostsError) as refused:
        allocation_compute(pool=pool, prepared_by=finance_user)
    assert refused.value.code == "no_participants"
    assert written() == before


def test_a_missing_means_declaration_is_refused(joined, parties, finance_user):
    MeansDeclaration.objects.filter(party=parties[2]).delete()
    declare(parties[2], "5000", as_of=date(2025, 4, 2))  # after the start: not usable
    before = written()
    with pytest.raises(MeansError) as refused:
        allocation_compute(pool=joined, prepared_by=finance_user)
    assert refused.value.code == "missing_means"
    assert parties[2].name in refused.value.messages[0]
    assert written() == before


def test_all_means_zero_is_refused(joined, finance_user):
    MeansDeclaration.objects.update(value=0)
    before = written()
    with pytest.raises(MeansError) as refused:
        allocation_compute(pool=joined, prepared_by=finance_user)
    assert refused.value.code == "zero_means"
    assert written() == before


def test_all_means_zero_is_fine_for_an_equal_split(joined, finance_user):
    MeansDeclaration.objects.update(value=0)
    joined.rule = "equal"
    joined.save()
    assert allocation_compute(pool=joined, prepared_by=finance_user).shares.count() == 3


def test_a_floor_in_another_currency_is_refused(joined, parties, finance_user):
    Participation.objects.filter(party=parties[0]).update(floor=Money("100.00", "USD"))
    before = written()
    with pytest.raises(CurrencyError) as refused:
        allocation_compute(pool=joined, prepared_by=finance_user)
    assert refused.value.code == "currency_mismatch"
    assert written() == before


@pytest.mark.parametrize(
    ("rule", "params", "floors", "caps", "code"),
    [
        ("fixed", "amounts", {}, {}, "amounts_mismatch"),
        ("proportional", {}, {0: "6000.00", 1: "6000.00"}, {}, "floors_above_total"),
        ("proportional", {}, {}, {0: "1000.00", 1: "1000.00", 2: "1000.00"}, "caps_below_total"),
    ],
)
def test_allocation_errors_propagate_unchanged_and_write_nothing(
    joined, parties, finance_user, rule, params, floors, caps, code
):
    if params == "amounts":
        params = {"amounts": {str(p.pk): "1000.00" for p in parties}}
    joined.rule = rule
    joined.rule_params = params
    joined.save()
    for index, amount in floors.items():
        Participation.objects.filter(party=parties[index]).update(floor=cad(amount))
    for index, amount in caps.items():
        Participation.objects.filter(party=parties[index]).update(cap=cad(amount))
    before = written()
    with pytest.raises(AllocationError) as refused:
        allocation_compute(pool=joined, prepared_by=finance_user)
    assert type(refused.value) is AllocationError
    assert refused.value.code == code
    assert written() == before


def test_usage_missing_is_refused(joined, finance_user):
    joined.rule = "usage"
    joined.save()
    before = written()
    with pytest.raises(SharedCostsError) as refused:
        allocation_compute(pool=joined, prepared_by=finance_user)
    assert refused.value.code == "missing_usage"
    assert written() == before


# -- approval ---------------------------------------------------------------------


def test_an_administrator_approves_what_someone_else_prepared(joined, finance_user, administrator):
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    allocation_approve(allocation=allocation, approved_by=administrator)
    allocation.refresh_from_db()
    assert allocation.status == AllocationStatus.APPROVED
    assert allocation.approved_by == administrator
    assert allocation.approved_at is not None


def test_approving_your_own_allocation_is_refused(joined, administrator):
    allocation = allocation_compute(pool=joined, prepared_by=administrator)
    with pytest.raises(ApprovalError) as refused:
        allocation_approve(allocation=allocation, approved_by=administrator)
    assert refused.value.code == "self_approval"
    allocation.refresh_from_db()
    assert allocation.status == AllocationStatus.DRAFT
    assert allocation.approved_by is None


def test_only_an_administrator_approves(joined, finance_user, django_user_model):
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    other_finance = django_user_model.objects.create_user(username="f2", password="x")
    with pytest.raises(ApprovalError) as refused:
        allocation_approve(allocation=allocation, approved_by=other_finance)
    assert refused.value.code == "not_administrator"
    allocation.refresh_from_db()
    assert allocation.status == AllocationStatus.DRAFT


@pytest.mark.parametrize("change", ["means", "participant", "cost", "rule"])
def test_a_stale_version_is_refused(joined, parties, finance_user, administrator, django_user_model, change):
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    assert not allocation_is_stale(allocation)
    if change == "means":
        declare(parties[0], "150000", as_of=date(2025, 4, 1))
    elif change == "participant":
        Participation.objects.filter(party=parties[2]).delete()
    elif change == "cost":
        CostPool.objects.filter(pk=joined.pk).update(budgeted_cost=cad("12000.00"))
    else:
        CostPool.objects.filter(pk=joined.pk).update(rule="equal")
    with pytest.raises(ApprovalError) as refused:
        allocation_approve(allocation=allocation, approved_by=administrator)
    assert refused.value.code == "stale"
    allocation.refresh_from_db()
    assert allocation.status == AllocationStatus.DRAFT


def test_only_a_draft_is_approved(joined, finance_user, administrator, second_administrator):
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    allocation_approve(allocation=allocation, approved_by=administrator)
    with pytest.raises(ApprovalError) as refused:
        allocation_approve(allocation=allocation, approved_by=second_administrator)
    assert refused.value.code == "not_draft"


# -- posting --------------------------------------------------------------------


def test_posting_moves_each_share_from_the_party_to_the_pool_cost(joined, parties, finance_user, administrator):
    allocation = posted_allocation(joined, finance_user, administrator)
    assert allocation.status == AllocationStatus.POSTED
    assert allocation.posted_by == administrator
    txns = Transaction.objects.filter(kind=TransactionKind.ALLOCATION)
    assert sorted(txns.values_list("idempotency_key", flat=True)) == sorted(
        f"allocation:{allocation.pk}:party:{p.pk}" for p in parties
    )
    assert pool_balances(pool=joined) == {p.pk: -amount for p, amount in shares_of(allocation).items()}
    cost = Account.objects.get(code=f"POOL-{joined.pk}-COST")
    assert cost.party is None
    assert sum(e.amount for e in Entry.objects.filter(account=cost)) == cad("10000.00")
    position = Account.objects.get(code=f"POOL-{joined.pk}-P{parties[0].pk}")
    assert position.party == parties[0]
    assert position.currency == "CAD"


def test_a_draft_cannot_be_posted(joined, finance_user, administrator):
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    before = written()
    with pytest.raises(ApprovalError) as refused:
        allocation_post(allocation=allocation, posted_by=administrator, date=DAY)
    assert refused.value.code == "not_approved"
    assert written() == before


def test_posting_twice_is_refused_and_posts_nothing_more(joined, finance_user, administrator):
    allocation = posted_allocation(joined, finance_user, administrator)
    before = written()
    with pytest.raises(ApprovalError):
        allocation_post(allocation=allocation, posted_by=administrator, date=DAY)
    assert written() == before


def test_a_new_version_posts_only_the_difference_and_supersedes_the_old(
    joined, parties, finance_user, administrator, second_administrator
):
    first = posted_allocation(joined, finance_user, administrator)
    declare(parties[0], "300000", as_of=date(2025, 4, 1))  # means now 3:2:2 of 10 000
    second = allocation_compute(pool=joined, prepared_by=finance_user)
    allocation_approve(allocation=second, approved_by=second_administrator)
    allocation_post(allocation=second, posted_by=administrator, date=DAY)
    first.refresh_from_db()
    assert first.status == AllocationStatus.SUPERSEDED
    assert second.supersedes == first
    assert shares_of(second) == {parties[0]: cad("4285.72"), parties[1]: cad("2857.14"), parties[2]: cad("2857.14")}
    differences = {
        e.account.party: e.amount
        for e in Entry.objects.filter(transaction__idempotency_key__startswith=f"allocation:{second.pk}:").select_related(
            "account"
        )
        if e.account.party
    }
    assert differences == {parties[0]: cad("-2285.72"), parties[1]: cad("1142.86"), parties[2]: cad("1142.86")}
    assert pool_balances(pool=joined) == {p.pk: -amount for p, amount in shares_of(second).items()}
    # The first version's shares are untouched.
    assert shares_of(first) == {parties[0]: cad("2000.00"), parties[1]: cad("4000.00"), parties[2]: cad("4000.00")}


def test_a_new_version_cannot_bring_a_share_below_the_in_kind_already_credited(
    joined, parties, finance_user, administrator, second_administrator
):
    posted_allocation(joined, finance_user, administrator)
    contribution = InKindContribution.objects.create(
        pool=joined, party=parties[0], description="Salle", value=cad("1500.00"), justification="Tarif", date=DAY
    )
    in_kind_post(contribution=contribution, posted_by=finance_user)
    declare(parties[1], "900000", as_of=date(2025, 4, 1))  # the first party's share falls to 833.33
    second = allocation_compute(pool=joined, prepared_by=finance_user)
    allocation_approve(allocation=second, approved_by=second_administrator)
    before = written()
    with pytest.raises(InKindError) as refused:
        allocation_post(allocation=second, posted_by=administrator, date=DAY)
    assert refused.value.code == "share_below_in_kind"
    assert "1\xa0500,00\xa0$" in refused.value.messages[0] and "833,33\xa0$" in refused.value.messages[0]
    assert written() == before
    second.refresh_from_db()
    assert second.status == AllocationStatus.APPROVED


# -- who may, and how much ----------------------------------------------------------


def test_only_staff_compute_an_allocation(joined, not_staff):
    before = written()
    with pytest.raises(SharedCostsError) as refused:
        allocation_compute(pool=joined, prepared_by=not_staff)
    assert_not_staff(refused.value)
    assert written() == before


def test_only_staff_post_an_allocation(joined, finance_user, administrator, not_staff):
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    allocation_approve(allocation=allocation, approved_by=administrator)
    before = written()
    with pytest.raises(ApprovalError) as refused:
        allocation_post(allocation=allocation, posted_by=not_staff, date=DAY)
    assert_not_staff(refused.value)
    assert written() == before
    allocation.refresh_from_db()
    assert allocation.status == AllocationStatus.APPROVED


def test_a_partner_member_cannot_approve_an_allocation(joined, finance_user, partner_member):
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    with pytest.raises(ApprovalError) as refused:
        allocation_approve(allocation=allocation, approved_by=partner_member)
    assert refused.value.code == "not_administrator"
    allocation.refresh_from_db()
    assert allocation.status == AllocationStatus.DRAFT


def test_a_budgeted_cost_past_the_column_is_refused_in_words(joined, finance_user):
    joined.budgeted_cost = cad("1000000000000.00")
    before = written()
    with pytest.raises(SharedCostsError) as refused:
        allocation_compute(pool=joined, prepared_by=finance_user)
    assert refused.value.code == "amount_too_large"
    assert refused.value.messages == [
        "Le montant «\xa0coût prévu\xa0» de 1\xa0000\xa0000\xa0000\xa0000,00\xa0$ dépasse ce que les livres peuvent "
        f"inscrire (au plus {SHARE_LIMIT})."
    ]
    assert written() == before


def test_a_fixed_amount_past_the_column_is_refused_in_words(joined, parties, finance_user):
    joined.rule = "fixed"
    joined.rule_params = {"amounts": {str(parties[0].pk): "1000000000000.00", str(parties[1].pk): "0", str(parties[2].pk): "0"}}
    joined.save()
    before = written()
    with pytest.raises(SharedCostsError) as refused:
        allocation_compute(pool=joined, prepared_by=finance_user)
    assert refused.value.code == "amount_too_large"
    assert "«\xa0montant fixe\xa0»" in refused.value.messages[0] and SHARE_LIMIT in refused.value.messages[0]
    assert written() == before


@pytest.mark.parametrize(("limit", "words"), [("floor", "«\xa0plancher\xa0»"), ("cap", "«\xa0plafond\xa0»")])
def test_a_floor_or_cap_past_the_column_is_refused_in_words(joined, parties, finance_user, limit, words):
    participations = list(joined.participations.select_related("party").order_by("party_id"))
    setattr(participations[0], limit, cad("1000000000000.00"))
    with pytest.raises(SharedCostsError) as refused:
        shares_compute(pool=joined, participations=participations)
    assert refused.value.code == "amount_too_large"
    assert words in refused.value.messages[0] and SHARE_LIMIT in refused.value.messages[0]
