"""The evidence path against a real S3 API on loopback (moto in server mode), through the views."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import storages

from applications.models import EvidenceFile

from .factories import PDF, BidFactory, upload

BUCKET = "grantbench-evidence-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3_server(monkeypatch):
    port = _free_port()
    binary = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen(
        [str(binary), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("moto_server did not start")
        for key, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "eu-west-2",
        }.items():
            monkeypatch.setenv(key, value)
        client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-2")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
        yield endpoint, client
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def s3_storage(settings, s3_server):
    endpoint, client = s3_server
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "eu-west-2",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    storages._storages = {}  # forget the cached local storage
    storages.backends = settings.STORAGES
    yield client
    storages._storages = {}


def test_upload_and_download_through_views_on_s3(personas, client_for, form, s3_storage):
    import requests

    bid = BidFactory(round=personas.round, lead=personas.lead_org, created_by=personas.lead_officer)
    client = client_for(personas.lead_officer)
    response = client.post(
        f"/bids/{bid.pk}/sections/{form['evidence'].pk}/",
        {f"file_{form['plan'].pk}": upload("plan.pdf", PDF), "action": "upload"},
    )
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get(bid=bid)
    stored = s3_storage.get_object(Bucket=BUCKET, Key=evidence.file.name)["Body"].read()
    assert stored == PDF
    # Objects are private: the bare URL without a signature is refused by the S3 API.
    bare = evidence.file.storage.url(evidence.file.name).split("?")[0]
    assert requests.get(bare, timeout=5).status_code == 403
    download = client.get(f"/bids/{bid.pk}/files/{evidence.pk}/")
    assert b"".join(download.streaming_content) == PDF
    assert client_for(personas.other_officer).get(f"/bids/{bid.pk}/files/{evidence.pk}/").status_code == 404
