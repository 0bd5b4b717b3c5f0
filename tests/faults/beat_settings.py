"""Settings for tests/faults/test_beat_singleton.py: production's beat scheduler and lock, with a
schedule of one entry due every second, sent to a queue of the test's own (nothing consumes it)
under Redis keys of the test's own."""

import os

from config.settings import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {
    "beat-probe": {
        "task": "tests.beat_probe",
        "schedule": 1.0,
        "options": {"queue": os.environ["GRANTBENCH_TEST_BEAT_QUEUE"]},
    }
}
CELERY_REDBEAT_KEY_PREFIX = os.environ["GRANTBENCH_TEST_BEAT_PREFIX"]
