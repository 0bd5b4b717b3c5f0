"""Shared pieces of the scoring services."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from grants.core.dates import govuk_when
from grants.models import Round, User
from grants.people_selectors import programme_managers


class AssessmentError(ValidationError):
    """A rule of assessment was broken; the message is shown to the user as it is."""


def round_managers(round: Round) -> list[User]:
    """The programme's managers: they hear about conflicts and decisions."""
    return list(programme_managers(programme_id=round.programme_id))


def confirmed_outcome(bid) -> bool:
    """A confirmed funded or not-funded decision settles the bid's scores; a reserve can still move."""
    from ..models import Decision, DecisionStatus, Outcome

    return (
        Decision.objects.filter(bid_id=bid.pk, status=DecisionStatus.CONFIRMED)
        .exclude(outcome=Outcome.RESERVE)
        .exists()
    )


def assessment_open(round: Round, now: datetime | None = None) -> bool:
    """Whether bids in the round may be scored, moderated and decided now.

    The one owner of "assessment starts after the round closes": councils are told so on their
    receipt, and no bid is judged before every council has had its full time. A round whose
    managers allow early assessment (`Round.allow_early_assessment`, on the round's form) may be
    assessed while it is open, on the bids already submitted.
    """
    return round.allow_early_assessment or (now or timezone.now()) >= round.closes_at


def more_bids_may_arrive(round: Round, now: datetime | None = None) -> bool:
    """Whether a full bid can still come in: the round is open (early assessment decides on the
    bids already in; in a two-stage round, invited councils are still writing theirs) or a
    council's extension runs past now.

    Until none can, the round is not decided however many decisions are confirmed: deciding it
    would refuse the scoring of every bid still to come (`scores._start`)."""
    from applications.models import Extension

    now = now or timezone.now()
    return now < round.closes_at or Extension.objects.filter(round=round, new_deadline__gt=now).exists()


def ensure_assessment_open(round: Round, *, doing: str, now: datetime | None = None) -> None:
    """Refuse `doing` ("Scoring", "Moderation", "Decisions") on a round still open for bids."""
    if not assessment_open(round, now):
        raise AssessmentError(
            f"{doing} can start when the round closes on {govuk_when(round.closes_at)}. "
            "To start earlier, a programme manager can allow early assessment in the round's settings"
        )


def completed_assessments(bid_ids) -> dict[int, int]:
    """{bid id: submitted assessments by assessors still assigned to it}, in one query; a bid
    with none is left out."""
    from django.db.models import Count

    from ..models import Assessment

    rows = (
        Assessment.objects.filter(bid_id__in=bid_ids, assignment__withdrawn_at__isnull=True, submitted_version__gt=0)
        .order_by()
        .values("bid_id")
        .annotate(n=Count("pk"))
    )
    return {row["bid_id"]: row["n"] for row in rows}


def required_assessments(round_id: int) -> int:
    """How many assessors a bid in the round needs: the panel's setting (`Panel.assessors_per_bid`)."""
    from ..models import Panel

    required = Panel.objects.filter(round_id=round_id).values_list("assessors_per_bid", flat=True).first()
    return required or Panel._meta.get_field("assessors_per_bid").default


def assessments_complete(bid) -> tuple[int, int]:
    """(complete, required) for one bid: decisions need every required assessment, or a reason."""
    return completed_assessments([bid.pk]).get(bid.pk, 0), required_assessments(bid.round_id)
