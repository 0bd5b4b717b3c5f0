"""Clarification questions: during assessment a panel member or programme manager asks the lead
council a question about its submitted bid, with a date to reply by. The council answers once;
staff may close a question without an answer. Who may see them is in
`applications.permissions.can_see_clarifications`."""

from django.conf import settings
from django.db import models


class Clarification(models.Model):
    bid = models.ForeignKey("applications.Bid", on_delete=models.CASCADE, related_name="clarifications")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField()
    reply_by = models.DateField(help_text="The council's answer is due by the end of this day (UK time).")
    asked_at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        indexes = [models.Index(fields=["bid", "closed_at"], name="clarification_open_idx")]

    def __str__(self) -> str:
        return f"Question on {self.bid}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
