"""Storage fixtures of other suites, for the evidence files of milestones and returns: S3 down
(tests/faults) and a real S3 API on loopback (moto, tests/applications)."""

from tests.applications.test_s3 import s3_server, s3_storage  # noqa: F401
from tests.faults.test_s3_down import s3_down  # noqa: F401
