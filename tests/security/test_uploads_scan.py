"""The malware-scanner hook: with a scanner configured, no stored file can be downloaded until it
is scanned clean, an infected one is deleted and its uploader sees it refused, a scanner that is
down loses nothing and is retried; with none, files are clean on upload as before.

The scanner here is a stand-in with the hook's signature that finds a marker string (a real
ClamAV one is in README, "Uploads"). Celery is eager in tests: a scan runs when the upload's
transaction commits, which `django_capture_on_commit_callbacks(execute=True)` stands for."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import selectors
from applications import services as bid_services
from applications.models import EvidenceFile, QuestionType
from grants.awards import services as award_services
from grants.awards.models import AwardEvidenceFile, AwardStatus, MilestoneStatus
from grants.core.upload_scan import ScanStatus, record_result, rescan_pending, scan_stored_file
from grants.models import AuditEvent
from tests.applications.factories import PDF, QuestionFactory, SectionFactory, pdf_bytes, upload
from tests.applications.test_services import start
from tests.awards.factories import AwardFactory, MilestoneFactory, ReturnPeriodFactory

MARKER = b"GRANTBENCH-TEST-VIRUS"
INFECTED_PDF = pdf_bytes(
    b"<</Type/Catalog/Pages 2 0 R>>",
    b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
    b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>",
    b"(" + MARKER + b")",
)
SCANNER = "tests.security.test_uploads_scan.fake_scanner"
state = {"down": False, "scanned": []}


def fake_scanner(file, *, name: str) -> str | None:
    if state["down"]:
        raise ConnectionError("scanner unreachable")
    state["scanned"].append(name)
    return "Grantbench.Test.Virus" if MARKER in file.read() else None


@pytest.fixture
def scanner(settings):
    settings.GRANTBENCH_MALWARE_SCANNER = SCANNER
    state.update(down=False, scanned=[])
    yield
    state.update(down=False, scanned=[])


@pytest.fixture
def bid_form(personas):
    section = SectionFactory(round=personas.round, title="Evidence")
    plan = QuestionFactory(section=section, text="Project plan", type=QuestionType.FILE_UPLOAD, order=1)
    return start(personas), section, plan


def _upload_on_page(client, bid, section, plan, name, content):
    url = reverse("applications:bid_section", args=[bid.pk, section.pk])
    return client.post(url, {f"file_{plan.pk}": upload(name, content), "action": "upload"})


def _download(client, evidence):
    return client.get(reverse("applications:evidence_download", args=[evidence.bid_id, evidence.pk]))


def test_without_a_scanner_a_file_is_clean_on_upload(
    personas, client_for, bid_form, django_capture_on_commit_callbacks
):
    bid, section, plan = bid_form
    client = client_for(personas.lead_officer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert _upload_on_page(client, bid, section, plan, "plan.pdf", PDF).status_code == 302
    evidence = EvidenceFile.objects.get(bid=bid)
    assert evidence.scan_status == ScanStatus.CLEAN and not callbacks  # no scan queued
    assert _download(client, evidence).status_code == 200


def test_a_file_is_not_downloadable_until_scanned_clean(
    personas, client_for, bid_form, scanner, django_capture_on_commit_callbacks
):
    bid, section, plan = bid_form
    client = client_for(personas.lead_officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # the worker has not run yet
        assert _upload_on_page(client, bid, section, plan, "plan.pdf", PDF).status_code == 302
    evidence = EvidenceFile.objects.get(bid=bid)
    assert evidence.scan_status == ScanStatus.PENDING and len(callbacks) == 1
    waiting = _download(client, evidence)
    assert waiting.status_code == 404 and "This file is being checked" in waiting.content.decode()
    assert waiting["Cache-Control"] == "private, no-store"
    page = client.get(reverse("applications:bid_section", args=[bid.pk, section.pk])).content.decode()
    assert "Being checked for viruses" in page
    assert f'href="{reverse("applications:evidence_download", args=[bid.pk, evidence.pk])}"' not in page

    callbacks[0]()  # the worker runs the scan
    evidence.refresh_from_db()
    assert evidence.scan_status == ScanStatus.CLEAN and state["scanned"] == ["plan.pdf"]
    response = _download(client, evidence)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_an_infected_file_is_deleted_refused_and_the_uploader_told(
    personas, client_for, bid_form, scanner, django_capture_on_commit_callbacks
):
    bid, section, plan = bid_form
    client = client_for(personas.lead_officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload_on_page(client, bid, section, plan, "plan.pdf", INFECTED_PDF).status_code == 302
    evidence = EvidenceFile.objects.get(bid=bid)
    assert evidence.scan_status == ScanStatus.INFECTED
    assert not evidence.file.storage.exists(evidence.file.name)  # the bytes are gone
    page = client.get(reverse("applications:bid_section", args=[bid.pk, section.pk])).content.decode()
    assert "Refused: the virus check found a problem" in page
    refused = _download(client, evidence)
    assert refused.status_code == 404 and "This file was refused" in refused.content.decode()
    event = AuditEvent.objects.get(action="bid.evidence_refused", target_id=str(bid.pk))
    assert event.data["finding"] == "Grantbench.Test.Virus"
    (progress,) = selectors.task_list(bid=bid, sections=[section])
    assert not progress.rows[0].answered  # a refused file does not answer the question


def test_a_scanner_that_is_down_loses_nothing_and_the_file_is_scanned_later(
    personas, bid_form, scanner, django_capture_on_commit_callbacks
):
    bid, section, plan = bid_form
    state["down"] = True
    with django_capture_on_commit_callbacks(execute=True):
        evidence = bid_services.upload_evidence(
            bid=bid, actor=personas.lead_officer, upload=upload("plan.pdf", PDF), question=plan
        )
    evidence.refresh_from_db()
    assert evidence.scan_status == ScanStatus.PENDING and evidence.file.storage.exists(evidence.file.name)

    state["down"] = False
    assert rescan_pending() == 0  # too recent: its own task may still be retrying
    EvidenceFile.objects.filter(pk=evidence.pk).update(uploaded_at=timezone.now() - timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        assert rescan_pending() == 1
    evidence.refresh_from_db()
    assert evidence.scan_status == ScanStatus.CLEAN


def test_a_scan_run_twice_records_once(personas, bid_form, scanner, django_capture_on_commit_callbacks):
    bid, section, plan = bid_form
    with django_capture_on_commit_callbacks(execute=True):
        evidence = bid_services.upload_evidence(
            bid=bid, actor=personas.lead_officer, upload=upload("plan.pdf", INFECTED_PDF), question=plan
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert scan_stored_file(EvidenceFile._meta.label, evidence.pk) == ScanStatus.INFECTED
    assert AuditEvent.objects.filter(action="bid.evidence_refused").count() == 1 and state["scanned"] == ["plan.pdf"]


def test_two_scans_of_one_file_racing_record_the_first_result_only(personas, bid_form, scanner):
    """Two workers both found the file pending and scanned it: the second to record changes nothing."""
    bid, _, plan = bid_form
    evidence = bid_services.upload_evidence(
        bid=bid, actor=personas.lead_officer, upload=upload("p.pdf", PDF), question=plan
    )
    assert record_result(EvidenceFile, evidence.pk, "Grantbench.Test.Virus") == ScanStatus.INFECTED
    assert record_result(EvidenceFile, evidence.pk, None) == ScanStatus.INFECTED
    assert AuditEvent.objects.filter(action="bid.evidence_refused").count() == 1


def test_a_row_made_outside_the_upload_services_is_pending_too(personas, bid_form, scanner):
    bid, _, _ = bid_form
    row = EvidenceFile.objects.create(
        bid=bid, file=upload("plan.pdf", PDF), original_name="plan.pdf", content_type="application/pdf", size=len(PDF)
    )
    assert row.scan_status == ScanStatus.PENDING


@pytest.fixture
def live_award(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    ReturnPeriodFactory(round=personas.round, title="Quarter 1")
    award_services.returns_create(award=award)
    return award


def test_infected_award_evidence_is_refused_and_is_no_evidence(
    personas, client_for, live_award, scanner, django_capture_on_commit_callbacks
):
    milestone = MilestoneFactory(award=live_award)
    client = client_for(personas.lead_officer)
    url = reverse("awards:milestone_update", args=[live_award.pk, milestone.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {"status": MilestoneStatus.IN_PROGRESS, "evidence": "", "evidence_files": upload("m.pdf", INFECTED_PDF)},
        )
    row = AwardEvidenceFile.objects.get(award=live_award)
    assert row.scan_status == ScanStatus.INFECTED and not row.file.storage.exists(row.file.name)
    assert AuditEvent.objects.filter(action="evidence.refused", target_id=str(live_award.pk)).exists()
    assert "Refused: the virus check found a problem" in client.get(url).content.decode()
    download = client.get(reverse("awards:evidence_download", args=[live_award.pk, row.pk]))
    assert download.status_code == 404 and "This file was refused" in download.content.decode()
    complete = client.post(url, {"status": MilestoneStatus.COMPLETE, "evidence": ""})
    assert "attach a file" in complete.content.decode()  # the refused file is not evidence
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.IN_PROGRESS


def test_pending_award_evidence_is_not_downloadable(personas, client_for, live_award, scanner):
    mreturn = live_award.returns.get()
    (row,) = award_services.evidence_add(actor=personas.lead_officer, uploads=[upload("q1.pdf", PDF)], mreturn=mreturn)
    for user in (personas.lead_officer, personas.programme_manager):
        response = client_for(user).get(reverse("awards:evidence_download", args=[live_award.pk, row.pk]))
        assert response.status_code == 404 and "This file is being checked" in response.content.decode()


def _round_post(client, rnd, document) -> str:
    from .test_uploads_attacks import _round_form

    data = {**_round_form(client, rnd), "prospectus_document": document}
    return client.post(reverse("grants:staff_round_edit", args=[rnd.slug]), data).content.decode()


def test_the_prospectus_is_scanned_before_it_is_stored(personas, client_for, scanner):
    client, rnd = client_for(personas.programme_manager), personas.round
    assert "The virus check found a problem with the selected file" in _round_post(
        client, rnd, upload("prospectus.pdf", INFECTED_PDF)
    )
    state["down"] = True
    assert "The virus check is not available just now" in _round_post(client, rnd, upload("prospectus.pdf", PDF))
    rnd.refresh_from_db()
    assert not rnd.prospectus_document


def test_a_scanner_that_cannot_be_imported_stops_start_up(settings):
    from grants.core.upload_scan import scanner_importable

    settings.GRANTBENCH_MALWARE_SCANNER = "tests.security.no_such_module.scan"
    with pytest.raises(ImportError):
        scanner_importable()
    settings.GRANTBENCH_MALWARE_SCANNER = "tests.security.test_uploads_scan.MARKER"
    assert [e.id for e in scanner_importable()] == ["grantbench.E502"]
    settings.GRANTBENCH_MALWARE_SCANNER = SCANNER
    assert scanner_importable() == []
