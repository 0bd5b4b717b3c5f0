"""Triage of expressions of interest: propose invite or decline per bid, then confirm in a batch.

Proposals are private to programme staff until confirmed; confirming calls
applications.services.eoi (which moves the bid, audits and tells the council). Each bid is
confirmed in its own transaction under a row lock on its proposal, so pressing the button twice,
or two managers at once, moves each bid once and sends one letter.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from applications.permissions import barred_bid_ids
from applications.services import BidError, eoi_decline, eoi_invite
from grants.core.audit import audit_record
from grants.core.dates import govuk_when
from grants.models import Round, User

from ..models import EoiOutcome, EoiTriage
from ..permissions import can_manage_round
from ..selectors import submitted_eois, triage_open
from .common import AssessmentError
from .eoi_criteria import eoi_scores_save


def ensure_triage_open(round: Round, now: datetime | None = None) -> None:
    if not round.eoi_closes_at:
        raise AssessmentError("This round has one stage: it takes no expressions of interest")
    if not triage_open(round, now):
        raise AssessmentError(
            f"Triage can start when expressions of interest close on {govuk_when(round.eoi_closes_at)}"
        )


@transaction.atomic
def eoi_propose(
    *, bid, actor: User, outcome: str, note: str = "", scores: dict[int, int | None] | None = None
) -> EoiTriage:
    """Record (or change) the proposed outcome for one expression of interest. A decline needs the
    reason the council will read; an invitation may carry feedback. `scores` ({EOI criterion id:
    score or None}) replaces the proposal's short scores, which staff alone see; None leaves them
    as they are. Scoring locks the round row, as changing its EOI criteria does."""
    rounds = Round.objects.select_for_update() if scores is not None else Round.objects
    round = rounds.get(pk=bid.round_id)
    if not can_manage_round(actor, round):
        raise AssessmentError("Only the programme's managers triage expressions of interest")
    ensure_triage_open(round)
    if not submitted_eois(round).filter(pk=bid.pk).exists():
        raise AssessmentError(f"{bid} is not a submitted expression of interest")
    if outcome not in EoiOutcome.values:
        raise AssessmentError({"outcome": "Choose whether to invite the council to a full bid"})
    note = note.strip()
    if outcome == EoiOutcome.DECLINE and not note:
        raise AssessmentError({"note": "Enter the reason the council is not invited to a full bid"})
    triage, _ = EoiTriage.objects.select_for_update().update_or_create(
        bid=bid,
        defaults={
            "outcome": outcome,
            "note": note,
            "proposed_by": actor,
            "proposed_at": timezone.now(),
        },
    )
    data = {"scores": eoi_scores_save(triage=triage, round=round, scores=scores)} if scores is not None else None
    audit_record(
        actor=actor, action="eoi.proposed", target=triage, summary=f"{triage.get_outcome_display()}: {bid}", data=data
    )
    return triage


def eoi_confirm_batch(*, round: Round, actor: User, bid_ids: list[int]) -> tuple[list, list[str]]:
    """Confirm the proposals for `bid_ids`: invite or decline each bid, one transaction a bid.
    Returns (confirmed triages, reasons some were skipped). A proposal another manager has
    already confirmed is skipped silently: it was done once, which is what was asked; so is a bid
    the actor is barred from (a conflicted manager confirms none of theirs)."""
    if not can_manage_round(actor, round):
        raise AssessmentError("Only the programme's managers confirm invitations")
    ensure_triage_open(round)
    done, skipped = [], []
    barred = barred_bid_ids(actor)
    for bid_id in bid_ids:
        if bid_id in barred:
            continue
        with transaction.atomic():
            triage = (
                EoiTriage.objects.select_for_update()
                .filter(bid__round=round, bid_id=bid_id, confirmed_at__isnull=True)
                .select_related("bid")
                .first()
            )
            if triage is None:
                continue
            try:
                with transaction.atomic():
                    if triage.outcome == EoiOutcome.INVITE:
                        eoi_invite(bid=triage.bid, actor=actor, feedback=triage.note)
                    else:
                        eoi_decline(bid=triage.bid, actor=actor, reason=triage.note)
            except BidError as exc:
                skipped.append(exc.messages[0])
                continue
            triage.confirmed_at = timezone.now()
            triage.save(update_fields=["confirmed_at"])
            done.append(triage)
    return done, skipped
