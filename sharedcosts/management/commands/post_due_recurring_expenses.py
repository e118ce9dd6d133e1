import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sharedcosts.recurring.run import recurring_post_due


class Command(BaseCommand):
    help = "Post every occurrence of a recurring expense due on or before the date (today by default), each once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day of the run, YYYY-MM-DD (default: today).")
        parser.add_argument("--chunk-size", type=int, default=500, help="Occurrences locked and committed together.")

    def handle(self, *args, **options) -> None:
        try:
            today = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        run = recurring_post_due(today=today, chunk_size=options["chunk_size"])
        self.stdout.write(
            f"today={run.today.isoformat()} planned={run.planned} posted={run.posted} failed={run.failed}"
        )
        for pk, reason in run.failures.items():
            self.stderr.write(f"occurrence {pk}: {reason}")
