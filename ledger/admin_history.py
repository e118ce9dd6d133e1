"""The admin's history pages in words: labels of choices, people's names, local times, nothing for nothing.

django-simple-history writes each change with ``str()``: ``draft → approved``,
``Deleted utilisateur (pk=None)``, ``None → 2026-11-30 01:31:10.877621+00:00``.
Every admin with a history builds on :class:`HistoryAdmin`, whose helper
writes each value as the rest of the back office does.

History is read, never restored: a past version of a posted allocation or
of a paid instalment put back by a form would undo what the services
decided (``SIMPLE_HISTORY_REVERT_DISABLED``). Every admin's past version's
page shows every field read-only and refuses a POST
(:func:`history_read_only_install`).
"""

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from moneyed import Money
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject, ModelChange, ModelDelta
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
        return "; ".join(label_words(key) + f" {value_words(models.Field(), item)}" for key, item in value.items())
    return str(value)


def label_words(label: str) -> str:
    """A label before its value, punctuated as the reader's language does: ``Statut :``, ``Status:``."""
    return _("%(label)s:") % {"label": label}


@dataclasses.dataclass(frozen=True)
class HistoryLine:
    """Fields a history page writes as one line, in words of the whole version (a hold: its code, what it names)."""

    label: str
    fields: tuple[str, ...]
    words: Callable[[Any], str]


class ReadableChangeHelper(HistoricalRecordContextHelper):
    def __init__(self, model: type[models.Model], historical_record: Any, lines: Sequence[HistoryLine] = ()):
        super().__init__(model, historical_record)
        self.lines = {name: line for line in lines for name in line.fields}

    def context_for_delta_changes(self, delta: ModelDelta) -> list[dict[str, Any]]:
        written: list[dict[str, Any]] = []
        lines_written: set[HistoryLine] = set()
        for change in delta.changes:
            line = self.lines.get(change.field)
            if line is None:
                change = self.format_delta_change(change)
                written.append({"field": change.field, "old": change.old, "new": change.new})
            elif line not in lines_written:
                lines_written.add(line)
                old, new = line.words(delta.old_record), line.words(delta.new_record)
                if old != new:
                    written.append({"field": capfirst(line.label), "old": old, "new": new})
        return written

    def format_delta_change(self, change: ModelChange) -> ModelChange:
        field = self.model._meta.get_field(change.field)
        return dataclasses.replace(
            super().format_delta_change(change),
            old=value_words(field, change.old),
            new=value_words(field, change.new),
        )


class HistoryAdmin(SimpleHistoryAdmin):
    """An admin whose history pages speak the reader's words (templates/simple_history/)."""

    # Fields the history page writes together, in words of the whole version, rather than one by one.
    history_lines: ClassVar[Sequence[HistoryLine]] = ()

    def get_historical_record_context_helper(self, request, historical_record) -> HistoricalRecordContextHelper:
        return ReadableChangeHelper(self.model, historical_record, self.history_lines)


def history_read_only_install() -> None:
    """Make every history page of the admin read-only, whichever admin class it builds on.

    simple-history hides its "Revert" button when revert is disabled, but a
    version's page still shows an editable form and saves what is posted to
    it. Here a version's page refuses a POST, shows every field read-only,
    and is titled by the record and the version's date. Called once, when
    the ledger app is ready.
    """
    plain_form_view = SimpleHistoryAdmin.history_form_view
    plain_render = SimpleHistoryAdmin.render_history_view

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        versions = history.filter(**{self.model._meta.pk.attname: object_id}, history_id=version_id)
        version = versions.values("history_date").first()
        context = dict(extra_context or {})
        if version is not None:
            context["version_words"] = _("Version of %(date)s") % {"date": datetime_words(version["history_date"])}
        return plain_form_view(self, request, object_id, version_id, extra_context=context)

    def render_history_view(self, request: HttpRequest, template: str, context: dict, **kwargs) -> HttpResponse:
        shown = context.get("adminform")
        if shown is not None:
            context["adminform"] = helpers.AdminForm(
                shown.form, shown.fieldsets, {}, flatten_fieldsets(shown.fieldsets), model_admin=self
            )
        return plain_render(self, request, template, context, **kwargs)

    SimpleHistoryAdmin.history_form_view = history_form_view
    SimpleHistoryAdmin.render_history_view = render_history_view
    SimpleHistoryAdmin.history_view_title = lambda self, request, obj: _("History: %(object)s") % {"object": obj}
    SimpleHistoryAdmin.history_form_view_title = lambda self, request, obj: str(obj)
