"""Checking an evidence file by what it contains, not what it is called, and serving it back.

`filetype` reads magic numbers; DOCX, XLSX and ODT are all zip files, so for those
`upload_office` reads what the archive declares itself to be and refuses zip bombs, macros and
embedded programs. PDFs are parsed for scripts, actions and attached files (`upload_pdf`),
images walked to their real end (`upload_images`), and none of them may carry web page code: a
file that is two things at once (a polyglot) is refused. `check_upload` is the one check every
upload entrance calls. `StoredFile` is what every app keeps about a file it stored, under a key
from `random_key`, with its virus-scan status (`upload_scan`); `serve_stored` is the way back out.
"""

import mimetypes
import re
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from .upload_images import check_image
from .upload_office import office_kind
from .upload_pdf import check_pdf
from .upload_scan import ScanStatus, queue_scan, status_on_upload

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

# Web page code in a PDF or an image: tags a browser would act on, near the start (where sniffing
# looks) or the most dangerous ones anywhere. Needing a delimiter after the tag name keeps
# compressed data from matching by chance.
MARKUP_HEAD = re.compile(rb"<(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed)[\s>/]", re.I)
MARKUP_ANYWHERE = re.compile(rb"<(?:script|html|iframe)[\s>/]|<\?php", re.I)
HEAD_BYTES = 1024
MARKUP = (
    "The selected file contains web page code (HTML or script) as well as the {kind}: save it again as a new "
    "file and upload that"
)


@dataclass
class Checked:
    kind: str
    content_type: str


def size_label(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g}MB"
    return f"{limit / 1024:g}KB"


def check_upload(upload) -> Checked:
    """Raise ValidationError, in words the uploader can act on, unless the upload is small enough,
    really one of the allowed types, and carries nothing that runs or hides another file."""
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
            kind = office_kind(upload)
    if kind is None:
        raise ValidationError(f"The selected file must be a {ALLOWED_LABEL}")
    name_ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    name_ext = EXTENSION_ALIASES.get(name_ext, name_ext)
    if name_ext != kind:
        raise ValidationError(f"The file's name ends .{name_ext or '(nothing)'} but it is a {kind.upper()} file")
    if kind in ("pdf", "png", "jpg"):
        data = upload.read()
        upload.seek(0)
        check_markup(data, kind)
        if kind == "pdf":
            check_pdf(data)
        else:
            check_image(data, kind)
    return Checked(kind=kind, content_type=ALLOWED[kind])


def check_markup(data: bytes, kind: str) -> None:
    if MARKUP_HEAD.search(data[:HEAD_BYTES]) or MARKUP_ANYWHERE.search(data):
        raise ValidationError(MARKUP.format(kind={"jpg": "JPEG"}.get(kind, kind.upper())), code="polyglot")


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


def serve_stored(request, row: "StoredFile") -> HttpResponse:
    """The download of a stored file the caller has already found the user may see: only once
    the virus check says it is clean. Before that, or if it was refused, a page saying so, with
    404 (there is no file to have)."""
    if row.scan_status != ScanStatus.CLEAN:  # kept out of caches by PrivateCacheMiddleware, like every signed-in page
        return render(request, "uploads/not_ready.html", {"file": row}, status=404)
    return serve_upload(row.file, filename=row.original_name, content_type=row.content_type)


def random_key(folder: str, filename: str) -> str:
    """A storage key under `folder` that never reuses the uploader's filename (it may leak, clash
    or hold odd characters): a random name, keeping only a short lower-case extension."""
    ext = PurePosixPath(filename).suffix.lower()[:8]
    return f"{folder}/{uuid.uuid4().hex}{ext}"


class StoredFile(models.Model):
    """What is kept about every stored evidence file besides the file itself (each app declares
    its own `file` field, with where it goes): the name to download it by, the content type the
    check found, its size, who uploaded it when, and what the virus check said.

    Saving a new row with a scanner configured queues its scan (so every entrance is scanned,
    whatever service stored it). A subclass names the audit action for a refused file and the
    object whose history records it."""

    SCAN_REFUSED_ACTION = ""

    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    scan_status = models.CharField(max_length=10, choices=ScanStatus.choices, default=status_on_upload)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def save(self, *args, **kwargs) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            queue_scan(self)

    def scan_audit_target(self) -> models.Model:
        raise NotImplementedError

    @property
    def downloadable(self) -> bool:
        return self.scan_status == ScanStatus.CLEAN
