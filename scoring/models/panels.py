"""Panels, their members and who assesses which bid.

The round's assessment settings (assessors per bid, moderation threshold, whether others'
scores stay hidden until an assessor has submitted) live on the Panel, one per round.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Panel(models.Model):
    round = models.OneToOneField("grants.Round", on_delete=models.CASCADE, related_name="panel")
    name = models.CharField(max_length=150, blank=True)
    assessors_per_bid = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(10)], help_text="Usually 2"
    )
    moderation_threshold = models.DecimalField(
        "moderation threshold (percentage points)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Bids whose assessors' totals differ by more than this are moderated",
    )
    hide_scores_until_submitted = models.BooleanField(
        "hide other assessors' scores until an assessor has submitted their own", default=True
    )

    def __str__(self) -> str:
        return self.name or f"Panel for {self.round}"


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_memberships")
    is_chair = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["panel", "user"], name="panelmember_unique")]

    def __str__(self) -> str:
        return f"{self.user} on {self.panel}"


class Assignment(models.Model):
    """One assessor asked to assess one bid. Withdrawn rows are kept (a conflict, a reassignment)."""

    bid = models.ForeignKey("applications.Bid", on_delete=models.CASCADE, related_name="assignments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    needs_reassignment = models.BooleanField(
        default=False, help_text="Withdrawn for a conflict of interest: the bid needs another assessor"
    )

    class Meta:
        ordering = ["bid_id", "assessor_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "assessor"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="assignment_one_active_per_bid_assessor",
            )
        ]
        indexes = [models.Index(fields=["assessor", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.assessor} assesses {self.bid}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
