"""The admin's own pages that are not a model's (an adjustment, a grant's amendment, a schedule's action) laid out as the admin's.

Such a page shows a plain form. Wrapped here, it is drawn by the admin's own
fieldset (``templates/admin/form_page.html``): labels as the admin writes
them, each error in its field's row, help under its field, and the admin's
calendar beside a date.
"""

from django import forms
from django.contrib.admin.helpers import AdminForm
from django.contrib.admin.widgets import AdminDateWidget


class AdminDateField(forms.DateField):
    """A date typed as in the admin's other forms, with its calendar and its "Today" shortcut."""

    widget = AdminDateWidget


def admin_form(form: forms.Form) -> AdminForm:
    """``form`` as one fieldset of the admin, its fields in their order."""
    return AdminForm(form, [(None, {"fields": list(form.fields)})], prepopulated_fields={})


def admin_form_media(form: forms.Form) -> forms.Media:
    """What ``form``'s widgets need on the page: the calendar reads the admin's core script."""
    return forms.Media(js=["admin/js/core.js"]) + form.media
