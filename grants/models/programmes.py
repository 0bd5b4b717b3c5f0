"""Programmes and their rounds (phases). A round's status derives from its dates and decisions."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from grants.core.money import money
from grants.core.updated import SavesUpdatedAt

from .organisations import OrgKind


class Programme(SavesUpdatedAt, models.Model):
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    code = models.CharField(
        max_length=20, unique=True, help_text="Short code used in open data, for example BI for Behavioural Insights"
    )
    description = models.TextField(blank=True)
    funder = models.ForeignKey("grants.Organisation", on_delete=models.PROTECT, related_name="programmes_funded")
    partner_bodies = models.ManyToManyField("grants.Organisation", blank=True, related_name="programmes_partnered")
    # Bodies whose money is in the programme's grants alongside the funder's (the Cabinet Office's
    # National Cyber Security Programme in Cyber Security): declared after the funder in 360Giving's
    # fundingOrganization. Each needs an organisation id (grants.services.co_funder_errors).
    co_funders = models.ManyToManyField("grants.Organisation", blank=True, related_name="programmes_cofunded")
    # Who councils and panel members ask about this programme: shown on its rounds' pages and in
    # every email about them (grants.selectors.contact_for). Empty: the service-wide contact.
    contact_name = models.CharField(max_length=150, blank=True, help_text="For example, Digital programme team")
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Issue 18: the API's `updated_since` filter.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("grants:staff_programme_detail", args=[self.slug])


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    IN_ASSESSMENT = "in_assessment", "In assessment"
    DECIDED = "decided", "Decided"


ROUND_STATUS_TAG = {
    RoundStatus.DRAFT: "govuk-tag--grey",
    RoundStatus.SCHEDULED: "govuk-tag--blue",
    RoundStatus.OPEN: "govuk-tag--green",
    RoundStatus.CLOSED: "govuk-tag--yellow",
    RoundStatus.IN_ASSESSMENT: "govuk-tag--purple",
    RoundStatus.DECIDED: "govuk-tag--grey",
}


class RoundQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def open_now(self, now=None):
        now = now or timezone.now()
        return self.published().filter(opens_at__lte=now, closes_at__gt=now)

    def open_or_upcoming(self, now=None):
        now = now or timezone.now()
        return self.published().filter(closes_at__gt=now)


class Round(SavesUpdatedAt, models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(max_length=150, help_text="For example Behavioural Insights phase 4")
    slug = models.SlugField(max_length=80, unique=True)
    reference_prefix = models.CharField(
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]{2,10}$", "Use 2 to 10 capital letters or digits, for example BI4")],
        help_text="Starts every bid reference in this round, for example BI4 gives BI4-000123",
    )
    financial_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The year the financial year starts, for example 2018 for 2018/19",
    )
    budget = models.DecimalField(**money)
    min_award = models.DecimalField("minimum award", **money)
    max_award = models.DecimalField("maximum award", **money)
    match_funding_percent = models.DecimalField(
        "match funding required (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="The least match funding a bid must offer, as a percentage of the amount requested. 0 for none",
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField(help_text="Two-stage rounds: the full-bid deadline, for invited councils")
    # Two-stage rounds (issue 16): councils first send a short expression of interest by this
    # moment; programme staff invite some to a full bid due at `closes_at`. Empty: one stage.
    eoi_closes_at = models.DateTimeField(
        "expressions of interest close", null=True, blank=True, help_text="Empty for a one-stage round"
    )
    assessment_deadline = models.DateTimeField(null=True, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    prospectus = models.TextField(blank=True)
    prospectus_document = models.FileField(upload_to="prospectus/", blank=True)
    # Eligibility
    eligible_kinds = models.JSONField(default=list, blank=True, help_text="Organisation types; empty means any council")
    eligible_regions = models.JSONField(default=list, blank=True, help_text="Regions; empty means any")
    england_only = models.BooleanField(default=True)
    eligible_organisations = models.ManyToManyField(
        "grants.Organisation",
        blank=True,
        related_name="rounds_named_eligible",
        help_text="An optional named list, for example councils rated Red or Amber-Red",
    )
    eligibility_note = models.CharField(
        max_length=300, blank=True, help_text="Why the named list exists, shown to councils"
    )
    joint_bids_allowed = models.BooleanField(default=True)
    # A round-only contact (a different team, a panel secretary); empty: the programme's.
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    max_partners = models.PositiveSmallIntegerField(default=10)
    # Issue 17, benefits: annual benefits returns asked of each award after it completes (0: none).
    benefits_years = models.PositiveSmallIntegerField(
        "years of benefits returns after completion",
        default=0,
        validators=[MaxValueValidator(10)],
        help_text="Each award sends a benefits return for each year after it completes. 0 for none",
    )
    # Lifecycle
    published = models.BooleanField(default=False, help_text="Unpublished rounds are drafts, seen only by staff")
    allow_early_assessment = models.BooleanField(
        "allow assessment before the round closes",
        default=False,
        help_text="Assessors may score, and managers decide on, bids already submitted while the round is open",
    )
    # Issue 17, monitoring: spend in returns, its tolerance and certification by the council.
    returns_ask_spend = models.BooleanField(
        "returns must report spend",
        default=False,
        help_text="A return cannot be sent without this period's spend and the forecast at completion",
    )
    spend_tolerance_percent = models.DecimalField(
        "spend tolerance (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="A forecast under or over the award by more than this share is flagged",
    )
    returns_need_certifying = models.BooleanField(
        "returns must be certified",
        default=False,
        help_text="The council's section 151 officer or delegate certifies each return before it reaches the programme",
    )
    assessment_started_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opens"
            ),
            models.CheckConstraint(
                condition=models.Q(min_award__lte=models.F("max_award"), max_award__lte=models.F("budget")),
                name="round_min_le_max_le_budget",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("grants:round_detail", args=[self.slug])

    @property
    def two_stage(self) -> bool:
        return self.eoi_closes_at is not None

    @property
    def financial_year_label(self) -> str:
        return f"{self.financial_year}/{(self.financial_year + 1) % 100:02d}"

    def status_at(self, now=None) -> RoundStatus:
        now = now or timezone.now()
        if not self.published:
            return RoundStatus.DRAFT
        if now < self.opens_at:
            return RoundStatus.SCHEDULED
        # Scoring may start early on bids already in (only where allow_early_assessment is set),
        # but councils must still see the round open until its deadline: the clock decides first,
        # decisions and assessment only after it.
        if now < self.closes_at:
            return RoundStatus.OPEN
        if self.decided_at:
            return RoundStatus.DECIDED
        if self.assessment_started_at:
            return RoundStatus.IN_ASSESSMENT
        return RoundStatus.CLOSED

    @property
    def status(self) -> RoundStatus:
        return self.status_at()

    @property
    def status_tag_class(self) -> str:
        return ROUND_STATUS_TAG[self.status]

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def eligible_kinds_text(self) -> str:
        """The kinds that may lead a bid as one sentence-case line: "County council, London
        borough" would capitalise mid-line, so all but the first are as in a sentence."""
        kinds = [OrgKind(k) for k in self.eligible_kinds if k in OrgKind.values]
        text = ", ".join(k.in_sentence for k in kinds)
        return text[:1].upper() + text[1:]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = "The closing date must be after the opening date"
        if self.min_award is not None and self.max_award is not None and self.min_award > self.max_award:
            errors["min_award"] = "The minimum award must be no more than the maximum award"
        if self.max_award is not None and self.budget is not None and self.max_award > self.budget:
            errors["max_award"] = "The maximum award must be no more than the budget"
        if self.eoi_closes_at and self.opens_at and self.eoi_closes_at <= self.opens_at:
            errors["eoi_closes_at"] = "Expressions of interest must close after the round opens"
        if self.eoi_closes_at and self.closes_at and self.eoi_closes_at >= self.closes_at:
            errors["eoi_closes_at"] = "Expressions of interest must close before full bids are due"
        if self.assessment_deadline and self.closes_at and self.assessment_deadline <= self.closes_at:
            errors["assessment_deadline"] = "The assessment deadline must be after the round closes"
        if self.decision_date and self.closes_at and self.decision_date < timezone.localdate(self.closes_at):
            errors["decision_date"] = "The decision date must be on or after the closing date"
        if self.joint_bids_allowed and self.max_partners == 0:
            errors["max_partners"] = "Allow at least 1 partner, or do not allow joint bids"
        unknown = set(self.eligible_kinds or []) - set(OrgKind.values)
        if unknown:
            errors["eligible_kinds"] = f"Unknown organisation types: {', '.join(sorted(unknown))}"
        if errors:
            raise ValidationError(errors)
