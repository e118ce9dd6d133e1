"""A large spreadsheet imported in the background: the file kept, its progress and its result.

The model moved here from ``ledger`` with its rows: its table keeps the name
it was created with, ``ledger_importjob``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """A large spreadsheet imported in the background; its progress and result are kept."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("started by")
    )
    resource = models.CharField(_("what is imported"), max_length=200)  # a key of spreadsheets.registry
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content = models.BinaryField(_("content"), editable=False)
    dry_run = models.BooleanField(_("dry run"), default=False)
    erase_blanks = models.BooleanField(_("blank cells erase values"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=ImportJobStatus.choices, default=ImportJobStatus.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows read"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        db_table = "ledger_importjob"
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
