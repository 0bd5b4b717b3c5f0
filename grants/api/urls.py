from django.urls import path

from . import views
from .endpoints import api

app_name = "api"

urlpatterns = [
    path("account/api-tokens/", views.tokens, name="tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("api/v1/docs", views.docs, name="docs"),
]

# ninja's own URLs (namespace api_v1): the operations and /api/v1/openapi.json.
api_urls = api.urls
