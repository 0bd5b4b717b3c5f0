"""The history of an output target's forecasts: every forecast of the final figure, each with its
reason, who recorded it and when. The first row is the inception baseline; a later baseline comes
only from an approved variation (its row points at it). The board reads this history as at a
quarter end, so nothing here is ever changed or deleted."""

from django.db import models
from django.utils import timezone

from grants.core.money import money


class OutputForecast(models.Model):
    target = models.ForeignKey("awards.OutputTarget", on_delete=models.CASCADE, related_name="forecasts")
    value = models.DecimalField(**money)
    is_baseline = models.BooleanField(default=False, help_text="Sets the baseline (inception, or a variation)")
    reason = models.TextField()
    by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    variation = models.ForeignKey(
        "awards.Variation", null=True, blank=True, on_delete=models.PROTECT, related_name="forecasts"
    )

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["target", "at"])]

    def __str__(self) -> str:
        return f"{self.target}: {self.value} ({self.at:%Y-%m-%d})"
