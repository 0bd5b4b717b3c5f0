"""Bids, their partners and deadline extensions.

Status changes go through `grants.core.transitions.transition`, which applies the model's
`TRANSITIONS` table, so the tables below are the one place that says what may follow what.
"""

from datetime import datetime
from decimal import Decimal

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from grants.core.money import money
from grants.core.transitions import can_transition
from grants.core.updated import SavesUpdatedAt
from grants.models.organisations import COUNCIL_KINDS, OrgKind

from .stages import BidStage


class BidStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for changes"
    WITHDRAWN = "withdrawn", "Withdrawn"
    INELIGIBLE = "ineligible", "Ineligible"
    # Outcomes, set by assessment (scoring app).
    FUNDED = "funded", "Funded"
    NOT_FUNDED = "not_funded", "Not funded"
    RESERVE = "reserve", "Reserve"
    # Two-stage rounds: an expression of interest that programme staff did not invite to a full bid.
    NOT_INVITED = "not_invited", "Not invited to bid"


S = BidStatus
EOI_SUBMITTED = "eoi_submitted"  # a transition state, not a status (Bid.transition_state)
OUTCOME_STATUSES = (S.FUNDED, S.NOT_FUNDED, S.RESERVE)
DEAD_STATUSES = (S.WITHDRAWN, S.INELIGIBLE)
LIVE_STATUSES = tuple(s for s in S if s not in DEAD_STATUSES)

STATUS_TAG = {
    S.DRAFT: "govuk-tag--grey",
    S.SUBMITTED: "govuk-tag--blue",
    S.RETURNED: "govuk-tag--orange",
    S.WITHDRAWN: "govuk-tag--grey",
    S.INELIGIBLE: "govuk-tag--red",
    S.FUNDED: "govuk-tag--green",
    S.NOT_FUNDED: "govuk-tag--red",
    S.RESERVE: "govuk-tag--yellow",
    S.NOT_INVITED: "govuk-tag--red",
}


def status_tag_class(status: str) -> str:
    """The tag's colour for a bid status: pages that list bids as plain rows ask here too."""
    return STATUS_TAG.get(status, "govuk-tag--grey")


def later_deadline(*, closes_at: datetime, extended: datetime | None) -> datetime:
    """A council's deadline in a round: its extension when that is later than the round's close.
    An extension only ever gives more time, and only to its council. `Bid.deadline` and
    `applications.services.deadline_for` both apply this."""
    return extended if extended and extended > closes_at else closes_at


def stage_deadline(*, round, stage: str, extended: datetime | None) -> datetime:
    """A bid's deadline at its stage: an expression of interest is due when expressions close
    (extensions are for full bids); a full bid at the round's close or its council's extension.
    `Bid.deadline` and `applications.services.deadline_for` both apply this."""
    if stage == BidStage.EOI and round.eoi_closes_at:
        return round.eoi_closes_at
    return later_deadline(closes_at=round.closes_at, extended=extended)


class BidQuerySet(models.QuerySet):
    def live(self):
        return self.exclude(status__in=DEAD_STATUSES)


class Bid(SavesUpdatedAt, models.Model):
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        S.DRAFT: (S.SUBMITTED, S.WITHDRAWN),
        S.RETURNED: (S.SUBMITTED, S.WITHDRAWN, S.INELIGIBLE),
        S.SUBMITTED: (S.RETURNED, S.WITHDRAWN, S.INELIGIBLE, S.FUNDED, S.NOT_FUNDED, S.RESERVE),
        # A submitted expression of interest (`transition_state`): invited (the same bid becomes a
        # full-bid draft) or not invited; never funded as it stands.
        EOI_SUBMITTED: (S.DRAFT, S.NOT_INVITED, S.RETURNED, S.WITHDRAWN, S.INELIGIBLE),
        S.RESERVE: (S.FUNDED, S.NOT_FUNDED, S.WITHDRAWN),
        S.FUNDED: (),
        S.NOT_FUNDED: (),
        S.WITHDRAWN: (),
        S.INELIGIBLE: (),
        S.NOT_INVITED: (),
    }

    round = models.ForeignKey("grants.Round", on_delete=models.PROTECT, related_name="bids")
    lead = models.ForeignKey("grants.Organisation", on_delete=models.PROTECT, related_name="bids_led")
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=3000)
    amount_requested = models.DecimalField(**money)
    match_funding = models.DecimalField(default=Decimal("0.00"), **money)
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=BidStatus.choices, default=S.DRAFT, db_index=True)
    stage = models.CharField(max_length=10, choices=BidStage.choices, default=BidStage.FULL, db_index=True)
    eoi_submitted_at = models.DateTimeField("expression of interest received", null=True, blank=True)
    invited_at = models.DateTimeField("invited to a full bid", null=True, blank=True)
    eoi_feedback = models.TextField(blank=True, help_text="What the council is told with its invitation")
    status_reason = models.TextField(blank=True, help_text="Why it was returned, withdrawn or found ineligible")
    status_changed_at = models.DateTimeField(null=True, blank=True)
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    reference_number = models.PositiveIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submission_count = models.PositiveIntegerField(default=0)
    extended_deadline = models.DateTimeField(
        null=True, blank=True, help_text="Copied from an Extension for the lead council in this round"
    )
    declaration_name = models.CharField("senior officer approving", max_length=150, blank=True)
    declaration_role = models.CharField("their job title", max_length=150, blank=True)
    declared_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey("grants.User", null=True, on_delete=models.SET_NULL, related_name="bids_created")
    collaborators = models.ManyToManyField("grants.User", blank=True, related_name="bids_collaborating")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BidQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "lead"],
                condition=~models.Q(status__in=["withdrawn", "ineligible"]),
                name="bid_one_live_per_lead_per_round",
            ),
            models.UniqueConstraint(
                fields=["round", "reference_number"],
                condition=models.Q(reference_number__isnull=False),
                name="bid_reference_number_unique_in_round",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="bid_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return self.reference or f"Draft: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("applications:bid_detail", args=[self.pk])

    @property
    def status_tag_class(self) -> str:
        return status_tag_class(self.status)

    @property
    def is_editable_status(self) -> bool:
        return self.status in (S.DRAFT, S.RETURNED)

    @property
    def deadline(self) -> datetime:
        """When this bid must be in: the round's close, or the lead council's extension (copied
        onto the bid, so no query). Whether a moment beats it is
        `applications.services.submission_in_time`."""
        return stage_deadline(round=self.round, stage=self.stage, extended=self.extended_deadline)

    @property
    def transition_state(self) -> str:
        """Which row of TRANSITIONS applies: a submitted expression of interest has its own."""
        if self.status == S.SUBMITTED and self.stage == BidStage.EOI:
            return EOI_SUBMITTED
        return self.status

    def can_transition(self, to: str) -> bool:
        return can_transition(self, to)


# Partners are councils and sometimes other public bodies (a fire and rescue service, a police
# force, a combined authority); never a funder, a government department or an "other" body.
PARTNER_KINDS = (
    *COUNCIL_KINDS,
    OrgKind.COMBINED_AUTHORITY,
    OrgKind.STRATEGIC_AUTHORITY,
    OrgKind.FIRE_RESCUE,
    OrgKind.POLICE,
)


class PartnerStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"


class BidPartner(models.Model):
    # The partner council answers, and may change its answer while the bid can still be edited;
    # the lead council may ask a council that declined again.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        PartnerStatus.REQUESTED: (PartnerStatus.CONFIRMED, PartnerStatus.DECLINED),
        PartnerStatus.CONFIRMED: (PartnerStatus.CONFIRMED, PartnerStatus.DECLINED),
        PartnerStatus.DECLINED: (PartnerStatus.REQUESTED, PartnerStatus.CONFIRMED, PartnerStatus.DECLINED),
    }

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("grants.Organisation", on_delete=models.PROTECT, related_name="bid_partnerships")
    status = models.CharField(max_length=20, choices=PartnerStatus.choices, default=PartnerStatus.REQUESTED)
    requested_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["organisation__short_name"]
        constraints = [models.UniqueConstraint(fields=["bid", "organisation"], name="bidpartner_unique")]
        # Few partners wait at any time: the dashboard's "waiting for partners" reads this, not the table.
        indexes = [
            models.Index(fields=["bid"], condition=models.Q(status="requested"), name="bidpartner_requested"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.bid}"

    @property
    def status_tag_class(self) -> str:
        return {"confirmed": "govuk-tag--green", "declined": "govuk-tag--red"}.get(self.status, "govuk-tag--yellow")


class Extension(models.Model):
    """A programme manager gives one council more time in one round; kept as a record."""

    round = models.ForeignKey("grants.Round", on_delete=models.CASCADE, related_name="extensions")
    organisation = models.ForeignKey("grants.Organisation", on_delete=models.PROTECT, related_name="extensions")
    new_deadline = models.DateTimeField()
    reason = models.TextField()
    granted_by = models.ForeignKey("grants.User", null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [models.UniqueConstraint(fields=["round", "organisation"], name="extension_one_per_council")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.new_deadline:%Y-%m-%d %H:%M}"


class OtherPartnerKind(models.TextChoices):
    POLICE = "police", "Police"
    FIRE_RESCUE = "fire_rescue", "Fire and rescue"
    HEALTH = "health", "Health"
    VOLUNTARY = "voluntary", "Voluntary or community sector"
    EDUCATION = "education", "Education"
    BUSINESS = "business", "Business"
    PUBLIC_BODY = "public_body", "Other public body"


class OtherPartner(models.Model):
    """A body named on a bid that has no place in the service: a charity, an NHS trust, a
    university. Kept apart from BidPartner (which always points at an Organisation with officers
    who confirm): these are named by the lead council, never confirm, never block submission and
    are never emailed. They still count towards the round's maximum number of partners."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="other_partners")
    name = models.CharField(max_length=200)
    kind = models.CharField("type", max_length=20, choices=OtherPartnerKind.choices)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    role = models.CharField("role in the project", max_length=300, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(models.F("bid"), Lower("name"), name="otherpartner_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.bid}"
