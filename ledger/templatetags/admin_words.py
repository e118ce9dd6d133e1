"""The admin templates' words for a model: titles, messages, add button, inlines' "Add another" (ledger.admin_words).

The page's ``opts`` is read from the context when it has one: the admin's
index and login pages have none.
"""

from django import template
from django.contrib.admin.helpers import InlineAdminFormSet
from django.db.models.options import Options
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import capfirst

from ledger import admin_words

register = template.Library()


@register.simple_tag(takes_context=True)
def title_in_words(context: template.Context) -> str:
    return admin_words.admin_title(str(context.get("title") or ""), context.get("opts") or None)


@register.simple_tag(takes_context=True)
def message_in_words(context: template.Context, message: object) -> str:
    text = admin_words.admin_message(getattr(message, "message", message), context.get("opts") or None)
    return mark_safe(capfirst(text)) if isinstance(text, SafeData) else capfirst(str(text))


@register.filter
def add_one(opts: Options) -> str:
    return admin_words.add_one(opts)


@register.filter
def worded(formset: InlineAdminFormSet) -> InlineAdminFormSet:
    return admin_words.inline_worded(formset)


@register.simple_tag(takes_context=True)
def nothing_to_save(context: template.Context) -> bool:
    """A change form whose every field is read-only and whose inlines take no change: no Save button for it."""
    if context.get("add"):
        return False
    adminform = context.get("adminform")
    if adminform is None or any(not field.is_readonly for fieldset in adminform for line in fieldset for field in line):
        return False
    return not any(
        inline.has_add_permission or inline.has_change_permission or inline.has_delete_permission
        for inline in context.get("inline_admin_formsets") or []
    )
