"""Answers to a round's questions and the evidence files that go with them."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from grants.core.audit import audit_record
from grants.core.uploads import check_upload
from grants.models import User

from ..answers import clean_answer, is_blank, shown_question_ids
from ..models import (
    Answer,
    Bid,
    EvidenceFile,
    Question,
    Section,
)
from ..selectors import round_questions, section_editable
from .common import BidError
from .eligibility import lock_editable

logger = logging.getLogger(__name__)


@transaction.atomic
def save_section_answers(*, bid: Bid, actor: User, section: Section, data: dict[int, object], now=None) -> int:
    """Store every answer of one section, blank ones included (a cleared answer is cleared).

    Any invalid answer refuses the whole section so the page can show all errors at once;
    nothing saved earlier is touched. Returns how many answers changed.
    """
    bid = lock_editable(bid, actor, now)
    if section.round_id != bid.round_id:
        raise BidError("That section is not part of this round.")
    if not section_editable(bid=bid, section=section):
        raise BidError(f"{section.title} cannot be changed at this stage of the bid.")
    # The questions that applied as the page was shown are saved, blank or not. One that the new
    # answers reveal on this page is saved when it was given (the page may have revealed it).
    # A hidden one keeps its stored answer, so changing the earlier answer back restores it,
    # and is never cleared or refused for what the page did not show (or showed, then hid).
    round_qs = round_questions(round_id=bid.round_id)
    stored = dict(Answer.objects.filter(bid=bid).values_list("question_id", "value"))
    before = shown_question_ids(round_qs, stored)
    section_qs = [q for q in section.questions.all() if q.type != "file_upload"]
    errors, cleaned = {}, {}

    def clean(qs):
        for q in qs:
            try:
                cleaned[q.pk] = clean_answer(q, data.get(q.pk))
            except ValidationError as exc:
                errors[f"q_{q.pk}"] = exc.messages[0]

    clean(q for q in section_qs if q.pk in before)
    after = shown_question_ids(round_qs, {**stored, **cleaned})
    revealed = [q for q in section_qs if q.pk in after and q.pk not in before and not is_blank(data.get(q.pk))]
    clean(revealed)
    # A question the new answers hide is not saved, so what was typed in it refuses nothing.
    errors = {key: message for key, message in errors.items() if int(key.removeprefix("q_")) in after}
    if errors:
        raise BidError(errors)
    questions = [q for q in section_qs if q.pk in cleaned and q.pk in after]
    existing = {a.question_id: a for a in Answer.objects.filter(bid=bid, question__in=questions)}
    changed = 0
    for q in questions:
        answer = existing.get(q.pk)
        if answer is None:
            Answer.objects.create(bid=bid, question=q, value=cleaned[q.pk], updated_by=actor)
            changed += 1
        elif answer.value != cleaned[q.pk]:
            answer.value, answer.updated_by = cleaned[q.pk], actor
            answer.save()
            changed += 1
    if changed:
        audit_record(actor=actor, action="bid.answers_saved", target=bid, summary=f"Saved {section.title}")
    return changed


@transaction.atomic
def upload_evidence(*, bid: Bid, actor: User, upload, question: Question | None = None, now=None) -> EvidenceFile:
    bid = lock_editable(bid, actor, now)
    if question is not None and (question.section.round_id != bid.round_id or question.type != "file_upload"):
        raise BidError("That question does not take files.")
    checked = check_upload(upload)
    evidence = EvidenceFile(
        bid=bid,
        question=question,
        original_name=upload.name[:255],
        content_type=checked.content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    try:
        evidence.file.save(upload.name, upload, save=False)
    except Exception as exc:  # the store is down or refused it (S3, disk): say so, keep no record
        logger.exception("Evidence upload for bid %s could not be stored", bid.pk)
        raise BidError("The file could not be stored just now. Nothing else was lost: try again later.") from exc
    evidence.save()
    audit_record(actor=actor, action="bid.evidence_uploaded", target=bid, summary=f"Uploaded {evidence.original_name}")
    return evidence


@transaction.atomic
def delete_evidence(*, bid: Bid, actor: User, evidence: EvidenceFile, now=None) -> None:
    bid = lock_editable(bid, actor, now)
    if evidence.bid_id != bid.pk:
        raise BidError("That file is not part of this bid.")
    name = evidence.original_name
    stored = evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: evidence.file.storage.delete(stored))
    audit_record(actor=actor, action="bid.evidence_deleted", target=bid, summary=f"Deleted {name}")
