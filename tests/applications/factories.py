"""Factories for bids and their questions."""

import io
import zipfile
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


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def zip_bytes(entries: dict[str, str], first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        if first:
            z.writestr(first, entries.pop(first), compress_type=zipfile.ZIP_STORED)
        for name, body in entries.items():
            z.writestr(name, body)
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


def odt_bytes() -> bytes:
    return zip_bytes(
        {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document-content/>"},
        first="mimetype",
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
