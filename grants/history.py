"""The audit trail written in bulk: one history row per changed row, copied by the database.

django-simple-history keeps a history row for every change of a grant or an
instalment. Its own bulk helpers build a Python object per row; for the
daily run's thousands of instalments that costs more than the postings
themselves, so :func:`history_record` copies the rows as they now stand in
one ``INSERT ... SELECT``, with what simple-history would have written.
"""

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, models


def history_record(
    *, model: type[models.Model], ids: Sequence[int], at: datetime, changed_by: AbstractBaseUser | None = None
) -> None:
    """Add a "changed" history row for each row of ``model`` named by ``ids``, as it now stands.

    Without ``changed_by`` the row names the person of the current request,
    if any, as simple-history does when a model is saved.
    """
    if not ids or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = model.history.model
    user = changed_by or history.get_default_history_user(None)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in history.tracked_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} "
            f"({columns}, history_date, history_change_reason, history_type, history_user_id) "
            f"SELECT {columns}, %s, NULL, '~', %s FROM {quote(model._meta.db_table)} "
            f"WHERE {quote(model._meta.pk.column)} = ANY(%s)",
            [at, user.pk if user is not None else None, list(ids)],
        )
