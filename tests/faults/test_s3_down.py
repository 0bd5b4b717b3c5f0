"""S3 failing during an upload: a clear error on the page, nothing lost, no orphan record.

The storage is the real S3 backend (django-storages, boto3) pointed at a loopback port where
nothing listens, as when the object store is down or unreachable.
"""

import socket

import pytest
from botocore.config import Config
from django.core.files.storage import storages
from django.test import Client

from applications.models import Answer, EvidenceFile
from tests.applications.factories import PDF, upload
from tests.security.world import build_world


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # released on close: nothing listens there


@pytest.fixture
def s3_down(settings, monkeypatch):
    """Call it to switch the default storage to an S3 endpoint that refuses connections."""
    yield lambda: _switch(settings, monkeypatch)
    storages._storages = {}


def _switch(settings, monkeypatch):
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-2",
    }.items():
        monkeypatch.setenv(key, value)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "grantbench-down",
                "endpoint_url": f"http://127.0.0.1:{_closed_port()}",
                "region_name": "eu-west-2",
                "default_acl": "private",
                "file_overwrite": False,
                "client_config": Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=1),
            },
        },
    }
    storages._storages = {}
    storages.backends = settings.STORAGES


def test_upload_while_s3_is_down_shows_an_error_and_keeps_no_record(personas, s3_down):
    world = build_world(personas)  # on the local store
    s3_down()
    bid, section, question = world.draft_bid, world.draft_section, world.file_question
    before = set(EvidenceFile.objects.filter(bid=bid).values_list("pk", flat=True))
    answers = dict(Answer.objects.filter(bid=bid).values_list("question_id", "value"))
    client = Client(raise_request_exception=False)
    client.force_login(personas.lead_officer)
    file_q = section.questions.get(type="file_upload")
    response = client.post(
        f"/bids/{bid.pk}/sections/{section.pk}/",
        {
            f"q_{world.draft_question.pk}": answers[world.draft_question.pk],
            f"file_{file_q.pk}": upload("plan.pdf", PDF),
            "action": "upload",
        },
    )
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    assert "govuk-error-summary" in body and "try again" in body.lower()
    assert set(EvidenceFile.objects.filter(bid=bid).values_list("pk", flat=True)) == before
    assert dict(Answer.objects.filter(bid=bid).values_list("question_id", "value")) == answers
    assert question  # the world's own file question is untouched
