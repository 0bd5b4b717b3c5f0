"""Factories for bids and their questions."""

import io
import struct
import zipfile
import zlib
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Answer, Bid, BidPartner, Question, QuestionType, Section
from tests import factories as f


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    round = factory.SubFactory(f.RoundFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    order = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    text = factory.Sequence(lambda n: f"Question {n}")
    type = QuestionType.SHORT_TEXT
    required = True
    order = factory.Sequence(lambda n: n)


class BidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bid

    round = factory.SubFactory(f.RoundFactory)
    lead = factory.SubFactory(f.OrganisationFactory)
    title = factory.Sequence(lambda n: f"Bid {n}")
    summary = "A project to help people get online."
    amount_requested = Decimal("20000.00")
    match_funding = Decimal("0.00")
    planned_start = factory.LazyFunction(lambda: __import__("datetime").date(2026, 4, 1))
    planned_end = factory.LazyFunction(lambda: __import__("datetime").date(2027, 3, 31))


class BidPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BidPartner

    bid = factory.SubFactory(BidFactory)
    organisation = factory.SubFactory(f.OrganisationFactory)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    bid = factory.SubFactory(BidFactory)
    question = factory.SubFactory(QuestionFactory)
    value = "An answer"


def pdf_bytes(*objects: bytes, trailer: bytes = b"/Root 1 0 R") -> bytes:
    """A PDF written object by object with a correct cross-reference table; by default one blank
    page. Byte for byte as given, so a test can write names any way a PDF may (/J#61vaScript)."""
    objects = objects or (
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>",
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def png_bytes(width: int = 1, height: int = 1) -> bytes:
    """A real (white) PNG, chunk by chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PDF = pdf_bytes()
PNG = png_bytes()
# The segments of a baseline JPEG, start of image to end of image (a JFIF header, one scan).
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00\xf4\x0a\x28\xa2\x80\x3f\xff\xd9"
)


def _entry(name: str) -> zipfile.ZipInfo:
    """An entry stamped with a fixed time, not the clock's: these bytes appear in test ids, which
    every pytest-xdist worker must collect identically (`make test` fails its collection if a
    second ticks between two workers' imports)."""
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.external_attr = 0o600 << 16  # as writestr() gives an entry named by a string
    return info


def zip_bytes(entries: dict[str, str], first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        if first:
            z.writestr(_entry(first), entries.pop(first), compress_type=zipfile.ZIP_STORED)
        for name, body in entries.items():
            z.writestr(_entry(name), body, compress_type=z.compression)
    return out.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>{extra}'
    '<Override PartName="/{part}" ContentType="{main}"/></Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def docx_bytes(main: str = DOCX_MAIN, extra: str = "", parts: dict | None = None) -> bytes:
    types = CONTENT_TYPES.format(part="word/document.xml", main=main, extra=extra)
    return zip_bytes({"[Content_Types].xml": types, "word/document.xml": "<w:document/>", **(parts or {})})


def xlsx_bytes(main: str = XLSX_MAIN, extra: str = "", parts: dict | None = None) -> bytes:
    types = CONTENT_TYPES.format(part="xl/workbook.xml", main=main, extra=extra)
    return zip_bytes({"[Content_Types].xml": types, "xl/workbook.xml": "<workbook/>", **(parts or {})})


ODF_CONTENT = (
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0">'
    "<office:body><office:text>{body}</office:text></office:body></office:document-content>"
)


def odt_bytes() -> bytes:
    return zip_bytes(
        {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": ODF_CONTENT.format(body="")},
        first="mimetype",
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
