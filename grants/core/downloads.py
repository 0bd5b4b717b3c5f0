"""CSV and XLSX download links for any staff table, carrying the filters on screen.

A page registers its table once with `@grants.core.exports.table("name")` (in its own app's
exports module, imported from the app's `AppConfig.ready`), building rows from the same selector
and permission checks as the page, with the filters read from `params` (the page's GET). It then
renders `{% include "reporting/_downloads.html" with dl=downloads %}` where
`downloads = download_links(request, "name")`. The reporting app serves the files
(`reporting:download`), streaming CSV and offering a background export (CSV or XLSX) for large
tables; a failed background request comes back to the page (`dl.back`).

When the page's filters can be invalid (a filter form with errors), pass `params=` the filters
the page actually applied (for example `{"year": "2019"}` from the form's cleaned data), so the
links hold what is on screen and not the bad input, which the download would refuse with a 404.
Every text cell of every table is made safe for spreadsheets by the writers in exports.py.
"""

from collections.abc import Mapping

from django.http import HttpRequest, QueryDict
from django.urls import reverse


def query_with(request: HttpRequest, params: Mapping | None = None, **extra) -> str:
    if params is None:
        q = request.GET.copy()
        q.pop("page", None)  # a download is the whole filtered table, not the page on screen
    else:
        q = QueryDict(mutable=True)
        for k, v in params.items():
            if v not in (None, ""):
                q[k] = str(v)
    for k, v in extra.items():
        q[k] = v
    return q.urlencode()


def download_links(request: HttpRequest, table: str, *, params: Mapping | None = None, **extra) -> dict:
    """Links for a table's CSV and XLSX downloads and the fields of its background-export form.

    `params`: the filters to carry (default: the request's GET, less `page`); `extra`: filters to
    add or replace (for example the council the page is about)."""
    query = query_with(request, params, **extra)
    links = {
        fmt: reverse("reporting:download", args=[table, fmt]) + (f"?{query}" if query else "")
        for fmt in ("csv", "xlsx")
    }
    return {"table": table, "query": query, "back": request.get_full_path(), **links}
