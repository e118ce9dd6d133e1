"""The error report of a failed import: the person's own file with an added "erreur" column.

They fix the rows it names and send the file again; an import ignores the
"erreur" column.
"""

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from spreadsheets.reading import table_read
from spreadsheets.reports import RowError

ERROR_COLUMN = "erreur"


def error_report_rows(*, data: bytes, filename: str, errors: list[dict[str, Any]]) -> list[list[Any]]:
    """The file's header and rows, each row with the errors of its line in a last column."""
    table = table_read(data, filename)
    by_line: dict[int, list[str]] = defaultdict(list)
    for error in errors:
        text = error["message"] if not error["column"] else _("Column “%(column)s”: %(message)s") % error
        by_line[error["row"]].append(text)
    keep = [index for index, header in enumerate(table.dataset.headers) if header != ERROR_COLUMN]
    rows: list[list[Any]] = [[table.written_headers[index] for index in keep] + [ERROR_COLUMN]]
    for line, row in zip(table.lines, table.dataset):
        rows.append([row[index] for index in keep] + [" ".join(by_line.get(line, []))])
    return rows


def error_lines(errors: list[dict[str, Any]]) -> list[str]:
    return [str(RowError(error["row"], error["column"], error["message"])) for error in errors]
