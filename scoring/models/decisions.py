"""A manager's decision on a bid: proposed on the ranking page, then confirmed (one or a batch).

Confirmation sets the bid's status, creates the award and queues the outcome letter."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models


class Outcome(models.TextChoices):
    FUNDED = "funded", "Funded"
    NOT_FUNDED = "not_funded", "Not funded"
    RESERVE = "reserve", "Reserve"


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    CONFIRMED = "confirmed", "Confirmed"


OUTCOME_TAG = {
    Outcome.FUNDED: "govuk-tag--green",
    Outcome.NOT_FUNDED: "govuk-tag--red",
    Outcome.RESERVE: "govuk-tag--yellow",
}


class Decision(models.Model):
    # A proposal may be changed or confirmed. A confirmed reserve may be proposed again (funded
    # when money frees up, or not funded); any other confirmed decision is final.
    CONFIRMED_RESERVE = "confirmed_reserve"
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        DecisionStatus.PROPOSED: (DecisionStatus.PROPOSED, DecisionStatus.CONFIRMED),
        CONFIRMED_RESERVE: (DecisionStatus.PROPOSED,),
        DecisionStatus.CONFIRMED: (),
    }

    bid = models.OneToOneField("applications.Bid", on_delete=models.CASCADE, related_name="decision")
    round = models.ForeignKey("grants.Round", on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    amount = models.DecimalField(
        "recommended amount",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Leave empty to fund the amount requested",
    )
    feedback = models.TextField(blank=True)
    gateway_override = models.TextField(
        "reason for funding despite a failed gateway", blank=True, help_text="Required to fund a gateway-failed bid"
    )
    assessments_override = models.TextField(
        "reason for deciding before every assessment is complete",
        blank=True,
        help_text="Required to decide on a bid with fewer completed assessments than the round requires",
    )
    status = models.CharField(max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["round", "status", "outcome"])]

    def __str__(self) -> str:
        return f"{self.bid_id}: {self.outcome} ({self.status})"

    @property
    def transition_state(self) -> str:
        """Which row of TRANSITIONS applies: a confirmed reserve has its own."""
        if self.status == DecisionStatus.CONFIRMED and self.outcome == Outcome.RESERVE:
            return self.CONFIRMED_RESERVE
        return self.status

    @property
    def is_confirmed(self) -> bool:
        return self.status == DecisionStatus.CONFIRMED

    @property
    def outcome_tag_class(self) -> str:
        return OUTCOME_TAG.get(self.outcome, "govuk-tag--grey")
