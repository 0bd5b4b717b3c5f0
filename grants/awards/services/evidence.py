"""Evidence files behind milestone updates and monitoring returns.

The lead council attaches files while the milestone or return is still its to change (a
milestone until the manager confirms it, a return while due or sent back for changes). Each file
is checked by what it contains with the bidding app's own check (`grants.core.uploads`), stored
through Django's default storage (S3 or local) under a random key, and audited; a refusal or a
storage failure keeps no row and no stored file.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from grants.awards.models import Award, AwardEvidenceFile, Milestone, MonitoringReturn
from grants.core.audit import audit_record
from grants.core.uploads import check_upload
from grants.models import User

from .. import permissions as perms
from .common import AwardError

logger = logging.getLogger(__name__)

FIELD = "evidence_files"  # the form field the errors belong to
MAX_FILES = 20  # per milestone or return: plenty for evidence, and a bound on what one item holds
STORE_FAILED = "The files could not be stored just now. Nothing else was lost: try again later."


def _locked_milestone(pk: int) -> Milestone:
    milestone = Milestone.objects.select_for_update().select_related("award__round").get(pk=pk)
    if milestone.award.status not in Award.LIVE:
        raise AwardError("Milestones can be updated once the offer is accepted")
    if milestone.confirmed_at:
        raise AwardError("This milestone has been confirmed complete and cannot change")
    return milestone


def _locked_return(pk: int) -> MonitoringReturn:
    mreturn = MonitoringReturn.objects.select_for_update().select_related("award__round", "period").get(pk=pk)
    if mreturn.award.status not in Award.LIVE:
        raise AwardError("Returns can be changed while the award is live")
    if mreturn.status not in MonitoringReturn.OPEN:
        raise AwardError(
            f"This return is {mreturn.get_status_display().lower()}: its files can change only if the programme "
            "manager asks for changes"
        )
    return mreturn


def _locked_item(
    *, actor: User, verb: str, milestone_id: int | None, return_id: int | None
) -> tuple[Award, Milestone | None, MonitoringReturn | None]:
    """The milestone or return the files belong to, locked, once it and the actor may change them."""
    if milestone_id:
        milestone, mreturn = _locked_milestone(milestone_id), None
    else:
        milestone, mreturn = None, _locked_return(return_id)
    award = (milestone or mreturn).award
    if not perms.can_edit(actor, award):
        raise AwardError(f"Only the lead council can {verb} evidence")
    return award, milestone, mreturn


def _where(milestone: Milestone | None, mreturn: MonitoringReturn | None) -> tuple[str, dict]:
    if milestone is not None:
        return f"milestone {milestone.description}", {"milestone": milestone.pk}
    return f"return {mreturn.period.title}", {"return": mreturn.pk}


def _discard(names: list[str], storage) -> None:
    """Best effort: a store that failed to take one file may fail to delete the others too."""
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not delete stored evidence %s", name)


def _checked(uploads: list) -> list:
    """Each file's content type, or every refusal at once, each naming its file."""
    problems, types = [], []
    for upload in uploads:
        try:
            types.append(check_upload(upload).content_type)
        except ValidationError as exc:
            problems += [f"{upload.name}: {m[0].lower()}{m[1:]}" for m in exc.messages]
    if problems:
        raise AwardError({FIELD: problems})
    return types


@transaction.atomic
def evidence_add(
    *, actor: User, uploads: list, milestone: Milestone | None = None, mreturn: MonitoringReturn | None = None
) -> list[AwardEvidenceFile]:
    """Attach files to a milestone or a return of the lead council's: all of them, or none."""
    if (milestone is None) == (mreturn is None):
        raise ValueError("Give a milestone or a return")
    award, milestone, mreturn = _locked_item(
        actor=actor,
        verb="add",
        milestone_id=milestone.pk if milestone else None,
        return_id=mreturn.pk if mreturn else None,
    )
    if not uploads:
        return []
    if (milestone or mreturn).evidence_files.count() + len(uploads) > MAX_FILES:
        raise AwardError({FIELD: f"You can attach up to {MAX_FILES} files: remove some first"})
    types = _checked(uploads)
    rows = [
        AwardEvidenceFile(
            award=award,
            milestone=milestone,
            monitoring_return=mreturn,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        for upload, content_type in zip(uploads, types, strict=True)
    ]
    stored: list[str] = []
    storage = AwardEvidenceFile._meta.get_field("file").storage
    try:
        for row, upload in zip(rows, uploads, strict=True):
            row.file.save(upload.name, upload, save=False)
            stored.append(row.file.name)
        with transaction.atomic():
            for row in rows:
                row.save(force_insert=True)
    except Exception as exc:  # the store is down or refused it (S3, disk), or the rows failed
        logger.exception("Evidence for award %s could not be stored", award.pk)
        _discard(stored, storage)
        raise AwardError({FIELD: STORE_FAILED}) from exc
    where, data = _where(milestone, mreturn)
    for row in rows:
        audit_record(
            actor=actor,
            action="evidence.upload",
            target=award,
            summary=f"Uploaded {row.original_name} to {where}",
            data={"file": row.pk, **data},
        )
    return rows


@transaction.atomic
def evidence_remove(*, evidence: AwardEvidenceFile, actor: User) -> AwardEvidenceFile:
    """Remove a file while its milestone or return can still change. The stored file goes once
    the removal is committed, so a rollback never leaves a row pointing at nothing."""
    award, milestone, mreturn = _locked_item(
        actor=actor, verb="remove", milestone_id=evidence.milestone_id, return_id=evidence.monitoring_return_id
    )
    row = AwardEvidenceFile.objects.select_for_update().filter(pk=evidence.pk).first()
    if row is None:
        raise AwardError("That file has already been removed")
    stored, storage = row.file.name, row.file.storage
    row.delete()
    transaction.on_commit(lambda: _discard([stored], storage))
    where, data = _where(milestone, mreturn)
    audit_record(
        actor=actor,
        action="evidence.remove",
        target=award,
        summary=f"Removed {row.original_name} from {where}",
        data={"file": evidence.pk, **data},
    )
    return row
