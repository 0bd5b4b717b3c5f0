"""Internal notes: what programme staff write down about a bid, an award or a monitoring return.

One model for every target, so the bid's pages (applications, scoring) and the award's pages
(awards) share one list, one form and one rule for who reads what. It sits in the reference-data
layer because both applications and the apps above it read notes on a bid; the target is reached
by a generic relation, so this layer imports none of them. Notes are append-only: nobody edits or
deletes one (each is audited when written), so the record of a conversation stays as it was.
Councils never read a note: only the pages for staff and the panel list them.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class NoteVisibility(models.TextChoices):
    STAFF = "staff", "Programme staff only"
    PANEL = "panel", "Programme staff and the panel"


class Note(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    visibility = models.CharField(max_length=10, choices=NoteVisibility.choices, default=NoteVisibility.STAFF)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"Note {self.pk} on {self.content_type_id}:{self.object_id}"

    @property
    def for_panel(self) -> bool:
        return self.visibility == NoteVisibility.PANEL
