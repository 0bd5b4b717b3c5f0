"""Settings for `make loadtest-ha`: those of `make loadtest`, with what the two-server shape changes.

- Files go to the S3 API (moto's server, started by bench/loadtest_ha.py): two app servers must
  share storage, so this is not a single-host install.
- Receipts go to a slow outbox (bench/loadtest_ha_mail.py): each email takes as long as a mail
  server's answer, so a Celery worker killed "while sending" is really mid-send, and every email
  that went out is on disk to be counted (in LOADTEST_OUTBOX, as for `make loadtest`).
- The broker hands a dead worker's unacknowledged tasks to another after `visibility_timeout`
  seconds. kombu's default is an hour (and it only looks every 100 s), which keeps a killed
  worker's receipts back for an hour; here it is 20 s (CELERY_VISIBILITY_TIMEOUT, the production
  setting, which bench/loadtest_ha.py sets), checked every 2 s, so the surviving worker finishes them within the run (should the broker not: see
  `unacked_mutex_expire` below, bench/loadtest_ha.py runs the hourly sweep early and says so).
  Tasks run with acks_late and reject_on_worker_lost (config/settings.py), and the delivery
  claims each outbox row, so a task handed out twice sends once (notifications.services.deliver).
"""

from bench.loadtest_settings import *  # noqa: F403

GRANTBENCH_SINGLE_HOST = False
EMAIL_BACKEND = "bench.loadtest_ha_mail.SlowOutbox"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405  visibility_timeout: CELERY_VISIBILITY_TIMEOUT, set by the run
    "unacked_restore_interval": 2,
    "unacked_restore_throttle": 1,
    # The restore takes a lock in Redis, held for the scan; a worker killed while holding it
    # (it scans every 2 s here) would stop every restore for kombu's 300 s. 15 s is plenty for a scan.
    "unacked_mutex_expire": 15,
}
