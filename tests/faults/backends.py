"""A slow file email backend for the worker subprocess: the 'SMTP conversation' takes
GRANTBENCH_TEST_EMAIL_DELAY seconds before the message is accepted and written, so a test can
kill the worker in the middle of a send. Selected with DJANGO_EMAIL_BACKEND."""

import os
import time
from pathlib import Path

from django.core.mail.backends import filebased


class SlowFileBackend(filebased.EmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs["file_path"] = os.environ["GRANTBENCH_TEST_EMAIL_DIR"]
        super().__init__(*args, **kwargs)

    def send_messages(self, email_messages):
        started = Path(os.environ["GRANTBENCH_TEST_EMAIL_DIR"]) / "sending"
        started.write_text(str(os.getpid()))  # the test waits for this, then kills the worker
        time.sleep(float(os.environ.get("GRANTBENCH_TEST_EMAIL_DELAY", "5")))
        return super().send_messages(email_messages)
