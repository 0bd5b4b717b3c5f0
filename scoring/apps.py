from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = "Assessment"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import exports  # noqa: F401  registers the assessment tables for CSV/XLSX downloads

        try:
            from . import reminders  # noqa: F401  registers the scoring deadline reminder
        except ImportError:  # notifications not installed
            pass
