"""The background imports in the admin: each person sees the ones they started; starting one calls the job service."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from spreadsheets.forms import ImportJobForm
from spreadsheets.jobs import import_job_start, job_progress
from spreadsheets.models import ImportJob
from spreadsheets.runs import RowError


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Each person sees the imports they started, with their progress and result."""

    form = ImportJobForm
    list_display = ["filename", "resource", "status", "progress", "created_at", "finished_at"]
    readonly_fields = ["filename", "resource", "status", "progress", "summary", "errors", "created_at", "finished_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportJob]:
        queryset = super().get_queryset(request).defer("content")
        return queryset if request.user.is_superuser else queryset.filter(created_by=request.user)

    def get_fields(self, request: HttpRequest, obj: ImportJob | None = None) -> list[str]:
        return ["what", "file", "dry_run"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: ImportJob | None = None) -> list[str]:
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: ImportJob | None = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("progress"))
    def progress(self, job: ImportJob) -> str:
        return f"{job_progress(job=job)} / {job.total_rows}"

    @admin.display(description=gettext_lazy("result"))
    def summary(self, job: ImportJob) -> str:
        return job.result.get("summary", "")

    @admin.display(description=gettext_lazy("errors"))
    def errors(self, job: ImportJob) -> str:
        return "\n".join(
            str(RowError(error["row"], error["column"], error["message"])) for error in job.result.get("errors", [])
        )

    def save_model(self, request: HttpRequest, obj: ImportJob, form: ImportJobForm, change: bool) -> None:
        upload = form.cleaned_data["file"]
        job = import_job_start(
            resource_key=form.cleaned_data["what"],
            data=upload.read(),
            filename=upload.name,
            user=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        obj.pk = job.pk
