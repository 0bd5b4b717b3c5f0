"""Checking an evidence file by what it contains, not what it is called.

`filetype` reads magic numbers; DOCX, XLSX and ODT are all zip files, so for those we open
the archive and look for the parts that make each format what it is.
"""

import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

ALLOWED = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
EXTENSION_ALIASES = {"jpeg": "jpg"}
ALLOWED_LABEL = "PDF, DOCX, XLSX, ODT, PNG or JPEG"


@dataclass
class Checked:
    kind: str
    content_type: str


def _zip_kind(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype == ALLOWED["odt"]:
                    return "odt"
                return None
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return "docx"
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def size_label(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g}MB"
    return f"{limit / 1024:g}KB"


def check_upload(upload) -> Checked:
    """Raise ValidationError unless the upload is small enough and really one of the allowed types."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size == 0:
        raise ValidationError("The selected file is empty")
    if upload.size > limit:
        raise ValidationError(f"The selected file must be smaller than {size_label(limit)}")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    kind = None
    if guess is not None:
        if guess.extension in ("pdf", "png", "jpg"):
            kind = guess.extension
        elif guess.extension in ("zip", "docx", "xlsx", "odt"):
            kind = _zip_kind(upload)
    if kind is None:
        raise ValidationError(f"The selected file must be a {ALLOWED_LABEL}")
    name_ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    name_ext = EXTENSION_ALIASES.get(name_ext, name_ext)
    if name_ext != kind:
        raise ValidationError(f"The file's name ends .{name_ext or '(nothing)'} but it is a {kind.upper()} file")
    return Checked(kind=kind, content_type=ALLOWED[kind])
