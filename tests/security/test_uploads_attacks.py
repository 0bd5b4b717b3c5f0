"""Every upload entrance refuses every malicious file (tests/security/uploads_payloads.py), with
a refusal in plain English naming what is wrong, stores nothing, and loses nothing the user
typed or saved. The check itself is attacked payload by payload first; then each entrance, as a
person would reach it: a bid's evidence question, a milestone update, a monitoring return, a
round's prospectus document. A census of the code fails when an entrance appears that this file
does not attack."""

import io
import random
import re
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook
from PIL import Image

from applications.models import Answer, EvidenceFile, QuestionType
from grants.awards import services as award_services
from grants.awards.models import AwardEvidenceFile, AwardStatus, ImportJob, MilestoneStatus
from grants.core import upload_office, upload_pdf
from grants.core.uploads import check_upload
from tests.applications.factories import PDF, QuestionFactory, SectionFactory, pdf_bytes, upload
from tests.applications.test_services import start
from tests.awards.factories import AwardFactory, MilestoneFactory, ReturnPeriodFactory

from .uploads_payloads import PAYLOADS, build, js_open_action
from .uploads_payloads_office import CONTENT_TYPES, DOCUMENT, Part, docx, odt, raw_zip

ROOT = Path(__file__).resolve().parents[2]


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(name, content))
    return exc.value.messages[0]


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.what)
def test_the_check_refuses_each_attack_saying_why(payload):
    assert payload.expect in refusal(payload.name, payload.content())


def test_the_reported_zip_bomb_is_what_was_reported_and_is_refused_unopened():
    data = build("declared 300 MB zip bomb")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        declared = sum(i.file_size for i in archive.infolist())
    assert len(data) < 400 * 1024 and declared > 300 * 1024 * 1024
    message = refusal("evidence.docx", data)
    assert "zip bomb" in message and "100 times" in message


BOMBS = ["declared 300 MB zip bomb", "one part packed 1,000 times", "110 MB in small parts", "10,000 parts"]


@pytest.mark.parametrize("what", BOMBS)
def test_bombs_are_refused_from_the_directory_before_anything_is_inflated(monkeypatch, what):
    def inflate(*args, **kwargs):
        raise AssertionError(f"inflated a part of {what}")

    monkeypatch.setattr(upload_office, "inflate", inflate)
    payload = next(p for p in PAYLOADS if p.what == what)
    assert payload.expect in refusal(payload.name, payload.content())


class CountingInflater:
    """zlib's inflater, counting what it gives out."""

    total = 0

    def __init__(self, real):
        self.real = real

    def decompress(self, data, max_length=0):
        out = self.real.decompress(data, max_length)
        CountingInflater.total += len(out)
        return out

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_part_that_lies_about_its_size_is_stopped_one_byte_past_it(monkeypatch):
    """The lying part declares 8,000 bytes and holds 5 MB: no more than 8,001 are ever inflated."""
    real = zlib.decompressobj
    monkeypatch.setattr(zlib, "decompressobj", lambda *a: CountingInflater(real(*a)))
    CountingInflater.total = 0
    payload = next(p for p in PAYLOADS if p.what == "lying header")
    assert payload.expect in refusal(payload.name, payload.content())
    assert CountingInflater.total <= 8001 + len(CONTENT_TYPES) + len(DOCUMENT) + 1024


def test_a_pdf_with_more_objects_than_can_be_checked_is_refused(monkeypatch):
    monkeypatch.setattr(upload_pdf, "MAX_OBJECTS", 2)
    assert "too many parts to check" in refusal("report.pdf", PDF)


def test_a_byte_search_alone_would_miss_the_script_in_an_object_stream():
    data = js_open_action()
    assert b"JavaScript" not in data and b"/JS" not in data  # compressed away
    assert "PDF containing JavaScript" in refusal("report.pdf", data)


def test_the_limits_are_stated_in_the_refusals():
    assert "less than 100MB when uncompressed" in upload_office.TOO_BIG
    assert "more than 100 times smaller" in upload_office.TOO_DENSE
    assert "more than 10,000 parts" in upload_office.TOO_MANY


# ---- what must still pass: the ordinary files councils upload ------------------------------------


def _xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _image(fmt: str, **kw) -> bytes:
    out = io.BytesIO()
    Image.effect_noise((320, 240), 40).convert("RGB").save(out, fmt, **kw)
    return out.getvalue()


def _multi_picture_jpeg() -> bytes:
    """A phone's picture with a second image stored after it (Pillow writes it as MPO)."""
    out = io.BytesIO()
    first = Image.effect_noise((64, 48), 40).convert("RGB")
    first.save(out, "MPO", save_all=True, append_images=[Image.new("RGB", (32, 24))])
    return out.getvalue()


def _pdf_with_page_opening_and_link() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[0, 0, 100, 20],
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://www.local.gov.uk/")),
    )
    pdf.pages[0].Annots = pikepdf.Array([pdf.make_indirect(link)])
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="", owner="owner-only"))  # printing restricted, no password
    return out.getvalue()


def _packs_ten_times(size: int) -> bytes:
    """Each KB a tenth noise (which does not pack) and the rest zeros (which packs to nothing)."""
    noise = random.Random(14)
    return b"".join(noise.randbytes(100) + bytes(924) for _ in range(size // 1024))


HYPERLINK_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
    'Target="https://www.local.gov.uk/" TargetMode="External"/></Relationships>'
)
SAFE = {
    "a DOCX with an embedded chart's workbook": (
        "report.docx",
        lambda: docx(Part("word/embeddings/Microsoft_Excel_Worksheet.xlsx", _xlsx())),
        "docx",
    ),
    "a DOCX with a web link": (
        "report.docx",
        lambda: docx(Part("word/_rels/document.xml.rels", HYPERLINK_RELS.encode())),
        "docx",
    ),
    "a DOCX with a 3 MB part packed 10 times": (
        "report.docx",
        lambda: docx(Part("word/media/text.xml", _packs_ten_times(3 * 1024 * 1024))),
        "docx",
    ),
    "a spreadsheet from openpyxl": ("budget.xlsx", _xlsx, "xlsx"),
    "an ODT with a web link": (
        "report.odt",
        lambda: odt(body='<text:p><text:a xlink:href="https://www.local.gov.uk/">LGA</text:a></text:p>'),
        "odt",
    ),
    "a PDF opening at its first page, with a web link, restricted by an owner password": (
        "report.pdf",
        _pdf_with_page_opening_and_link,
        "pdf",
    ),
    "a PDF with blank space after its end": ("report.pdf", lambda: PDF + b"\r\n\x00\x00  \n", "pdf"),
    "a progressive JPEG with EXIF": ("photo.jpg", lambda: _image("JPEG", progressive=True, exif=Image.Exif()), "jpg"),
    "a phone's multi-picture JPEG": ("photo.jpeg", _multi_picture_jpeg, "jpg"),
    "a PNG": ("photo.png", lambda: _image("PNG"), "png"),
}


@pytest.mark.parametrize("case", SAFE)
def test_ordinary_files_still_pass(case):
    name, build, kind = SAFE[case]
    assert check_upload(upload(name, build())).kind == kind


def test_a_part_packed_10_times_is_under_the_ratio_and_over_the_floor():
    """The safe case above exercises the ratio rule, not the floor below it."""
    data = SAFE["a DOCX with a 3 MB part packed 10 times"][1]()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/media/text.xml")
    assert info.file_size > upload_office.RATIO_FLOOR and info.file_size < 100 * info.compress_size


# ---- every entrance -------------------------------------------------------------------------------


def _stored_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _attack(post, check_page, payloads=PAYLOADS) -> list[str]:
    """Post each payload; the names of those the entrance did not refuse as it should."""
    missed = []
    for payload in payloads:
        response = post(upload(payload.name, payload.content()))
        page = response.content.decode()
        if response.status_code != 200 or escape(payload.expect) not in page or not check_page(page):
            missed.append(f"{payload.what}: {response.status_code}")
    return missed


def test_bid_evidence_refuses_every_attack_and_keeps_the_answers(personas, client_for, settings):
    section = SectionFactory(round=personas.round, title="Evidence")
    aim = QuestionFactory(section=section, text="What is the aim?", type=QuestionType.SHORT_TEXT, order=1)
    plan = QuestionFactory(section=section, text="Project plan", type=QuestionType.FILE_UPLOAD, order=2)
    bid = start(personas)
    client = client_for(personas.lead_officer)
    url = reverse("applications:bid_section", args=[bid.pk, section.pk])

    def post(file):
        return client.post(url, {f"q_{aim.pk}": "Get people online", f"file_{plan.pk}": file, "action": "upload"})

    missed = _attack(post, lambda page: "govuk-error-summary" in page and "Get people online" in page)
    assert not missed
    assert not EvidenceFile.objects.filter(bid=bid).exists() and not _stored_files(settings)
    assert Answer.objects.get(bid=bid, question=aim).value == "Get people online"  # saved despite the file


@pytest.fixture
def live_award(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    ReturnPeriodFactory(round=personas.round, title="Quarter 1")
    award_services.returns_create(award=award)
    return award


def test_milestone_evidence_refuses_every_attack_and_keeps_what_was_typed(personas, client_for, live_award, settings):
    milestone = MilestoneFactory(award=live_award)
    kept = award_services.evidence_add(
        actor=personas.lead_officer, uploads=[upload("minutes.pdf", PDF)], milestone=milestone
    )
    client = client_for(personas.lead_officer)
    url = reverse("awards:milestone_update", args=[live_award.pk, milestone.pk])

    def post(file):
        return client.post(
            url, {"status": MilestoneStatus.COMPLETE, "evidence": "Board minutes", "evidence_files": file}
        )

    missed = _attack(post, lambda page: "Board minutes" in page and "minutes.pdf" in page)
    assert not missed
    assert list(AwardEvidenceFile.objects.filter(award=live_award)) == kept and len(_stored_files(settings)) == 1
    milestone.refresh_from_db()
    assert milestone.status != MilestoneStatus.COMPLETE  # nothing else saved on a refused post


def test_return_evidence_refuses_every_attack_and_keeps_what_was_typed(personas, client_for, live_award, settings):
    mreturn = live_award.returns.get()
    client = client_for(personas.lead_officer)
    url = reverse("awards:return", args=[live_award.pk, mreturn.pk])

    def post(file):
        return client.post(url, {"rag": "green", "commentary": "On track", "evidence_files": file})

    missed = _attack(post, lambda page: "On track" in page)
    assert not missed
    assert not AwardEvidenceFile.objects.filter(award=live_award).exists() and not _stored_files(settings)
    mreturn.refresh_from_db()
    assert mreturn.status in mreturn.OPEN


def _round_form(client, rnd) -> dict:
    form = client.get(reverse("grants:staff_round_edit", args=[rnd.slug])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("prospectus_document",)}
    for name in ("eligible_kinds", "eligible_regions"):
        data.pop(name, None)
    for name in ("opens_at", "closes_at"):
        data[name] = form.initial[name].strftime("%Y-%m-%dT%H:%M")
    data.update(assessment_deadline="", decision_date="")
    for flag in ("england_only", "published", "joint_bids_allowed"):
        if form.initial.get(flag):
            data[flag] = "on"
        else:
            data.pop(flag, None)
    return data


def test_the_prospectus_document_refuses_every_attack_and_keeps_the_round(personas, client_for, settings):
    client = client_for(personas.programme_manager)
    rnd = personas.round
    data = _round_form(client, rnd)
    url = reverse("grants:staff_round_edit", args=[rnd.slug])

    def post(file):
        return client.post(url, {**data, "name": "Renamed round", "prospectus_document": file})

    missed = _attack(post, lambda page: "Renamed round" in page)
    assert not missed
    rnd.refresh_from_db()
    assert not rnd.prospectus_document and rnd.name != "Renamed round" and not _stored_files(settings)


def test_the_history_import_refuses_every_attack_and_keeps_nothing(personas, client_for, settings):
    """The import takes only workbooks (and CSV): every attack, under its own name and renamed to
    .xlsx, comes back on the form saying it is not a workbook that can be imported, and no job or
    file is kept."""
    client = client_for(personas.programme_manager)
    url = reverse("awards:import_start")
    missed = []
    for payload in PAYLOADS:
        for name in (payload.name, "history.xlsx"):
            page = client.post(url, {"file": upload(name, payload.content())})
            text = page.content.decode()
            if page.status_code != 200 or "govuk-error-summary" not in text or "Excel workbook" not in text:
                missed.append(f"{payload.what} as {name}: {page.status_code}")
    assert not missed
    assert not ImportJob.objects.exists() and not _stored_files(settings)


# Every place the code takes a file: the views reading request.FILES and the forms with a file
# field. An entrance added without an attack above fails here.
ENTRANCES = {
    "applications/views/sections.py": "bid evidence",
    "grants/awards/views.py": "milestone and return evidence",
    "grants/views.py": "round prospectus",
    "grants/forms.py": "round prospectus",
    "grants/awards/forms.py": "milestone and return evidence",
    "grants/awards/imports/forms.py": "history import",
    "grants/awards/imports/views.py": "history import",
}


def test_every_upload_entrance_in_the_code_is_attacked_above():
    found = set()
    for folder in ("grants", "applications", "scoring", "notifications"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text()
            # Migrations, and the template tags that draw a file input (drawing one accepts nothing).
            if "migrations" in path.parts or "templatetags" in path.parts:
                continue
            if re.search(r"request\.FILES|forms\.FileField|FileInput|forms\.ImageField", text):
                found.add(str(path.relative_to(ROOT)))
    assert found == set(ENTRANCES)


def test_a_docx_made_by_hand_here_is_a_docx():
    """The payload builder writes real archives: a plain one passes, so each refusal is the attack's."""
    assert check_upload(upload("plain.docx", docx())).kind == "docx"
    assert check_upload(upload("plain.odt", odt())).kind == "odt"
    raw = raw_zip(
        [Part("[Content_Types].xml", CONTENT_TYPES.format(extra="").encode()), Part("word/document.xml", DOCUMENT)]
    )
    assert check_upload(upload("plain.docx", raw)).kind == "docx"
    assert check_upload(upload("plain.pdf", pdf_bytes())).kind == "pdf"
    assert upload_pdf.active_content(pdf_bytes()) is None
