"""Export one of the models the registry names as CSV or XLSX: ``export_data partenaires file.xlsx``."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from spreadsheets.registry import EXPORTABLE
from spreadsheets.runs import file_export


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Export a model as CSV (semicolons, UTF-8 with BOM) or XLSX. MODEL is one of: " + ", ".join(EXPORTABLE)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("model", choices=sorted(EXPORTABLE))
        parser.add_argument("file", nargs="?", help="Where to write; standard output when absent (CSV only).")
        parser.add_argument("--format", choices=["csv", "xlsx"], default=None)

    def handle(self, *args, model: str, file: str | None, format: str | None, **options) -> None:
        fmt = format or ("xlsx" if file and file.lower().endswith(".xlsx") else "csv")
        data = file_export(EXPORTABLE[model](), fmt)
        if file:
            Path(file).write_bytes(data)
        else:
            sys.stdout.flush()
            self.stdout.write(data.decode("utf-8-sig"), ending="")
