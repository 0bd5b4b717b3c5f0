"""Evidence files on milestone updates and monitoring returns: checked by content, stored under
random keys, served only to those who may see them, removable while the item can change, audited;
a refused or unstorable file loses nothing typed and leaves no record behind."""

import re
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants.awards import services as m
from grants.awards import services as s
from grants.awards.models import AwardEvidenceFile, AwardStatus, MilestoneStatus, Rag, ReturnStatus
from grants.awards.services import evidence as ev
from grants.models import AuditEvent
from tests.applications.factories import JPEG, PDF, PNG, docx_bytes, upload

from .factories import AwardFactory, MilestoneFactory, ReturnPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    award.partners.add(personas.partner_org)
    ReturnPeriodFactory(round=personas.round, title="Quarter 1")
    s.returns_create(award=award)
    return award


@pytest.fixture
def mreturn(award):
    return award.returns.get()


def _stored() -> list[Path]:
    root = Path(default_storage.location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _return_url(mreturn) -> str:
    return reverse("awards:return", args=[mreturn.award_id, mreturn.pk])


def _add(personas, mreturn, *files):
    return ev.evidence_add(actor=personas.lead_officer, uploads=list(files), mreturn=mreturn)


# The service ------------------------------------------------------------------------------------


def test_files_are_stored_under_random_keys_and_audited(personas, mreturn):
    rows = _add(personas, mreturn, upload("Q1 report.pdf", PDF), upload("photo.png", PNG))
    assert [(r.original_name, r.content_type) for r in rows] == [
        ("Q1 report.pdf", "application/pdf"),
        ("photo.png", "image/png"),
    ]
    for row in rows:
        key = Path(row.file.name)
        assert key.parent.as_posix() == f"private/award-evidence/award-{mreturn.award_id}"
        assert len(key.stem) == 32 and "report" not in key.name  # a random key, not the council's name
        assert row.file.open("rb").read() in (PDF, PNG)
    audit = AuditEvent.objects.filter(action="evidence.upload", target_id=str(mreturn.award_id))
    assert sorted(a.summary for a in audit) == ["Uploaded Q1 report.pdf to return Quarter 1", "Uploaded photo.png to return Quarter 1"]  # fmt: skip
    assert {a.data["return"] for a in audit} == {mreturn.pk}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", PNG, "report.pdf: the file's name ends .pdf but it is a PNG file"),
        ("report.pdf", b"MZ\x90\x00 windows executable", "report.pdf: the selected file must be a PDF"),
        ("macro.docx", docx_bytes(main="application/vnd.ms-word.document.macroEnabled.main+xml"), "contains macros"),
        ("empty.pdf", b"", "empty.pdf: the selected file is empty"),
    ],
)
def test_spoofed_and_empty_files_are_refused(personas, mreturn, name, content, message):
    with pytest.raises(s.AwardError) as exc:
        _add(personas, mreturn, upload(name, content))
    assert message in exc.value.message_dict[ev.FIELD][0]
    assert not AwardEvidenceFile.objects.exists() and _stored() == []


def test_oversize_file_is_refused_by_the_setting(personas, mreturn, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(s.AwardError, match="big.pdf: the selected file must be smaller than 1KB"):
        _add(personas, mreturn, upload("big.pdf", PDF + b"0" * 1024))
    assert not AwardEvidenceFile.objects.exists() and _stored() == []
    _add(personas, mreturn, upload("small.pdf", PDF))  # under the limit: taken


def test_one_bad_file_refuses_the_lot_naming_it(personas, mreturn):
    with pytest.raises(s.AwardError) as exc:
        _add(personas, mreturn, upload("good.pdf", PDF), upload("bad.png", PDF))
    assert exc.value.message_dict[ev.FIELD] == ["bad.png: the file's name ends .png but it is a PDF file"]
    assert not AwardEvidenceFile.objects.exists() and _stored() == []


def test_a_store_failing_halfway_leaves_no_record_and_no_stored_file(personas, mreturn, monkeypatch):
    real_save = FileSystemStorage._save
    calls = []

    def second_fails(self, name, content):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("No space left on device")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", second_fails)
    with pytest.raises(s.AwardError, match="could not be stored just now"):
        _add(personas, mreturn, upload("one.pdf", PDF), upload("two.pdf", PDF))
    assert len(calls) == 2
    assert not AwardEvidenceFile.objects.exists() and _stored() == []  # the first one was deleted again
    assert not AuditEvent.objects.filter(action="evidence.upload").exists()


def test_only_the_lead_council_adds_and_only_while_the_return_can_change(personas, mreturn):
    for outsider in (personas.partner_officer, personas.other_officer, personas.programme_manager):
        with pytest.raises(s.AwardError, match="Only the lead council"):
            ev.evidence_add(actor=outsider, uploads=[upload("a.pdf", PDF)], mreturn=mreturn)
    m.return_submit(mreturn=mreturn, actor=personas.lead_officer, rag=Rag.GREEN, commentary="", values={})
    with pytest.raises(s.AwardError, match="submitted: its files can change only if"):
        _add(personas, mreturn, upload("late.pdf", PDF))
    m.return_request_changes(mreturn=mreturn, actor=personas.programme_manager, reason="Add the report")
    assert _add(personas, mreturn, upload("report.pdf", PDF))  # sent back: open again
    assert not AwardEvidenceFile.objects.exclude(original_name="report.pdf").exists()


def test_a_return_holds_at_most_the_limit(personas, mreturn, monkeypatch):
    monkeypatch.setattr(ev, "MAX_FILES", 2)
    _add(personas, mreturn, upload("a.pdf", PDF))
    with pytest.raises(s.AwardError, match="up to 2 files"):
        _add(personas, mreturn, upload("b.pdf", PDF), upload("c.pdf", PDF))
    assert AwardEvidenceFile.objects.count() == 1


def test_removal_while_open_deletes_the_file_after_commit_and_is_audited(
    personas, mreturn, django_capture_on_commit_callbacks
):
    keep, drop = _add(personas, mreturn, upload("keep.pdf", PDF), upload("drop.pdf", PDF))
    with django_capture_on_commit_callbacks(execute=True):
        ev.evidence_remove(evidence=drop, actor=personas.signatory)
    assert list(AwardEvidenceFile.objects.all()) == [keep]
    assert [p.name for p in _stored()] == [Path(keep.file.name).name]
    audit = AuditEvent.objects.get(action="evidence.remove")
    assert audit.summary == "Removed drop.pdf from return Quarter 1" and audit.actor == personas.signatory
    m.return_submit(mreturn=mreturn, actor=personas.lead_officer, rag=Rag.GREEN, commentary="", values={})
    with pytest.raises(s.AwardError, match="submitted"):
        ev.evidence_remove(evidence=keep, actor=personas.lead_officer)
    assert AwardEvidenceFile.objects.filter(pk=keep.pk).exists()


def test_milestone_files_count_as_evidence_and_lock_with_confirmation(personas, award):
    ms = MilestoneFactory(award=award)
    with pytest.raises(s.AwardError, match="attach a file"):
        m.milestone_update(milestone=ms, actor=personas.lead_officer, status=MilestoneStatus.COMPLETE)
    ev.evidence_add(actor=personas.lead_officer, uploads=[upload("opened.jpg", JPEG)], milestone=ms)
    m.milestone_update(
        milestone=ms, actor=personas.lead_officer, status=MilestoneStatus.COMPLETE
    )  # the file is the evidence
    m.milestone_confirm(milestone=ms, actor=personas.programme_manager)
    with pytest.raises(s.AwardError, match="confirmed"):
        ev.evidence_add(actor=personas.lead_officer, uploads=[upload("more.pdf", PDF)], milestone=ms)
    with pytest.raises(s.AwardError, match="confirmed"):
        ev.evidence_remove(evidence=ms.evidence_files.get(), actor=personas.lead_officer)
    assert AuditEvent.objects.get(action="evidence.upload").summary == f"Uploaded opened.jpg to milestone {ms.description}"  # fmt: skip


# Pages ------------------------------------------------------------------------------------------


def test_a_refused_file_shows_an_error_and_keeps_what_was_typed(personas, client_for, mreturn):
    c = client_for(personas.lead_officer)
    response = c.post(
        _return_url(mreturn),
        {
            "rag": "amber",
            "commentary": "Printer delayed & rebooked",
            "evidence": "See the minutes",
            "evidence_files": [upload("minutes.pdf", b"MZ not a pdf")],
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and 'href="#id_evidence_files"' in body
    assert "minutes.pdf: the selected file must be a PDF, DOCX, XLSX, ODT, PNG or JPEG" in body
    assert "govuk-file-upload--error" in body
    assert "Printer delayed &amp; rebooked" in body and "See the minutes" in body
    assert re.search(r'value="amber"\s+checked', body)  # the RAG chosen is still chosen
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.DUE and not AwardEvidenceFile.objects.exists()


def test_files_chosen_with_other_errors_are_kept_and_listed(personas, client_for, mreturn):
    c = client_for(personas.lead_officer)
    response = c.post(_return_url(mreturn), {"rag": "amber", "evidence_files": [upload("plan.pdf", PDF)]})
    body = response.content.decode()
    assert response.status_code == 200 and "required for an Amber or Red" in body
    row = AwardEvidenceFile.objects.get()
    assert reverse("awards:evidence_download", args=[mreturn.award_id, row.pk]) in body  # no need to choose it again
    assert f'form="remove-evidence-{row.pk}"' in body and f'id="remove-evidence-{row.pk}"' in body


def test_council_sends_a_return_with_files_and_the_manager_sees_them(personas, client_for, mreturn):
    c = client_for(personas.signatory)
    response = c.post(
        _return_url(mreturn),
        {
            "rag": "amber",
            "commentary": "Printing delayed",
            "evidence_files": [upload("minutes.pdf", PDF), upload("photo.png", PNG)],
        },
    )
    assert response.status_code == 302
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.SUBMITTED
    files = list(mreturn.evidence_files.all())
    assert [f.original_name for f in files] == ["minutes.pdf", "photo.png"]
    review = client_for(personas.programme_manager).get(_return_url(mreturn)).content.decode()
    assert "Save decision" in review
    for f in files:
        assert reverse("awards:evidence_download", args=[mreturn.award_id, f.pk]) in review
    partner = client_for(personas.partner_officer).get(_return_url(mreturn)).content.decode()
    assert "minutes.pdf" not in partner and "Evidence files" not in partner


DOWNLOAD = {
    "lead_officer": 200,
    "signatory": 200,
    "programme_manager": 200,
    "finance_officer": 200,
    "board_viewer": 200,
    "administrator": 200,
    "partner_officer": 404,
    "other_officer": 404,
    "other_programme_manager": 404,
    "assessor": 404,
    "panel_chair": 404,
    "conflicted_assessor": 404,  # works for the lead council but holds no council role
}


@pytest.mark.parametrize("who", sorted(DOWNLOAD))
def test_download_is_for_the_lead_council_and_the_programmes_staff(personas, client_for, mreturn, who):
    (row,) = _add(personas, mreturn, upload("Q1 minutes.pdf", PDF))
    url = reverse("awards:evidence_download", args=[mreturn.award_id, row.pk])
    user = personas.signatory if who == "signatory" else personas.all()[who]
    response = client_for(user).get(url)
    assert response.status_code == DOWNLOAD[who]
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="Q1 minutes.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]


def test_download_needs_the_file_to_be_the_awards(personas, client_for, mreturn):
    (row,) = _add(personas, mreturn, upload("a.pdf", PDF))
    other = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    c = client_for(personas.lead_officer)
    assert c.get(reverse("awards:evidence_download", args=[other.pk, row.pk])).status_code == 404
    assert client_for(None).get(reverse("awards:evidence_download", args=[mreturn.award_id, row.pk])).status_code == 302


def test_remove_through_the_page(personas, client_for, mreturn):
    (row,) = _add(personas, mreturn, upload("wrong.pdf", PDF))
    url = reverse("awards:evidence_remove", args=[mreturn.award_id, row.pk])
    assert client_for(personas.lead_officer).get(url).status_code == 405
    assert client_for(personas.partner_officer).post(url).status_code == 404
    assert client_for(personas.programme_manager).post(url).status_code == 404
    response = client_for(personas.lead_officer).post(url, follow=True)
    assert response.redirect_chain[-1][0] == _return_url(mreturn)
    assert "wrong.pdf removed" in response.content.decode() and not AwardEvidenceFile.objects.exists()


def test_milestone_page_takes_files_and_the_award_page_lists_them(personas, client_for, award):
    ms = MilestoneFactory(award=award, description="Letters printed")
    url = reverse("awards:milestone_update", args=[award.pk, ms.pk])
    c = client_for(personas.lead_officer)
    bad = c.post(url, {"status": "complete", "evidence_files": [upload("proof.pdf", PNG)]})
    assert (
        bad.status_code == 200
        and "proof.pdf: the file&#x27;s name ends .pdf but it is a PNG file" in bad.content.decode()
    )
    ms.refresh_from_db()
    assert ms.status == MilestoneStatus.NOT_STARTED
    assert c.post(url, {"status": "complete", "evidence_files": [upload("proof.pdf", PDF)]}).status_code == 302
    ms.refresh_from_db()
    assert ms.status == MilestoneStatus.COMPLETE
    row = ms.evidence_files.get()
    link = reverse("awards:evidence_download", args=[award.pk, row.pk])
    assert link in client_for(personas.programme_manager).get(award.get_absolute_url()).content.decode()
    assert "proof.pdf" not in client_for(personas.partner_officer).get(award.get_absolute_url()).content.decode()
    assert f'id="remove-evidence-{row.pk}"' in c.get(url).content.decode()


def test_s3_down_gives_a_clear_error_and_no_record(personas, client_for, mreturn, s3_down):
    s3_down()
    c = client_for(personas.lead_officer)
    response = c.post(
        _return_url(mreturn),
        {"rag": "red", "commentary": "Supplier went bust", "evidence_files": [upload("letter.pdf", PDF)]},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body and "try again later" in body
    assert "Supplier went bust" in body
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.DUE and not AwardEvidenceFile.objects.exists()
    assert not AuditEvent.objects.filter(action="evidence.upload").exists()


def test_files_on_s3_are_private_and_served_through_the_view(personas, client_for, mreturn, s3_storage):
    import requests

    from tests.applications.test_s3 import BUCKET

    c = client_for(personas.lead_officer)
    assert c.post(_return_url(mreturn), {"rag": "green", "evidence_files": [upload("a.pdf", PDF)]}).status_code == 302
    row = AwardEvidenceFile.objects.get()
    assert s3_storage.get_object(Bucket=BUCKET, Key=row.file.name)["Body"].read() == PDF
    bare = row.file.storage.url(row.file.name).split("?")[0]
    assert requests.get(bare, timeout=5).status_code == 403
    download = c.get(reverse("awards:evidence_download", args=[mreturn.award_id, row.pk]))
    assert b"".join(download.streaming_content) == PDF


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["lead_officer", "programme_manager"])
def test_return_page_query_count_does_not_grow_with_files(
    personas, client_for, mreturn, who, django_assert_max_num_queries
):
    """The council's form and the manager's review each cost the same with 1 file as with 11."""
    url = _return_url(mreturn)
    c = client_for(getattr(personas, who))
    reviewing = who == "programme_manager"

    def send():
        if reviewing:
            m.return_submit(mreturn=mreturn, actor=personas.lead_officer, rag=Rag.GREEN, commentary="", values={})

    _add(personas, mreturn, upload("1.pdf", PDF))
    send()
    c.get(url)  # warm the session
    one = _queries(c, url)
    if reviewing:
        m.return_request_changes(mreturn=mreturn, actor=personas.programme_manager, reason="More")
    _add(personas, mreturn, *[upload(f"{i}.pdf", PDF) for i in range(2, 12)])
    send()
    with django_assert_max_num_queries(one):
        body = c.get(url).content.decode()
    assert body.count("/evidence/") >= 11 and ("Save decision" in body) == reviewing
