from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from grants import lookups  # noqa: F401  (integer `__in` that survives out-of-range ids)
        from grants.awards import exports  # noqa: F401  (registers the award portfolio download)
        from grants.reporting import tasks  # noqa: F401  (registers the export task with Celery workers)
        try:  # award reminders register with notifications; absent notifications app means none
            from grants.awards import reminders  # noqa: F401
        except ImportError:
            pass
