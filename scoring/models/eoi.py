"""Triage of expressions of interest in a two-stage round: a manager proposes invite or decline,
then confirms the round's proposals in a batch (scoring.services.eoi), which calls
applications.services.eoi to move the bid and tell the council."""

from django.conf import settings
from django.db import models


class EoiOutcome(models.TextChoices):
    INVITE = "invite", "Invite to a full bid"
    DECLINE = "decline", "Do not invite"


class EoiTriage(models.Model):
    bid = models.OneToOneField("applications.Bid", on_delete=models.CASCADE, related_name="eoi_triage")
    outcome = models.CharField(max_length=10, choices=EoiOutcome.choices)
    # Decline: the reason (required). Invite: feedback (optional). Either way the council reads it.
    note = models.TextField(blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.bid_id}"
