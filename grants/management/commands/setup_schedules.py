import zoneinfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from config.celery import RECURRING_EXPENSES_TASK
from grants.tasks import REMINDERS_TASK_NAME, TASK_NAME

PERIODIC_TASK_NAME = "grants: post the due disbursements"
REMINDERS_PERIODIC_TASK_NAME = "grants: send the report reminders"
RECURRING_PERIODIC_TASK_NAME = "sharedcosts: post the due recurring expenses"


class Command(BaseCommand):
    help = "Create or update the periodic tasks of the scheduler (django-celery-beat). Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hour", type=int, default=6, help="Hour of the daily runs of disbursements and recurring expenses (local time)."
        )
        parser.add_argument("--minute", type=int, default=0)

    def handle(self, *args, hour: int, minute: int, **options) -> None:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=str(minute),
            hour=str(hour),
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE),
        )
        task, created = PeriodicTask.objects.update_or_create(
            name=PERIODIC_TASK_NAME,
            defaults={"task": TASK_NAME, "crontab": schedule, "interval": None, "enabled": True, "args": "[]"},
        )
        verb = "created" if created else "up to date"
        self.stdout.write(f"{PERIODIC_TASK_NAME!r} {verb}: every day at {hour:02d}:{minute:02d} {settings.TIME_ZONE}.")
        task, created = PeriodicTask.objects.update_or_create(
            name=RECURRING_PERIODIC_TASK_NAME,
            defaults={"task": RECURRING_EXPENSES_TASK, "crontab": schedule, "interval": None, "enabled": True, "args": "[]"},
        )
        verb = "created" if created else "up to date"
        self.stdout.write(
            f"{RECURRING_PERIODIC_TASK_NAME!r} {verb}: every day at {hour:02d}:{minute:02d} {settings.TIME_ZONE}."
        )
        reminders_schedule, _ = CrontabSchedule.objects.get_or_create(
            minute="0",
            hour="8",
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE),
        )
        task, created = PeriodicTask.objects.update_or_create(
            name=REMINDERS_PERIODIC_TASK_NAME,
            defaults={
                "task": REMINDERS_TASK_NAME,
                "crontab": reminders_schedule,
                "interval": None,
                "enabled": True,
                "args": "[]",
            },
        )
        verb = "created" if created else "up to date"
        self.stdout.write(f"{REMINDERS_PERIODIC_TASK_NAME!r} {verb}: every day at 08:00 {settings.TIME_ZONE}.")
