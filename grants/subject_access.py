"""Subject access (UK GDPR Article 15): one person's data as a ZIP of JSON and their files.

The record of processing (grants.core.personal_data) says which rows of which model are about or
by a person; this module writes those rows, one JSON file a model, with the files the person
uploaded, read through each file field's storage (the default storage: local disk or S3). Secrets
(password hash, two-factor secrets, session keys) are never written. Every export is audited
with the reason the administrator gave.
"""

import json
import os
import shutil
import tempfile
import zipfile

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from .core.audit import audit_record
from .core.personal_data import Holding, holdings
from .models import User

README = """Personal data held by {service} about {who} (user {pk})

Exported on {when} for a subject access request (UK GDPR Article 15).

data/<model>.json   every record about or by this person, one file a kind of record; each
                    record's fields as stored. Links to other records are their ids.
files/<model>/      the files this person uploaded (bid evidence, return evidence).

What each kind of record is for, its lawful basis and how long it is kept are set out in the
service's privacy notice. Secrets are left out: the password (stored only as a hash),
two-factor authentication secrets and recovery codes, and session keys.
"""


def _row(row: models.Model, holding: Holding) -> dict:
    out = {}
    for f in row._meta.concrete_fields:
        if f.name in holding.secret:
            continue
        value = getattr(row, f.attname)
        out[f.attname] = value.name if isinstance(f, models.FileField) and value else value
    for f in row._meta.many_to_many:
        if f.name not in holding.secret:
            out[f.name] = sorted(getattr(row, f.name).values_list("pk", flat=True))
    return out


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in os.path.basename(name))[:120] or "file"


def subject_access_export(*, actor: User, person: User, reason: str) -> tuple[str, tempfile.SpooledTemporaryFile]:
    """Build the ZIP (in memory up to 16 MB, then on disk) and audit it. Returns its file name and
    the file, positioned at its start. ValidationError without a reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are exporting this person's data"})
    now = timezone.now()
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    counts: dict[str, int] = {}
    files = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for holding in holdings():
            if not holding.person:
                continue
            rows = list(holding.rows_of(person).order_by("pk"))
            if not rows:
                continue
            counts[holding.model] = len(rows)
            data = [_row(row, holding) for row in rows]
            archive.writestr(f"data/{holding.model}.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2))
            for row in rows:
                for name in holding.files:
                    stored = getattr(row, name)
                    if not stored:
                        continue
                    original = getattr(row, "original_name", "") or stored.name
                    with stored.storage.open(stored.name, "rb") as src:
                        target = f"files/{holding.model}/{row.pk}-{_safe(original)}"
                        with archive.open(target, "w") as dst:
                            shutil.copyfileobj(src, dst, 1024 * 1024)
                    files += 1
        archive.writestr(
            "README.txt",
            README.format(
                service="Grantbench",
                who=person.full_name or person.email,
                pk=person.pk,
                when=timezone.localtime(now).strftime("%-d %B %Y at %H:%M"),
            ),
        )
    audit_record(
        actor=actor,
        action="user.data_exported",
        target=person,
        summary=f"Personal data exported: {reason}",
        data={"records": counts, "files": files},
    )
    out.seek(0)
    return f"personal-data-{person.pk}-{timezone.localtime(now):%Y%m%d-%H%M}.zip", out
