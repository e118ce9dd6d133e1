"""The admin templates' words for a model: its titles, its add button and its inlines' "Add another" (see ledger.admin_words)."""

from django import template
from django.contrib.admin.helpers import InlineAdminFormSet
from django.db.models.options import Options

from ledger import admin_words

register = template.Library()


@register.filter
def in_words(title: str, opts: Options | None) -> str:
    return admin_words.admin_title(str(title), opts or None)


@register.filter
def add_one(opts: Options) -> str:
    return admin_words.add_one(opts)


@register.filter
def worded(formset: InlineAdminFormSet) -> InlineAdminFormSet:
    return admin_words.inline_worded(formset)
