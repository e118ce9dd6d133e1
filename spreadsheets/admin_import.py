"""The admin's import screens, on the same runs and the same messages as the command and the jobs.

A file is first read and checked without saving (:func:`spreadsheets.runs.table_import`
with a dry run): the person sees each row's values and, for a row that
exists, what changes (old → new), or every error on the spreadsheet's line
and under its column header. Only then do they confirm. A file of more
than :data:`spreadsheets.jobs.ASYNC_THRESHOLD` rows goes to a background
job, whose page shows its progress. Each importable offers a template.
"""

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.tmp_storages import TempFolderStorage

from spreadsheets.jobs import ASYNC_THRESHOLD, import_job_start
from spreadsheets.reading import ImportFileError, size_check, table_read
from spreadsheets.registry import resource_key
from spreadsheets.reports import ImportReport, RowError
from spreadsheets.runs import file_import, table_import
from spreadsheets.writing import download, template_rows

KEPT_FILE_NAME = re.compile(r"^tmp[\w-]+$")


class ImportForm(forms.Form):
    resource = forms.ChoiceField(label=gettext_lazy("What is imported"))
    import_file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("XLSX, or CSV separated by commas, semicolons or tabs."),
    )
    erase_blanks = forms.BooleanField(
        label=gettext_lazy("Blank cells erase values"),
        required=False,
        help_text=gettext_lazy("Unticked, a blank cell leaves the value already stored as it is."),
    )

    def __init__(self, *args: Any, resources: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [(str(index), _verbose(resource)) for index, resource in enumerate(resources)]


class ConfirmForm(forms.Form):
    resource = forms.CharField(widget=forms.HiddenInput)
    import_file_name = forms.RegexField(KEPT_FILE_NAME, widget=forms.HiddenInput)
    original_file_name = forms.CharField(widget=forms.HiddenInput)
    erase_blanks = forms.BooleanField(required=False, widget=forms.HiddenInput)


def _verbose(resource: Any) -> str:
    return str(resource._meta.model._meta.verbose_name_plural).capitalize()


class SpreadsheetImportMixin:
    """Replaces django-import-export's import screens: preview with values and changes, the project's messages."""

    def get_urls(self) -> list[Any]:
        info = self.opts.app_label, self.opts.model_name
        extra = [
            path("import/template/<int:index>/", self.admin_site.admin_view(self.import_template), name="%s_%s_import_template" % info)
        ]
        return extra + super().get_urls()

    def _resources(self, request: HttpRequest) -> list[Any]:
        return list(self.get_import_resource_classes(request))

    def _render(self, request: HttpRequest, **context: Any) -> HttpResponse:
        resources = self._resources(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import"),
            "templates": [(index, _verbose(resource)) for index, resource in enumerate(resources)],
            **context,
        }
        return render(request, "spreadsheets/admin_import.html", context)

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        resources = self._resources(request)
        form = ImportForm(request.POST or None, request.FILES or None, resources=resources)
        if not (request.method == "POST" and form.is_valid()):
            return self._render(request, form=form)
        resource_class = resources[int(form.cleaned_data["resource"])]
        upload = form.cleaned_data["import_file"]
        data = b"".join(upload.chunks())
        erase_blanks = form.cleaned_data["erase_blanks"]
        try:
            size_check(data)
            table = table_read(data, upload.name)
        except ImportFileError as error:
            report = ImportReport(dry_run=True, errors=[RowError(error.line, "", str(error))])
            return self._render(request, form=form, report=report)
        if len(table) > ASYNC_THRESHOLD:
            job = import_job_start(
                resource_key=resource_key(resource_class),
                data=data,
                filename=upload.name,
                user=request.user,
                dry_run=True,
                erase_blanks=erase_blanks,
            )
            return HttpResponseRedirect(reverse("admin:spreadsheets_importjob_progress", args=[job.pk]))
        report = table_import(resource_class(), table, dry_run=True, user=request.user, erase_blanks=erase_blanks, preview=True)
        context: dict[str, Any] = {"form": form, "report": report}
        if report.ok:
            kept = TempFolderStorage(read_mode="rb")
            kept.save(data)
            context["confirm_form"] = ConfirmForm(
                initial={
                    "resource": form.cleaned_data["resource"],
                    "import_file_name": kept.name.rsplit("/", 1)[-1],
                    "original_file_name": upload.name,
                    "erase_blanks": erase_blanks,
                }
            )
            context["rows"] = [(row, row.cells(report.columns)) for row in report.preview]
        return self._render(request, **context)

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if not self.has_import_permission(request) or request.method != "POST":
            raise PermissionDenied
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            raise PermissionDenied
        resources = self._resources(request)
        kept = TempFolderStorage(name=form.cleaned_data["import_file_name"], read_mode="rb")
        data = kept.read()
        report = file_import(
            resources[int(form.cleaned_data["resource"])](),
            data,
            form.cleaned_data["original_file_name"],
            dry_run=False,
            user=request.user,
            erase_blanks=form.cleaned_data["erase_blanks"],
        )
        kept.remove()
        if not report.ok:
            return self._render(request, form=ImportForm(resources=resources), report=report)
        messages.success(request, report.summary())
        return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))

    def import_template(self, request: HttpRequest, index: int) -> HttpResponse:
        """The file to fill in: the resource's columns and one example row."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self._resources(request)[index]()
        headers, example = template_rows(resource)
        return download([headers, example], name=_verbose(resource), fmt="xlsx")
