"""Settings for `make loadtest`: production settings (DJANGO_DEBUG=0) served over plain HTTP on
loopback, so the secure-cookie flags are off (no TLS in front of gunicorn here), and Celery uses a
queue of its own so no other worker on the same Redis picks up the test's emails.

Every simulated officer connects from 127.0.0.1, where real ones come from 317 town halls: the
locustfile labels each with an address of its own in X-Real-IP (loopback-range labels, only a
header), and the sign-in rate limits count by that header, as behind a proxy that sets it. The
limits themselves stay as in production. Database connections are kept between requests
(CONN_MAX_AGE), one per gunicorn thread, as config/settings.py does for PostgreSQL.

Uploaded files go to S3 as in production (config/settings.py's AWS_* variables, pointed by
bench/loadtest.py at moto's S3 server), so no single-host waiver is needed. Emails are written by
Django's file backend (DJANGO_EMAIL_BACKEND) to LOADTEST_OUTBOX, where the run counts them.
"""

import os

from config.settings import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
NOTIFICATIONS_QUEUE = "grantbench-loadtest"
CELERY_TASK_DEFAULT_QUEUE = "grantbench-loadtest"
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
EMAIL_FILE_PATH = os.environ.get("LOADTEST_OUTBOX", "")
