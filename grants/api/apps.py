from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only JSON API (issue 18) and the personal tokens that open it.

    Nested in grants/ like awards and reporting, an app of its own (label `api`) at the top of the
    layers: it reads every app below through their own selectors and permissions and owns no
    visibility rule of its own, so a token never sees more than the person who made it."""

    name = "grants.api"
    label = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"
