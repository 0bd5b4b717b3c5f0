"""The load test's mail server: Django's file backend, answering as slowly as a real one.

Each message is written (one file per connection, Django's format) only after LOADTEST_HA_SMTP_MS
milliseconds (60 by default), as an SMTP server accepts a message at the end of the conversation.
So a worker killed mid-send has sent nothing, and what is on disk is exactly what went out, to
be counted by recipient afterwards (bench/loadtest_checks.py `outbox_recipients`).
"""

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowOutbox(EmailBackend):
    def write_message(self, message):
        time.sleep(int(os.environ.get("LOADTEST_HA_SMTP_MS", "60")) / 1000)
        super().write_message(message)
        self.stream.flush()  # on disk before the delivery commits, as a server's 250 OK would be

    def _get_filename(self):
        """Django names the file by the second and id(self), which two forked pool processes can
        share; the process id keeps their messages apart."""
        if self._fname is None:
            self._fname = os.path.join(self.file_path, f"{os.getpid()}-{time.time_ns()}.log")
        return self._fname
