from django.contrib import admin
from django.urls import include, path

from grants import views as grants_views
from grants.core.readiness import ReadyView
from grants.reporting import home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", grants_views.healthz, name="healthz"),
    path("readyz", ReadyView.as_view(), name="readyz"),
    path("metrics", grants_views.metrics, name="metrics"),
    path("accessibility/", grants_views.accessibility, name="accessibility"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("grants.urls")),
    path("", include("applications.urls")),
    path("", include("scoring.urls")),
    path("", include("notifications.urls")),
    path("", include("grants.awards.urls")),
    path("", include("grants.reporting.urls")),
]
