"""Absolute links to the service, for anything read away from it (emails above all).

One function builds them all, from one setting (GRANTBENCH_BASE_URL, which `make run` sets from
its host and port): a link in an email then opens on the service that sent it, whatever port or
host it runs on. Pages use relative links and never need this.
"""

from urllib.parse import urlsplit

from django.conf import settings


def service_url(path: str) -> str:
    """`path` on the service, as an absolute URL. An address already absolute is taken down to
    its path, query and fragment first: a link built from a request's host (allauth builds its
    own) points at the service's public address too. Empty stays empty."""
    if not path:
        return ""
    parts = urlsplit(path)
    if parts.scheme in ("mailto", "tel"):
        return path
    local = parts.path or "/"
    if parts.query:
        local += "?" + parts.query
    if parts.fragment:
        local += "#" + parts.fragment
    return settings.GRANTBENCH_BASE_URL.rstrip("/") + "/" + local.lstrip("/")


class ServiceSite:
    """What allauth's emails say as `current_site` ("Hello from {{ name }}", "{{ domain }}"): the
    service's name and public address, not the host a request happened to come in on."""

    name = "Grantbench"

    @property
    def domain(self) -> str:
        return service_url("/")
