"""Subject-access export: an administrator, with a reason, gets one person's rows and files."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import EvidenceFile
from grants.core.audit import audit_record
from grants.models import AuditEvent
from tests import factories as f
from tests.applications.factories import BidFactory
from tests.conftest import enable_mfa

pytestmark = pytest.mark.django_db


def _bid_with_file(person, rnd, content: bytes):
    bid = BidFactory(round=rnd, lead=person.organisation, created_by=person)
    EvidenceFile.objects.create(
        bid=bid,
        file=SimpleUploadedFile("plan.pdf", content, content_type="application/pdf"),
        original_name="plan.pdf",
        content_type="application/pdf",
        size=len(content),
        uploaded_by=person,
    )
    audit_record(actor=person, action="bid.started", target=bid, summary=f"Started {bid.title}")
    return bid


@pytest.fixture
def two_people(personas):
    council = personas.lead_org
    ann = f.CouncilOfficerFactory(organisation=council, org_role="officer", full_name="Ann Example")
    bob = f.CouncilOfficerFactory(organisation=council, org_role="officer", full_name="Bob Example")
    enable_mfa(ann)
    ann_bid = _bid_with_file(ann, personas.round, b"%PDF-1.4 Ann's plan")
    bob_bid = _bid_with_file(bob, f.RoundFactory(programme=personas.programme), b"%PDF-1.4 Bob's plan")
    return ann, bob, ann_bid, bob_bid


def _export(client, person, reason="SAR-2026-014, emailed 1 December"):
    return client.post(reverse("grants:staff_user_personal_data", args=[person.pk]), {"reason": reason})


def test_the_zip_holds_the_persons_rows_and_files_and_nobody_elses(personas, client_for, two_people):
    ann, bob, ann_bid, bob_bid = two_people
    response = _export(client_for(personas.administrator), ann)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert f"personal-data-{ann.pk}-" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "README.txt" in names and "Ann Example" in archive.read("README.txt").decode()

    users = json.loads(archive.read("data/grants.user.json"))
    assert [u["id"] for u in users] == [ann.pk] and users[0]["email"] == ann.email
    assert "password" not in users[0]
    bids = json.loads(archive.read("data/applications.bid.json"))
    assert [b["id"] for b in bids] == [ann_bid.pk]
    audit = json.loads(archive.read("data/grants.auditevent.json"))
    assert {a["actor_id"] for a in audit} == {ann.pk}
    authenticators = json.loads(archive.read("data/mfa.authenticator.json"))
    assert authenticators and all("data" not in a for a in authenticators)  # the TOTP secret stays

    files = [n for n in names if n.startswith("files/")]
    assert [archive.read(n) for n in files] == [b"%PDF-1.4 Ann's plan"]
    assert not any(b"Bob" in archive.read(n) for n in names)
    assert bob.email not in "".join(archive.read(n).decode("utf-8", "replace") for n in names)


def test_the_export_is_audited_with_its_reason(personas, client_for, two_people):
    ann = two_people[0]
    _export(client_for(personas.administrator), ann, reason="SAR-77 from Ann by post")
    event = AuditEvent.objects.get(action="user.data_exported")
    assert event.actor == personas.administrator and event.target_id == str(ann.pk)
    assert "SAR-77 from Ann by post" in event.summary
    assert event.data["records"]["applications.bid"] == 1 and event.data["files"] == 1


def test_a_reason_is_required_and_nothing_is_exported_without_it(personas, client_for, two_people):
    ann = two_people[0]
    response = _export(client_for(personas.administrator), ann, reason="   ")
    assert response.status_code == 200 and "Enter the reason" in response.content.decode()
    long = "x" * 501
    response = _export(client_for(personas.administrator), ann, reason=long)
    assert long in response.content.decode()  # what was typed is shown back
    assert not AuditEvent.objects.filter(action="user.data_exported").exists()


@pytest.mark.parametrize("who", ["programme_manager", "lead_officer"])
def test_only_administrators_may_export(personas, client_for, two_people, who):
    response = _export(client_for(getattr(personas, who)), two_people[0])
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="user.data_exported").exists()
