"""The admin's bulk actions: each selected row goes through a service, each refusal is told."""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from ledger.errors import DomainError

Item = TypeVar("Item")


def refusal_report(model_admin: admin.ModelAdmin, request: HttpRequest, refusal: DomainError, *, item: object = None) -> None:
    """Show a service's refusal as an error message, naming the row when there are several."""
    text = " ".join(refusal.messages)
    model_admin.message_user(request, f"{item}: {text}" if item is not None else text, messages.ERROR)


def each_selected(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    items: Iterable[Item],
    service: Callable[[Item], object],
    *,
    done: Callable[[Item], str],
    name_refused: bool = True,
) -> int:
    """Call ``service`` on each item, telling each refusal and each success in the app's own words.

    A refusal leaves that item as it was (the service wrote nothing) and the
    others are still tried. Returns how many succeeded.
    """
    succeeded = 0
    for item in items:
        try:
            service(item)
        except DomainError as refusal:
            refusal_report(model_admin, request, refusal, item=item if name_refused else None)
        else:
            succeeded += 1
            model_admin.message_user(request, done(item))
    return succeeded


class SavingToldMixin:
    """A model admin whose save says what became of the row, in place of Django's "was added successfully".

    Its ``save_model`` calls :meth:`saving_tell` once (posted, not posted,
    or waiting for an action); Django's own success message for that save is
    then left out.
    """

    def saving_tell(self, request: HttpRequest, message: str, level: int = messages.SUCCESS) -> None:
        self.message_user(request, message, level)
        request.saving_told = True

    def message_user(self, request: HttpRequest, message: str, level: int = messages.INFO, *args, **kwargs) -> None:
        if level == messages.SUCCESS and getattr(request, "saving_told", False):
            return  # Django's "was added successfully": save_model has told what became of the row
        super().message_user(request, message, level, *args, **kwargs)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown beside their parent and never changed there: entries, shares, instalments, versions.

    What they hold is written by the services (or the database) alone; the
    inline only shows it, with every field read-only and nothing to add or
    delete.
    """

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [*self.fields, *super().get_readonly_fields(request, obj)]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.action(permissions=["delete"], description=gettext_lazy("Delete the selection (%(verbose_name_plural)s)"))
def delete_selection(model_admin: admin.ModelAdmin, request: HttpRequest, queryset):
    """Django's own deletion, under a name whose French agrees whatever the rows' gender (config/urls.py).

    Django's "Supprimer les %(verbose_name_plural)s sélectionnés" reads
    "les dépenses partagées sélectionnés".
    """
    return delete_selected(model_admin, request, queryset)
