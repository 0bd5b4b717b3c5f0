"""Certification of returns (issue 17): where the round asks for it, the council's section 151
officer (or delegate) certifies each return before it reaches the funder.

The officer's send puts the return in "awaiting certification" (not with the funder: nothing that
counts reported returns counts it) and tells the council's certifiers. A certifier of the lead
council confirms, with a declaration, exactly what the certify page showed: the page carries a
fingerprint of the snapshot, and a return that changed since is refused. What was certified is
kept on the return and in the audit row. Or the certifier sends it back with a reason.
"""

import hashlib
import json
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grants.awards.models import MonitoringReturn, ReturnStatus
from grants.core.transitions import transition
from grants.people_selectors import council_certifiers

from .. import permissions as perms
from ..spend_selectors import spend_to_date
from .common import AwardError, lead_officers, notify_people
from .monitoring import notify_submitted, return_url, sent_fields, values_store
from .spend import spend_snapshot

R = ReturnStatus


def certification_snapshot(mreturn: MonitoringReturn) -> dict:
    """Everything the certifier confirms, as JSON-safe text: the certify page shows these values."""
    values = mreturn.values.select_related("output").order_by("output__order", "output_id")
    files = mreturn.evidence_files.order_by("uploaded_at", "pk")
    to_date = spend_to_date(mreturn)
    return {
        "award": mreturn.award.reference,
        "period": mreturn.period.title,
        "rag": mreturn.rag,
        "commentary": mreturn.commentary,
        "evidence": mreturn.evidence,
        "spend": spend_snapshot(mreturn),
        "spend_to_date": {k: str(v) for k, v in to_date.items()},
        "outputs": [{"output": v.output.name, "unit": v.output.unit, "value": str(v.value)} for v in values],
        "evidence_files": [{"name": f.original_name, "size": f.size} for f in files],
        "sent_by": str(mreturn.submitted_by or ""),
    }


def fingerprint(snapshot: dict) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()[:32]


def send_for_certification(
    *,
    mreturn: MonitoringReturn,
    actor,
    rag: str,
    commentary: str,
    evidence: str,
    values: dict[int, Decimal],
    spend: dict[str, Decimal | None],
) -> MonitoringReturn:
    """Called by `return_submit` (the return already locked and checked) when the round asks
    for certification. A council without a certifier is told before anything moves."""
    award = mreturn.award
    certifiers = list(council_certifiers(organisation_ids=[award.lead_id]))
    if not certifiers:
        raise AwardError(
            "Your council has no one who certifies returns (its section 151 officer or delegate). "
            "Ask the programme team to give someone that role, then send the return."
        )
    transition(
        mreturn,
        to=R.TO_CERTIFY,
        actor=actor,
        action="return.to_certify",
        target=award,
        summary=f"{mreturn.period}: sent for certification",
        data={"return": mreturn.pk},
        fields={
            **sent_fields(actor, rag, commentary, evidence, spend),
            "certified_by": None,
            "certified_at": None,
            "certified_snapshot": {},
            "certification_reason": "",
        },
        error=AwardError,
    )
    values_store(mreturn, values)
    notify_people(
        people=certifiers,
        event="return_to_certify",
        award=award,
        key=f"{mreturn.pk}:{mreturn.submitted_at.isoformat()}",
        url=_certify_url(mreturn),
        title=mreturn.period.title,
        rag=mreturn.get_rag_display(),
    )
    return mreturn


def _certify_url(mreturn: MonitoringReturn) -> str:
    return reverse("awards:return_certify", args=[mreturn.award_id, mreturn.pk])


def _locked_for_certifier(mreturn: MonitoringReturn, actor) -> MonitoringReturn:
    mreturn = (
        MonitoringReturn.objects.select_for_update(of=("self",))
        .select_related("award__round", "award__lead", "period", "submitted_by")
        .get(pk=mreturn.pk)
    )
    if not perms.can_certify(actor, mreturn.award):
        raise AwardError("Only the lead council's section 151 officer or delegate can certify this return")
    if mreturn.status != R.TO_CERTIFY:
        raise AwardError("This return is not awaiting certification: it may have been certified already")
    if mreturn.submitted_by_id == actor.pk:
        raise AwardError("You sent this return: someone else must certify it")
    return mreturn


@transaction.atomic
def return_certify(*, mreturn: MonitoringReturn, actor, declaration: bool, seen: str = "") -> MonitoringReturn:
    """The certifier confirms the return, which then reaches the funder. `seen` is the fingerprint
    of what their page showed; two certifiers pressing at once certify it once (the row lock)."""
    mreturn = _locked_for_certifier(mreturn, actor)
    if not declaration:
        raise AwardError({"declaration": "Confirm the declaration to certify the return"})
    snapshot = certification_snapshot(mreturn)
    if seen and seen != fingerprint(snapshot):
        raise AwardError("This return has changed since you opened it: read it again before certifying")
    now = timezone.now()
    transition(
        mreturn,
        to=R.SUBMITTED,
        actor=actor,
        action="return.certified",
        target=mreturn.award,
        summary=f"{mreturn.period}: certified by {actor}",
        data={"return": mreturn.pk, "snapshot": snapshot},
        fields={
            "certified_by": actor,
            "certified_at": now,
            "certified_snapshot": snapshot,
            "submitted_at": now,  # reached the funder now
            "submission_count": mreturn.submission_count + 1,
        },
        error=AwardError,
    )
    notify_submitted(mreturn)
    return mreturn


@transaction.atomic
def return_certification_decline(*, mreturn: MonitoringReturn, actor, reason: str) -> MonitoringReturn:
    """Back to the officer with the reason: as it was before it was sent (never sent to the
    funder: due, so a draft can be saved; sent before: changes requested)."""
    mreturn = _locked_for_certifier(mreturn, actor)
    if not reason.strip():
        raise AwardError({"reason": "Enter what the officer needs to change"})
    to = R.DUE if mreturn.submission_count == 0 else R.CHANGES_REQUESTED
    transition(
        mreturn,
        to=to,
        actor=actor,
        action="return.certification_declined",
        target=mreturn.award,
        summary=f"{mreturn.period}: {reason.strip()}",
        data={"return": mreturn.pk},
        fields={"certification_reason": reason.strip()},
        error=AwardError,
    )
    people = lead_officers(mreturn.award) if not mreturn.submitted_by else [mreturn.submitted_by]
    notify_people(
        people=people,
        event="return_certification_declined",
        award=mreturn.award,
        key=f"{mreturn.pk}:{timezone.now().isoformat()}",
        url=return_url(mreturn),
        title=mreturn.period.title,
        reason=reason.strip(),
    )
    return mreturn
