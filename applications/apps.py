from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Bids"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import exports, reminders  # noqa: F401  register the round-bids download and deadline reminders
