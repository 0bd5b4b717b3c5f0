"""Evidence is checked by content and size, and spoofed files are refused."""

import pytest

from applications import services
from grants.core.uploads import check_upload

from .factories import JPEG, PDF, PNG, docx_bytes, odt_bytes, upload, xlsx_bytes, zip_bytes
from .test_services import start


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("a.pdf", PDF, "pdf"),
        ("a.png", PNG, "png"),
        ("a.jpeg", JPEG, "jpg"),
        ("a.docx", docx_bytes(), "docx"),
        ("a.xlsx", xlsx_bytes(), "xlsx"),
        ("a.odt", odt_bytes(), "odt"),
    ],
)
def test_allowed_types_pass(name, content, kind):
    assert check_upload(upload(name, content)).kind == kind


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("evil.pdf", b"MZ\x90\x00 windows executable", "must be a PDF"),
        ("script.pdf", b"<script>alert(1)</script>", "must be a PDF"),
        ("fake.docx", b"PK\x03\x04 not really a zip", "must be a PDF"),
        ("other.docx", b"PK" + b"\x00" * 10, "must be a PDF"),
        ("renamed.pdf", PNG, "name ends .pdf but it is a PNG"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_spoofed_and_empty_files_refused(name, content, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        check_upload(upload(name, content))


def test_zip_without_office_markers_refused():
    from django.core.exceptions import ValidationError

    from .factories import zip_bytes

    with pytest.raises(ValidationError):
        check_upload(upload("notes.docx", zip_bytes({"readme.txt": "hello"})))


def test_oversize_refused(settings, personas, form):
    settings.UPLOAD_MAX_BYTES = 1024
    bid = start(personas)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="smaller than 1KB"):
        services.upload_evidence(
            bid=bid, actor=personas.lead_officer, upload=upload("big.pdf", PDF + b"0" * 2000), question=form["plan"]
        )
    assert bid.evidence.count() == 0


def test_stored_key_hides_the_filename(personas, form):
    bid = start(personas)
    evidence = services.upload_evidence(
        bid=bid, actor=personas.lead_officer, upload=upload("Our secret plan.pdf", PDF), question=form["plan"]
    )
    assert "secret" not in evidence.file.name and evidence.file.name.startswith("private/evidence/")
    assert evidence.original_name == "Our secret plan.pdf" and evidence.content_type == "application/pdf"


def _refused(name: str, content: bytes) -> str:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        check_upload(upload(name, content))
    return exc.value.messages[0]


def test_a_real_spreadsheet_passes():
    import io

    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    assert check_upload(upload("budget.xlsx", out.getvalue())).kind == "xlsx"


MACROS = "contains macros"
NOT_OFFICE = "must be a PDF, DOCX, XLSX, ODT, PNG or JPEG"
ALTERED = "damaged or has been altered"


@pytest.mark.parametrize(
    "name, content, message",
    [
        # A .docm renamed .docx: macro-enabled main part and a VBA project.
        (
            "macro.docx",
            docx_bytes(
                main="application/vnd.ms-word.document.macroEnabled.main+xml",
                parts={"word/vbaProject.bin": "macro"},
            ),
            MACROS,
        ),
        ("macro.xlsx", xlsx_bytes(main="application/vnd.ms-excel.sheet.macroEnabled.main+xml"), MACROS),
        # Plain main type, but a VBA project smuggled in (declared or not).
        ("sneaky.docx", docx_bytes(parts={"word/vbaProject.bin": "macro"}), MACROS),
        (
            "declared.xlsx",
            xlsx_bytes(extra='<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'),
            MACROS,
        ),
        # No declared main part, a template's main type, a main part that is missing, broken XML.
        ("bare.docx", zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}), NOT_OFFICE),
        (
            "template.docx",
            docx_bytes(main="application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"),
            NOT_OFFICE,
        ),
        ("hollow.xlsx", zip_bytes({"[Content_Types].xml": "<Types/>", "xl/other.xml": "<x/>"}), NOT_OFFICE),
        ("broken.docx", zip_bytes({"[Content_Types].xml": "<Types", "word/document.xml": "<w:document/>"}), ALTERED),
        (
            "entities.docx",
            zip_bytes(
                {
                    "[Content_Types].xml": '<!DOCTYPE t [<!ENTITY a "aaaa">]><Types>&a;</Types>',
                    "word/document.xml": "<w:document/>",
                }
            ),
            ALTERED,
        ),
    ],
)
def test_macro_enabled_and_malformed_office_files_refused(name, content, message):
    assert message in _refused(name, content)
