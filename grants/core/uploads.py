"""Checking an evidence file by what it contains, not what it is called.

`filetype` reads magic numbers; DOCX, XLSX and ODT are all zip files, so for those we open
the archive and read what it declares itself to be: ODT's mimetype entry, or for DOCX and XLSX
the exact content type of the main part in [Content_Types].xml. Macro-enabled Office files
(.docm, .xlsm renamed .docx) carry a vbaProject.bin and a different main type, and are refused.
`serve_upload` is the way back out: every evidence download goes through it. `StoredFile` is
what every app keeps about a file it stored, under a key from `random_key`.
"""

import mimetypes
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.etree.ElementTree import ParseError

import filetype
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse, Http404

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


# The exact content type of the main part of a plain (macro-free) document; a macro-enabled
# file (.docm, .xlsm) declares ...macroEnabled.main+xml instead, and a template another type.
OOXML_MAIN = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}
MAX_CONTENT_TYPES_BYTES = 1024 * 1024


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _ooxml_kind(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """DOCX or XLSX by the package's declared content types, or None for anything carrying macros."""
    if any(n.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for n in names):
        return None
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        return None
    try:
        root = DefusedET.fromstring(archive.read(info))
    except (ParseError, DefusedXmlException, ValueError):
        return None
    declared = {}
    for element in root:
        if _local(element.tag) == "Override":
            declared[element.get("PartName", "").lstrip("/")] = element.get("ContentType", "")
        if any(word in element.get("ContentType", "").lower() for word in ("macroenabled", "vbaproject")):
            return None
    for kind, (part, content_type) in OOXML_MAIN.items():
        if declared.get(part) == content_type and part in names:
            return kind
    return None


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
                return _ooxml_kind(archive, names)
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


def serve_upload(stored, *, filename: str, content_type: str = "") -> FileResponse:
    """A stored upload as a download under the name it was uploaded with: never sniffed by the
    browser nor kept by a shared cache. A file lost from storage is not found, not a 500."""
    try:
        handle = stored.open("rb")
    except OSError as exc:  # FileNotFoundError included
        raise Http404 from exc
    content_type = content_type or mimetypes.guess_type(filename)[0]
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def random_key(folder: str, filename: str) -> str:
    """A storage key under `folder` that never reuses the uploader's filename (it may leak, clash
    or hold odd characters): a random name, keeping only a short lower-case extension."""
    ext = PurePosixPath(filename).suffix.lower()[:8]
    return f"{folder}/{uuid.uuid4().hex}{ext}"


class StoredFile(models.Model):
    """What is kept about every stored evidence file besides the file itself (each app declares
    its own `file` field, with where it goes): the name to download it by, the content type the
    check found, its size, and who uploaded it when."""

    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name
