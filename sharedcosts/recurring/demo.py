"""The demo's recurring expenses: the premises' rent by the month from the next fiscal year, the mobile unit's
insurance by the year.

The seed only schedules them; the daily run posts their occurrences as they
fall due (``manage.py post_due_recurring_expenses``). Run again, it finds the
schedules it made by pool and vendor.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from moneyed import Money

from ledger.models import FiscalPeriod, Party
from sharedcosts.models import CostPool
from sharedcosts.recurring.models import RecurringExpense, Rhythm
from sharedcosts.recurring.services import recurring_create


def recurring_demo_seed(
    *, premises: CostPool, mobile_unit: CostPool, parties: dict[str, Party], users: dict[str, AbstractUser], today: date
) -> list[RecurringExpense]:
    fiscal = FiscalPeriod(start_year=FiscalPeriod.year_of(today))
    schedules = [
        dict(
            pool=premises,
            payer=parties["Aire ouverte Laurentides (Saint-Jérôme)"],
            vendor="Immeubles Labelle inc.",
            description="Loyer mensuel du local de la rue Saint-Georges (bail renouvelé)",
            amount=Money("3500.00", "CAD"),
            rhythm=Rhythm.MONTHLY,
            start_date=fiscal.end_date + timedelta(days=1),
            indexation_rate=Decimal("0.025"),
        ),
        dict(
            pool=mobile_unit,
            payer=parties["Travail de rue des Hautes-Laurentides"],
            vendor="Promutuel Assurance",
            description="Assurance de l'unité mobile",
            amount=Money("2400.00", "CAD"),
            rhythm=Rhythm.YEARLY,
            start_date=mobile_unit.start_date + timedelta(days=14),
            indexation_rate=Decimal("0.03"),
        ),
    ]
    made = []
    for schedule in schedules:
        found = RecurringExpense.objects.filter(pool=schedule["pool"], vendor=schedule["vendor"]).first()
        made.append(found or recurring_create(**schedule, created_by=users["finances"]))
    return made
