"""The recurring expenses' screens, and the pool page's line that compares them with its budget.

Thin: a schedule is created by :func:`recurring_create`; once created it is
read-only, and its page links to one small form per staff action (amend the
amount from a date, pause, resume, end early), each calling its service.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django import forms
from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from ledger.admin_actions import ReadOnlyInline
from ledger.admin_forms import admin_form, admin_form_media
from ledger.dates import date_words
from ledger.errors import DomainError
from ledger.money import money_format, percent_text
from ledger.money_input import MONEY_INPUT
from ledger.roles import is_staff_member
from sharedcosts.recurring.forms import AmendForm, DayForm, RecurringCreateForm
from sharedcosts.recurring.models import RecurringAmendment, RecurringExpense, RecurringOccurrence
from sharedcosts.recurring.selectors import pool_recurring_budget, recurring_next
from sharedcosts.recurring.services import (
    recurring_amend,
    recurring_create,
    recurring_end,
    recurring_pause,
    recurring_resume,
)

DETAILS = [
    "pool",
    "payer",
    "vendor",
    "description",
    "amount",
    "rhythm",
    "given_dates",
    "start_date",
    "end_date",
    "yearly_indexation",
    "paused_from",
    "created_by",
    "created_at",
]


class OccurrenceInline(ReadOnlyInline):
    model = RecurringOccurrence
    fields = ["date", "amount", "status", "note", "expense", "posted_at"]
    ordering = ["-date"]

    def has_add_permission(self, request: HttpRequest, obj: RecurringExpense | None = None) -> bool:
        return False


class AmendmentInline(ReadOnlyInline):
    model = RecurringAmendment
    fields = ["effective_from", "amount", "amended_by", "amended_at"]

    def has_add_permission(self, request: HttpRequest, obj: RecurringExpense | None = None) -> bool:
        return False


def _running(schedule: RecurringExpense) -> bool:
    return schedule.end_date is None or schedule.end_date >= timezone.localdate()


@dataclass(frozen=True)
class StaffAction:
    """A staff action's page: its title, the label of its one day (none: the amendment's form), its service,
    and whether it applies to a schedule as it stands (resuming one that is not paused does not)."""

    title: str
    day_label: str | None
    act: Callable[[RecurringExpense, dict, AbstractBaseUser], object]
    done: str
    applies: Callable[[RecurringExpense], bool] = _running


def _on_day(service: Callable[..., object], day: str, actor: str) -> Callable:
    return lambda schedule, data, user: service(schedule=schedule, **{day: data["day"], actor: user})


ACTIONS = {
    "amend": StaffAction(
        gettext_lazy("Amend the amount from a date on"),
        None,
        lambda schedule, data, user: recurring_amend(
            schedule=schedule, effective_from=data["effective_from"], amount=data["amount"], amended_by=user
        ),
        gettext_lazy("The amount is amended; the occurrences already posted keep theirs."),
    ),
    "pause": StaffAction(
        gettext_lazy("Pause"),
        gettext_lazy("Paused from"),
        _on_day(recurring_pause, "paused_from", "paused_by"),
        gettext_lazy("The schedule is paused; nothing is posted until it is resumed."),
        lambda schedule: _running(schedule) and schedule.paused_from is None,
    ),
    "resume": StaffAction(
        gettext_lazy("Resume"),
        gettext_lazy("Resumed on"),
        _on_day(recurring_resume, "resumed_on", "resumed_by"),
        gettext_lazy("The schedule is resumed; the days of the pause are skipped."),
        lambda schedule: schedule.paused_from is not None,
    ),
    "end": StaffAction(
        gettext_lazy("End early"),
        gettext_lazy("Last day"),
        _on_day(recurring_end, "end_date", "ended_by"),
        gettext_lazy("The schedule ends early; the occurrences after its end are skipped."),
    ),
}


@admin.register(RecurringExpense)
class RecurringExpenseAdmin(SimpleHistoryAdmin):
    list_display = ["vendor", "pool", "payer", "rhythm", "amount", "start_date", "end_date", "paused_from", "next_day"]
    list_filter = ["rhythm", "pool"]
    list_select_related = ["pool", "payer"]
    search_fields = ["vendor", "description", "pool__name", "payer__name"]
    autocomplete_fields = ["pool", "payer"]
    inlines = [AmendmentInline, OccurrenceInline]
    formfield_overrides = MONEY_INPUT

    def get_form(self, request: HttpRequest, obj: RecurringExpense | None = None, change: bool = False, **kwargs):
        if obj is None:
            kwargs["form"] = RecurringCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: RecurringExpense | None = None):
        if obj is None:
            return [(None, {"fields": RecurringCreateForm.Meta.fields[:6] + ["dates"] + RecurringCreateForm.Meta.fields[6:]})]
        return [(None, {"fields": DETAILS}), (_("What comes next"), {"fields": ["next_occurrences", "staff_actions"]})]

    def get_readonly_fields(self, request: HttpRequest, obj: RecurringExpense | None = None) -> list[str]:
        return [*DETAILS, "next_occurrences", "staff_actions"] if obj is not None else []

    def get_inlines(self, request: HttpRequest, obj: RecurringExpense | None):
        return self.inlines if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: RecurringExpense | None = None) -> bool:
        """A schedule is changed only by its actions' pages: its own page is read, with a "Close" button."""
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: RecurringExpense | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RecurringExpense, form: forms.ModelForm, change: bool) -> None:
        if change:
            return
        data = form.cleaned_data
        created = recurring_create(
            pool=data["pool"],
            payer=data["payer"],
            vendor=data["vendor"],
            description=data["description"],
            amount=data["amount"],
            rhythm=data["rhythm"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            dates=data.get("dates") or [],
            indexation_rate=data.get("indexation_rate"),
            created_by=request.user,
        )
        obj.pk = created.pk

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets, change: bool) -> None:
        """The service saved everything; the inlines are read-only."""

    @admin.display(description=gettext_lazy("next occurrence"))
    def next_day(self, schedule: RecurringExpense) -> date | str:
        upcoming = recurring_next(schedule=schedule, today=timezone.localdate(), count=1)
        return date_words(upcoming[0].date) if upcoming else "—"

    @admin.display(description=gettext_lazy("yearly indexation"))
    def yearly_indexation(self, schedule: RecurringExpense) -> str:
        rate = schedule.indexation_rate
        return self.get_empty_value_display() if rate is None else percent_text(rate)

    @admin.display(description=gettext_lazy("given dates"))
    def given_dates(self, schedule: RecurringExpense) -> str:
        return ", ".join(date_words(day) for day in schedule.dates)

    @admin.display(description=gettext_lazy("next occurrences"))
    def next_occurrences(self, schedule: RecurringExpense) -> str:
        upcoming = recurring_next(schedule=schedule, today=timezone.localdate(), count=12)
        if not upcoming:
            return _("Nothing comes next: the schedule is paused or ended.")
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td></tr>", ((date_words(o.date), money_format(o.amount)) for o in upcoming)
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>", _("date"), _("amount"), rows
        )

    @admin.display(description=gettext_lazy("actions"))
    def staff_actions(self, schedule: RecurringExpense) -> str:
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:sharedcosts_recurringexpense_act", args=[schedule.pk, name]), action.title)
                for name, action in ACTIONS.items()
                if action.applies(schedule)
            ),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/do/<slug:action>/",
                self.admin_site.admin_view(self.action_view),
                name="sharedcosts_recurringexpense_act",
            ),
            *super().get_urls(),
        ]

    def action_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in ACTIONS:
            raise Http404
        if not is_staff_member(request.user):
            raise PermissionDenied
        schedule = get_object_or_404(RecurringExpense.objects.select_related("pool"), pk=pk)
        staff_action = ACTIONS[action]
        data = request.POST or None
        form = AmendForm(data) if staff_action.day_label is None else DayForm(data, label=staff_action.day_label)
        if request.method == "POST" and form.is_valid():
            try:
                staff_action.act(schedule, form.cleaned_data, request.user)
            except DomainError as refusal:
                form.add_error(None, refusal)
            else:
                self.message_user(request, staff_action.done)
                return HttpResponseRedirect(reverse("admin:sharedcosts_recurringexpense_change", args=[schedule.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"{staff_action.title} · {schedule}",
            "opts": self.model._meta,
            "schedule": schedule,
            "adminform": admin_form(form),
            "media": admin_form_media(form),
            "submit_label": _("Save"),
        }
        return TemplateResponse(request, "admin/sharedcosts/recurringexpense/action.html", context)


class RecurringBudgetMixin:
    """Adds to a pool's page its recurring expenses' total for its period beside its budgeted cost."""

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "recurring_budget"]

    @admin.display(description=gettext_lazy("recurring expenses over the pool's period"))
    def recurring_budget(self, pool) -> str:
        budget = pool_recurring_budget(pool=pool) if pool.pk else None
        if budget is None:
            return _("No recurring expense falls in the pool's period.")
        text = _("%(total)s for the period, budgeted %(budgeted)s.") % {
            "total": money_format(budget.total),
            "budgeted": money_format(budget.budgeted),
        }
        if not budget.difference.amount:
            return text
        return format_html(
            "{} <strong>{}</strong>",
            text,
            _("Difference: %(difference)s.") % {"difference": money_format(budget.difference)},
        )
