from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Bids"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import exports  # noqa: F401  registers the "round-bids" download with reporting

        try:
            from . import reminders  # noqa: F401  registers the deadline reminder provider
        except ImportError:  # the notifications app is not installed
            pass
