"""Declarations of interest. A panel member confirms a declaration for a round before any bid
is shown to them; each interest names an organisation (or one bid) and its nature."""

from django.conf import settings
from django.db import models


class Declaration(models.Model):
    """'I have declared all my interests for this round' — the gate in front of the queue."""

    round = models.ForeignKey("grants.Round", on_delete=models.CASCADE, related_name="interest_declarations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interest_declarations")
    confirmed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="declaration_one_per_round_user")]

    def __str__(self) -> str:
        return f"{self.user}: {self.round}"


class Interest(models.Model):
    """An interest in an organisation (any bid it leads or partners is conflicted) or in one bid."""

    round = models.ForeignKey("grants.Round", on_delete=models.CASCADE, related_name="interests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(
        "grants.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bid = models.ForeignKey(
        "applications.Bid", null=True, blank=True, on_delete=models.CASCADE, related_name="declared_interests"
    )
    nature = models.TextField(help_text="For example: my partner works in its housing team")
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round_id", "declared_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(bid__isnull=False),
                name="interest_names_organisation_or_bid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.organisation or self.bid}"
