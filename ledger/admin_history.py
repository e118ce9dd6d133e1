"""The admin's history pages in words: labels of choices, people's names, local times, nothing for nothing.

django-simple-history writes each change with ``str()``: ``draft → approved``,
``Deleted utilisateur (pk=None)``, ``None → 2026-11-30 01:31:10.877621+00:00``.
Every admin with a history builds on :class:`HistoryAdmin`, whose helper
writes each value as the rest of the back office does.
"""

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from moneyed import Money
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject, ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

from ledger.dates import date_words, datetime_words
from ledger.money import money_format
from ledger.words import person_words


def value_words(field: models.Field, value: Any) -> str:
    """One value of a field as a reader reads it; an empty value is no text at all."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, DeletedObject):
        return "" if value.pk is None else _("(deleted)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Money):
        return money_format(value)
    if isinstance(value, datetime):
        return datetime_words(value)
    if isinstance(value, date):
        return date_words(value)
    if isinstance(value, Decimal):
        return number_format(value)
    if isinstance(value, get_user_model()):
        return person_words(value)
    if isinstance(value, dict):
        return "; ".join(f"{key}\xa0: {value_words(models.Field(), item)}" for key, item in value.items())
    return str(value)


class ReadableChangeHelper(HistoricalRecordContextHelper):
    def format_delta_change(self, change: ModelChange) -> ModelChange:
        field = self.model._meta.get_field(change.field)
        return dataclasses.replace(
            super().format_delta_change(change),
            old=value_words(field, change.old),
            new=value_words(field, change.new),
        )


class HistoryAdmin(SimpleHistoryAdmin):
    """An admin whose history page speaks the reader's words (templates/simple_history/)."""

    def get_historical_record_context_helper(self, request, historical_record) -> HistoricalRecordContextHelper:
        return ReadableChangeHelper(self.model, historical_record)
