from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """Dashboards, the board report, 360Giving and background exports: the top layer, which
    reads every other app and is imported by none."""

    name = "grants.reporting"
    label = "reporting"
    verbose_name = "Reporting"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  register the export task
