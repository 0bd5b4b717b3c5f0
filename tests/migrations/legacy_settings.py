"""Settings that build the schema exactly as the code before the move built it.

grants, applications, scoring and notifications run their migrations as they were at the commit
before awards and reporting became apps (copies in tests/migrations/legacy/); awards and
reporting have no migrations, so they create no tables and the old grants migrations make them.
Used only by tests/migrations/test_forward.py, in a subprocess, on a scratch database.
"""

from config.settings import *  # noqa: F403

MIGRATION_MODULES = {
    "grants": "tests.migrations.legacy.grants",
    "applications": "tests.migrations.legacy.applications",
    "scoring": "tests.migrations.legacy.scoring",
    "notifications": "tests.migrations.legacy.notifications",
    "awards": None,
    "reporting": None,
}
