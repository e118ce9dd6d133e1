"""The background imports in the admin: each person sees the ones they started, with a progress bar.

A large file sent to an import page is first checked by a job (a dry run);
its page shows a bar that reads the job's row until the job ends, then the
result: a button to import it for real, or the errors and a report to
download (the person's file with an "erreur" column).
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from spreadsheets.error_report import error_lines, error_report_rows
from spreadsheets.forms import ImportJobForm
from spreadsheets.jobs import import_job_start, job_progress
from spreadsheets.models import ImportJob, ImportJobStatus
from spreadsheets.registry import IMPORTABLE
from spreadsheets.writing import download


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Each person sees the imports they started, with their progress and result."""

    form = ImportJobForm
    add_form_template = "admin/spreadsheets/importjob/add_form.html"
    list_display = ["filename", "resource", "status", "progress", "created_at", "finished_at"]
    readonly_fields = ["filename", "resource", "status", "progress", "summary", "errors", "created_at", "finished_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportJob]:
        queryset = super().get_queryset(request).defer("content")
        return queryset if request.user.is_superuser else queryset.filter(created_by=request.user)

    def get_fields(self, request: HttpRequest, obj: ImportJob | None = None) -> list[str]:
        return ["what", "file", "dry_run", "erase_blanks"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: ImportJob | None = None) -> list[str]:
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: ImportJob | None = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view
        return [
            path("<int:job_id>/progress/", view(self.progress_view), name="spreadsheets_importjob_progress"),
            path("<int:job_id>/status/", view(self.status_view), name="spreadsheets_importjob_status"),
            path("<int:job_id>/error-report/", view(self.error_report_view), name="spreadsheets_importjob_error_report"),
            path("<int:job_id>/confirm/", view(self.confirm_view), name="spreadsheets_importjob_confirm"),
            *super().get_urls(),
        ]

    def _job(self, request: HttpRequest, job_id: int) -> ImportJob:
        return get_object_or_404(self.get_queryset(request), pk=job_id)

    def progress_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = self._job(request, job_id)
        title = (_("Check of %(file)s") if job.dry_run else _("Import of %(file)s")) % {"file": job.filename}
        context = {**self.admin_site.each_context(request), "opts": self.opts, "job": job, "title": title}
        model = IMPORTABLE[job.resource]._meta.model if job.resource in IMPORTABLE else None
        if model is not None and not job.dry_run and self.admin_site.is_registered(model):
            context["list_url"] = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            context["what"] = model._meta.verbose_name_plural
        return render(request, "spreadsheets/import_progress.html", context)

    def status_view(self, request: HttpRequest, job_id: int) -> JsonResponse:
        """What the progress bar reads, every second: the job's row."""
        job = self._job(request, job_id)
        finished = job.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)
        return JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "processed": job_progress(job=job),
                "total": job.total_rows,
                "finished": finished,
                "summary": job.result.get("summary", ""),
                "errors": error_lines(job.result.get("errors", []))[:50],
                "confirmable": finished and job.status == ImportJobStatus.DONE and job.dry_run,
            }
        )

    def error_report_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = self._job(request, job_id)
        if job.status != ImportJobStatus.FAILED:
            raise PermissionDenied
        fmt = "xlsx" if job.filename.lower().endswith(".xlsx") else "csv"
        rows = error_report_rows(data=bytes(job.content), filename=job.filename, errors=job.result.get("errors", []))
        name = job.filename.rsplit(".", 1)[0] + "-" + _("errors")
        return download(rows, name=name, fmt=fmt)

    def confirm_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        """Import for real the file a dry-run job checked, as a new job."""
        job = self._job(request, job_id)
        if request.method != "POST" or not (job.dry_run and job.status == ImportJobStatus.DONE):
            raise PermissionDenied
        real = import_job_start(
            resource_key=job.resource,
            data=bytes(job.content),
            filename=job.filename,
            user=request.user,
            erase_blanks=job.erase_blanks,
        )
        return HttpResponseRedirect(reverse("admin:spreadsheets_importjob_progress", args=[real.pk]))

    @admin.display(description=gettext_lazy("progress"))
    def progress(self, job: ImportJob) -> str:
        return f"{job_progress(job=job)} / {job.total_rows}"

    @admin.display(description=gettext_lazy("result"))
    def summary(self, job: ImportJob) -> str:
        return job.result.get("summary", "")

    @admin.display(description=gettext_lazy("errors"))
    def errors(self, job: ImportJob) -> str:
        return "\n".join(error_lines(job.result.get("errors", [])))

    def save_model(self, request: HttpRequest, obj: ImportJob, form: ImportJobForm, change: bool) -> None:
        upload = form.cleaned_data["file"]
        job = import_job_start(
            resource_key=form.cleaned_data["what"],
            data=upload.read(),
            filename=upload.name,
            user=request.user,
            dry_run=form.cleaned_data["dry_run"],
            erase_blanks=form.cleaned_data["erase_blanks"],
        )
        obj.pk = job.pk

    def response_add(self, request: HttpRequest, obj: ImportJob, post_url_continue: str | None = None) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:spreadsheets_importjob_progress", args=[obj.pk]))
