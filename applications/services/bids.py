"""Starting a bid and its details (title, amounts, dates)."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from grants.core.audit import audit_record
from grants.core.money import percent, pounds
from grants.models import Organisation, Round, User

from ..models import (
    Bid,
    BidStage,
)
from .common import BidError
from .eligibility import extension_for, lock_editable, partner_problems, start_eligibility
from .partners import partner_attach


def details_errors(
    *,
    round: Round,
    amount_requested: Decimal,
    match_funding: Decimal,
    planned_start: date | None,
    planned_end: date | None,
) -> dict[str, str]:
    errors = {}
    if amount_requested is not None and not (round.min_award <= amount_requested <= round.max_award):
        errors["amount_requested"] = (
            f"Amount requested must be between {pounds(round.min_award)} and {pounds(round.max_award)}"
        )
    if amount_requested is not None and match_funding is not None and round.match_funding_percent:
        least = (amount_requested * round.match_funding_percent / 100).quantize(Decimal("0.01"))
        if match_funding < least:
            errors["match_funding"] = (
                f"Match funding must be at least {pounds(least)} ({percent(round.match_funding_percent, 2)} of the amount requested)"
            )
    if planned_start and planned_end and planned_end < planned_start:
        errors["planned_end"] = "Planned end must be the same as or after the planned start"
    return errors


DETAIL_FIELDS = ("title", "summary", "amount_requested", "match_funding", "planned_start", "planned_end")


def details_complete(bid: Bid) -> bool:
    """The task list's "Bid details" is completed only when submission would accept them."""
    if not (bid.title and bid.summary and bid.planned_start and bid.planned_end):
        return False
    return not details_errors(round=bid.round, **{k: getattr(bid, k) for k in DETAIL_FIELDS[2:]})


@transaction.atomic
def start_bid(*, round: Round, actor: User, partners: list[Organisation] = (), now=None, **details) -> Bid:
    now = now or timezone.now()
    organisation = actor.organisation
    reasons = start_eligibility(round=round, user=actor, now=now)
    reasons += partner_problems(
        round=round, lead_id=organisation.pk if organisation else 0, organisations=list(partners)
    )
    if reasons:
        raise BidError(reasons)
    errors = details_errors(round=round, **{k: details.get(k) for k in DETAIL_FIELDS[2:]})
    if errors:
        raise BidError(errors)
    ext = extension_for(round=round, organisation_id=organisation.pk)
    try:
        with transaction.atomic():
            bid = Bid.objects.create(
                round=round,
                lead=organisation,
                created_by=actor,
                extended_deadline=ext.new_deadline if ext else None,
                stage=BidStage.EOI if round.two_stage else BidStage.FULL,
                **{k: details[k] for k in DETAIL_FIELDS if k in details},
            )
    except IntegrityError as exc:
        raise BidError(f"{organisation.short_name} already has a bid in this round.") from exc
    audit_record(actor=actor, action="bid.started", target=bid, summary=f"Started {bid.title}")
    for org in partners:
        partner_attach(bid=bid, actor=actor, organisation=org)
    return bid


@transaction.atomic
def update_bid_details(*, bid: Bid, actor: User, now=None, **details) -> Bid:
    bid = lock_editable(bid, actor, now)
    merged = {k: details.get(k, getattr(bid, k)) for k in DETAIL_FIELDS}
    errors = details_errors(round=bid.round, **{k: merged[k] for k in DETAIL_FIELDS[2:]})
    if errors:
        raise BidError(errors)
    changed = [k for k in DETAIL_FIELDS if getattr(bid, k) != merged[k]]
    for k in DETAIL_FIELDS:
        setattr(bid, k, merged[k])
    bid.save(update_fields=[*DETAIL_FIELDS, "updated_at"])
    if changed:
        audit_record(actor=actor, action="bid.details_changed", target=bid, summary=f"Changed {', '.join(changed)}")
    return bid
