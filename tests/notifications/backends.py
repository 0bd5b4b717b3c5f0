"""Email backends for tests: a real backend class that fails like an SMTP server would."""

import os
import smtplib

from django.core import mail
from django.core.mail.backends import filebased
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakySMTPBackend(LocmemBackend):
    """Raises SMTPException for the first `FlakySMTPBackend.failures` sends, then delivers to mail.outbox."""

    failures = 0
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).failures > 0:
            type(self).failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def reset(failures: int) -> None:
    FlakySMTPBackend.failures = failures
    FlakySMTPBackend.calls = 0
    mail.outbox = []


class SlowBackend(LocmemBackend):
    """Takes a moment to send, so two workers delivering the same row really overlap."""

    def send_messages(self, messages):
        import time

        time.sleep(0.5)
        return super().send_messages(messages)


class EnvFileBackend(filebased.EmailBackend):
    """Django's file backend writing where GRANTBENCH_TEST_EMAIL_DIR says (for the worker subprocess)."""

    def __init__(self, *args, **kwargs):
        kwargs["file_path"] = os.environ["GRANTBENCH_TEST_EMAIL_DIR"]
        super().__init__(*args, **kwargs)


class CountingBackend(LocmemBackend):
    """Counts connections opened, as an SMTP server would see logins."""

    opened = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self):
        if self.is_open:
            return False
        type(self).opened += 1
        self.is_open = True
        return True

    def close(self):
        self.is_open = False

    def send_messages(self, messages):
        created = self.open()
        try:
            return super().send_messages(messages)
        finally:
            if created:
                self.close()


class BriefDelayBackend(LocmemBackend):
    """A few milliseconds per email: two workers sending many overlapping chunks interleave."""

    def send_messages(self, messages):
        import time

        time.sleep(0.02)
        return super().send_messages(messages)
