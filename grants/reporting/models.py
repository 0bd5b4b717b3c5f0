"""Reporting: background exports with progress, the board's summary lines and published open data.

An ExportJob is written by a Celery task to default storage and fetched through a view that
checks the requester, so files never sit behind a public URL.
"""

from django.db import models

from grants.core.money import number, percent
from grants.core.words import counted

from .commitments import Commitment, CommitmentUnit, Deliverable, DeliverableRagChange  # issue 17, item 5

__all__ = [
    "BoardSummary",
    "Commitment",
    "CommitmentUnit",
    "Deliverable",
    "DeliverableRagChange",
    "ExportJob",
    "ExportStatus",
    "PublishedFile",
]


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "In progress"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ExportJob(models.Model):
    """One export a member of staff asked for: which table, which filters, how far it has got."""

    created_by = models.ForeignKey("grants.User", on_delete=models.CASCADE, related_name="export_jobs")
    table = models.CharField(max_length=40, help_text="A name in grants.core.exports.TABLES, or 360giving")
    fmt = models.CharField("format", max_length=10)
    params = models.JSONField(default=dict, blank=True, help_text="The filters on screen when it was asked for")
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    filename = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "grants_exportjob"  # kept from when it lived in the grants app
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.table}.{self.fmt} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, int(self.rows_done * 100 / self.rows_total))

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def progress_text(self) -> str:
        """The progress line, as the page shows it and its script rewrites it."""
        return f"{number(self.rows_done)} of {counted(self.rows_total, 'row')} ({percent(self.percent)})"


class BoardSummary(models.Model):
    """The line a programme manager writes for the board, per programme and quarter end."""

    programme = models.ForeignKey("grants.Programme", on_delete=models.CASCADE, related_name="board_summaries")
    as_at = models.DateField(help_text="The quarter end the report is made at")
    summary = models.TextField(max_length=1000)
    updated_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "grants_boardsummary"  # kept from when it lived in the grants app
        ordering = ["-as_at", "programme__name"]
        constraints = [models.UniqueConstraint(fields=["programme", "as_at"], name="boardsummary_one_per_quarter")]

    def __str__(self) -> str:
        return f"{self.programme} at {self.as_at}"


class PublishedFile(models.Model):
    """A 360Giving snapshot published as open data, listed on the public page."""

    fmt = models.CharField("format", max_length=10)
    file = models.FileField(upload_to="open-data/")
    filename = models.CharField(max_length=120)
    grants = models.PositiveIntegerField(default=0)
    total_awarded = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    published_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)
    withdrawn = models.BooleanField(default=False)

    class Meta:
        db_table = "grants_publishedfile"  # kept from when it lived in the grants app
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.filename
