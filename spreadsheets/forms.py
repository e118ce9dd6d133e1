"""The form that starts a background import from the admin."""

from django import forms
from django.utils.translation import gettext_lazy

from spreadsheets.models import ImportJob
from spreadsheets.registry import importable_choices


class ImportJobForm(forms.ModelForm):
    """Start the background import of a large file (more than 1,000 rows)."""

    what = forms.ChoiceField(label=gettext_lazy("What is imported"))
    file = forms.FileField(label=gettext_lazy("File"), help_text=gettext_lazy("XLSX, or CSV separated by commas, semicolons or tabs."))

    class Meta:
        model = ImportJob
        fields = ["dry_run", "erase_blanks"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = importable_choices()
