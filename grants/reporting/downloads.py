"""CSV and XLSX download links for any staff table, carrying the filters on screen.

A page registers its table once with `@grants.reporting.exports.table("name")` (in its own app's
exports module, imported from the app's `AppConfig.ready`), building rows from the same selector
and permission checks as the page, with the filters read from `params` (the page's GET). It then
renders `{% include "reporting/_downloads.html" with dl=downloads %}` where
`downloads = download_links(request, "name")`. The reporting app serves the files
(`reporting:download`), streaming CSV and offering a background export for large tables.
"""

from django.http import HttpRequest
from django.urls import reverse


def query_with(request: HttpRequest, **extra) -> str:
    q = request.GET.copy()
    q.pop("page", None)  # a download is the whole filtered table, not the page on screen
    for k, v in extra.items():
        q[k] = v
    return q.urlencode()


def download_links(request: HttpRequest, table: str, **extra) -> dict:
    query = query_with(request, **extra)
    links = {
        fmt: reverse("reporting:download", args=[table, fmt]) + (f"?{query}" if query else "")
        for fmt in ("csv", "xlsx")
    }
    return {"table": table, "query": query, **links}
