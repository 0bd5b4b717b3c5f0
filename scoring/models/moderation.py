"""Moderated scores: the chair or a programme manager settles a criterion for a bid, with a reason.

Rows are kept; the current one per (bid, criterion) counts in the ranking."""

from django.conf import settings
from django.db import models


class ModeratedScore(models.Model):
    bid = models.ForeignKey("applications.Bid", on_delete=models.CASCADE, related_name="moderated_scores")
    criterion = models.ForeignKey("scoring.Criterion", on_delete=models.PROTECT, related_name="moderated_scores")
    score = models.SmallIntegerField()
    reason = models.TextField()
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["bid_id", "criterion_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "criterion"], condition=models.Q(is_current=True), name="moderation_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bid_id}/{self.criterion_id}: {self.score}"

    @property
    def label(self) -> str:
        """Pass or Fail for a gateway criterion, else the number (reads the criterion: select it)."""
        return self.criterion.label_for(self.score)
