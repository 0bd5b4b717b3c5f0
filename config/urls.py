from django.contrib import admin
from django.urls import include, path

from grants import public_views
from grants import views as grants_views
from grants.api.urls import api_urls
from grants.core.readiness import ReadyView
from grants.reporting import home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", grants_views.healthz, name="healthz"),
    path("readyz", ReadyView.as_view(), name="readyz"),
    path("metrics", grants_views.metrics, name="metrics"),
    # The pages a public service owes (grants/public_views.py), linked from every page's footer.
    path("accessibility/", public_views.accessibility, name="accessibility"),
    path("privacy/", public_views.privacy, name="privacy"),
    path("cookies/", public_views.cookies, name="cookies"),
    path("help/", public_views.help_page, name="help"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("grants.urls")),
    path("", include("applications.urls")),
    path("", include("scoring.urls")),
    path("", include("notifications.urls")),
    path("", include("grants.awards.urls")),
    path("", include("grants.reporting.urls")),
    # Issue 18: the token page, the docs page, then the JSON API itself (django-ninja).
    path("", include("grants.api.urls")),
    path("api/v1/", api_urls),
]
