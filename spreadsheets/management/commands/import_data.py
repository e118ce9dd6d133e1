"""Import a CSV or XLSX file into one of the models the registry names: ``import_data depenses file.csv``."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from spreadsheets.jobs import import_job_start
from spreadsheets.registry import IMPORTABLE
from spreadsheets.runs import file_import

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"  # the one that knows groups' permissions


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Import a CSV or XLSX file: all rows or none. MODEL is one of: " + ", ".join(IMPORTABLE)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("model", choices=sorted(IMPORTABLE))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and say what it would do; save nothing.")
        parser.add_argument(
            "--erase-blanks", action="store_true", help="A blank cell erases the stored value (by default it leaves it)."
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the import as a Celery job; its progress and result are kept (admin: Imports).",
        )
        parser.add_argument(
            "--user",
            help="Who imports: the services check their role and record them. "
            "Default: the first active person allowed to import (permission spreadsheets.add_importjob), by id.",
        )

    def handle(
        self, *args, model: str, file: str, dry_run: bool, user: str | None, background: bool, erase_blanks: bool, **options
    ) -> None:
        users = get_user_model()._default_manager
        if user:
            person = users.filter(username=user).first()
            if person is None:
                raise CommandError(f"Unknown user {user!r}.")
        else:
            person = users.with_perm("spreadsheets.add_importjob", backend=MODEL_BACKEND).order_by("pk").first()
            if person is None:
                raise CommandError("Nobody may import yet: name who imports with --user USERNAME.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if background:
            job = import_job_start(
                resource_key=model,
                data=path.read_bytes(),
                filename=path.name,
                user=person,
                dry_run=dry_run,
                erase_blanks=erase_blanks,
            )
            self.stdout.write(f"Import job {job.pk} queued.")
            return
        report = file_import(
            IMPORTABLE[model](), path.read_bytes(), path.name, dry_run=dry_run, user=person, erase_blanks=erase_blanks
        )
        for error in report.errors:
            self.stderr.write(str(error))
        if report.errors:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
