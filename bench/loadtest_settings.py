"""Settings for `make loadtest`: production settings (DJANGO_DEBUG=0) served over plain HTTP on
loopback, so the secure-cookie flags are off (no TLS in front of gunicorn here), and Celery uses a
queue of its own so no other worker on the same Redis picks up the test's emails."""

from config.settings import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
NOTIFICATIONS_QUEUE = "grantbench-loadtest"
CELERY_TASK_DEFAULT_QUEUE = "grantbench-loadtest"
