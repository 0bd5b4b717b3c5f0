"""Spoofed uploads refused through the page (the checks themselves are unit-tested in
tests/applications/test_uploads.py), and no private keys or cloud keys in tracked files."""

import re
import subprocess
from pathlib import Path

import pytest

from applications.models import EvidenceFile
from tests.applications.factories import PDF, upload, zip_bytes

from .world import build_world

ROOT = Path(__file__).resolve().parents[2]
SPOOFS = {
    "html": b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
    "exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
    "zip": zip_bytes({"payload.js": "alert(1)"}),
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
}


@pytest.mark.parametrize("kind", SPOOFS)
def test_pdf_that_is_really_something_else_is_refused_on_the_page(personas, client_for, kind):
    world = build_world(personas)
    bid, section = world.draft_bid, world.draft_section
    file_q = section.questions.get(type="file_upload")
    before = EvidenceFile.objects.filter(bid=bid).count()
    response = client_for(personas.lead_officer).post(
        f"/bids/{bid.pk}/sections/{section.pk}/",
        {f"file_{file_q.pk}": upload("plan.pdf", SPOOFS[kind], "application/pdf"), "action": "upload"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert EvidenceFile.objects.filter(bid=bid).count() == before


def test_a_real_pdf_is_accepted_on_the_same_page(personas, client_for):
    world = build_world(personas)
    bid, section = world.draft_bid, world.draft_section
    file_q = section.questions.get(type="file_upload")
    response = client_for(personas.lead_officer).post(
        f"/bids/{bid.pk}/sections/{section.pk}/", {f"file_{file_q.pk}": upload("plan2.pdf", PDF), "action": "upload"}
    )
    assert response.status_code == 302
    assert EvidenceFile.objects.filter(bid=bid, original_name="plan2.pdf").exists()


SECRET_PATTERNS = {
    "private key": re.compile(rb"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY( BLOCK)?-----"),
    "AWS access key id": re.compile(rb"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret access key": re.compile(rb"aws_secret_access_key\s*[=:]\s*['\"]?[A-Za-z0-9/+]{40}\b", re.I),
}


def _tracked_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / name.decode() for name in out.split(b"\0") if name]


def test_no_private_keys_or_cloud_keys_in_tracked_files():
    found = []
    for path in _tracked_files():
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        data = path.read_bytes()
        found += [f"{path.relative_to(ROOT)}: {what}" for what, rx in SECRET_PATTERNS.items() if rx.search(data)]
    assert not found, found


def test_the_secret_patterns_recognise_secrets():
    key_header = b"-----BEGIN RSA " + b"PRIVATE KEY-----"
    assert SECRET_PATTERNS["private key"].search(key_header)
    assert SECRET_PATTERNS["AWS access key id"].search(b"key = AKIA" + b"ABCDEFGHIJKLMNOP")
    assert not SECRET_PATTERNS["AWS access key id"].search(b"AKIA-not-a-key")
