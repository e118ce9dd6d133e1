"""Every portal page reads in a fixed number of queries, whatever the organisation's volume."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from moneyed import Money

from grants.models import (
    Grant,
    GrantBudgetLine,
    GrantPurpose,
    GrantStatus,
    Instalment,
    InstalmentStatus,
    ReportContent,
    ReportKind,
    ReportRequirement,
)
from grants.services import disbursements_post_due
from sharedcosts.models import CostPool, Participation, PoolKind

pytestmark = pytest.mark.django_db


def add_grants(party, programme, administrator, count: int) -> None:
    now = timezone.now()
    grants = Grant.objects.bulk_create(
        [
            Grant(
                programme=programme,
                party=party,
                title=f"Projet {number}",
                purpose=GrantPurpose.JOINT_PROJECT,
                amount=Money("1000.00", "CAD"),
                start_date=date(2025, 4, 1),
                end_date=date(2026, 3, 31),
                status=GrantStatus.APPROVED,
                approved_at=now,
                approved_by=administrator,
            )
            for number in range(count)
        ]
    )
    GrantBudgetLine.objects.bulk_create(
        [GrantBudgetLine(grant=grant, line="activities", amount=Money("1000.00", "CAD")) for grant in grants]
    )
    Instalment.objects.bulk_create(
        [
            Instalment(grant=grant, sequence=sequence, due_date=day, amount=Money("500.00", "CAD"))
            for grant in grants
            for sequence, day in ((1, date(2025, 5, 1)), (2, date(2025, 11, 1)))
        ]
    )
    ReportRequirement.objects.bulk_create(
        [
            ReportRequirement(grant=grant, kind=kind, content=ReportContent.BOTH, due_date=day)
            for grant in grants
            for kind, day in ((ReportKind.INTERIM, date(2025, 10, 1)), (ReportKind.FINAL, date(2026, 4, 30)))
        ]
    )
    disbursements_post_due(today=date(2025, 5, 1))
    pool = CostPool.objects.create(
        kind=PoolKind.EVENT, name=f"Événement {count}", budgeted_cost=Money("900.00", "CAD"),
        start_date=date(2025, 6, 1), end_date=date(2025, 6, 2),
    )
    Participation.objects.create(pool=pool, party=party)


def page_queries(client, party, requirement_id: int) -> dict[str, int]:
    urls = {
        "home": reverse("portal:party", args=[party.pk]),
        "statement": reverse("portal:statement", args=[party.pk]) + "?annee=2025",
        "csv": reverse("portal:statement_csv", args=[party.pk]) + "?annee=2025",
        "pdf": reverse("portal:statement_pdf", args=[party.pk]) + "?annee=2025",
        "report": reverse("portal:report", args=[party.pk, requirement_id]),
    }
    client.get(urls["home"])  # The first visit records the reader's language; later ones update it.
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


@pytest.mark.parametrize("viewer", ["member_a", "finance_user"])
def test_the_same_number_of_queries_with_3_and_with_300_grants(
    request, client, party, programme, administrator, member_a, viewer
):
    client.force_login(request.getfixturevalue(viewer))
    add_grants(party, programme, administrator, 3)
    requirement = ReportRequirement.objects.filter(grant__party=party).first()
    few = page_queries(client, party, requirement.pk)
    add_grants(party, programme, administrator, 297)
    assert Grant.objects.filter(party=party).count() == 300
    assert Instalment.objects.filter(grant__party=party, status=InstalmentStatus.PAID).count() == 300
    many = page_queries(client, party, requirement.pk)
    assert many == few
