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
