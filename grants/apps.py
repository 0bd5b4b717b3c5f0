from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = "Reference data"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Every app's exports.py registers its staff tables (grants.core.exports.table); a typo in
        # one fails here, at start-up, rather than as a missing download.
        autodiscover_modules("exports")
        # Every app's audit_actions.py declares the actions it records (grants.core.audit);
        # recording an undeclared one fails.
        autodiscover_modules("audit_actions")
        # Every app's round_nav.py registers its sections of a round's sub-navigation
        # (grants.core.round_nav), shown on every staff round page.
        autodiscover_modules("round_nav")
        # Production guards (grants.core.checks, `check --deploy`) and the collectors each app
        # adds to /metrics (its metrics.py, grants.core.metrics).
        from .core import checks  # noqa: F401

        autodiscover_modules("metrics")
        # Every app's personal_data.py declares what personal data its models hold, and registers
        # the retention rules it owns (grants.core.personal_data): the record of processing, the
        # privacy notice, the subject-access export and erasure all read it.
        autodiscover_modules("personal_data")
        from django.contrib.auth.signals import user_logged_in

        from . import tasks  # noqa: F401  register the retention task with the worker
        from .core.sessions import stamp_on_sign_in

        # A sign-in counts as a session renewal (grants.core.sessions).
        user_logged_in.connect(stamp_on_sign_in, dispatch_uid="grants-session-renewed-on-sign-in")
