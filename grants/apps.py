from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = "Reference data"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from grants import lookups  # noqa: F401  (integer `__in` that survives out-of-range ids)
