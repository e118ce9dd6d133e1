import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from grants.services import disbursements_post_due


class Command(BaseCommand):
    help = "Pay every instalment due on or before the date (today by default) that is not paid, held or cancelled."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day of the run, YYYY-MM-DD (default: today).")
        parser.add_argument("--chunk-size", type=int, default=500, help="Instalments locked and committed together.")

    def handle(self, *args, **options) -> None:
        try:
            today = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        run = disbursements_post_due(today=today, chunk_size=options["chunk_size"])
        self.stdout.write(f"today={run.today.isoformat()} paid={run.paid} held={run.held} failed={run.failed}")
        for pk, reason in run.failures.items():
            self.stderr.write(f"instalment {pk}: {reason}")
