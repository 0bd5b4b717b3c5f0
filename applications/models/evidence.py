"""Evidence files. Stored through Django's default storage (local or S3) under an
unguessable key, and only ever served by a view that checks permission."""

import uuid
from pathlib import PurePosixPath

from django.db import models


def evidence_upload_to(instance: "EvidenceFile", filename: str) -> str:
    # Never reuse the council's filename in the key: it may leak, clash or hold odd characters.
    ext = PurePosixPath(filename).suffix.lower()[:8]
    return f"private/evidence/round-{instance.bid.round_id}/bid-{instance.bid_id}/{uuid.uuid4().hex}{ext}"


class EvidenceFile(models.Model):
    bid = models.ForeignKey("applications.Bid", on_delete=models.CASCADE, related_name="evidence")
    question = models.ForeignKey(
        "applications.Question", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey("grants.User", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
