"""Evidence files. Stored through Django's default storage (local or S3) under an
unguessable key, and only ever served by a view that checks permission."""

from django.db import models

from grants.core.uploads import StoredFile, random_key


def evidence_upload_to(instance: "EvidenceFile", filename: str) -> str:
    return random_key(f"private/evidence/round-{instance.bid.round_id}/bid-{instance.bid_id}", filename)


class EvidenceFile(StoredFile):
    SCAN_REFUSED_ACTION = "bid.evidence_refused"

    bid = models.ForeignKey("applications.Bid", on_delete=models.CASCADE, related_name="evidence")
    question = models.ForeignKey(
        "applications.Question", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_upload_to, max_length=255)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def scan_audit_target(self):
        return self.bid
