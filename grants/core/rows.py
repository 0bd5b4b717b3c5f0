"""Helpers for table rows written in Python rather than in a template (issue 19: on the ranking,
staff bid list, council dashboard and assessor queue, fifty rows of template lookups and a
`{% url %}` each cost the page more than its queries). Each such row module has a test that
keeps the template loop it replaced as the oracle."""

import html
from collections.abc import Callable

from django.urls import reverse

_MARK = 987654321  # stands for the id in the one reversed URL, then replaced by each row's id


def id_url(name: str, *args) -> Callable[[int], str]:
    """The URL named `name` for any object id (its last argument, after `args`), reversed once
    for the page rather than once a row; under the request's script prefix, as `reverse`."""
    before, after = reverse(name, args=[*args, _MARK]).split(str(_MARK))
    return lambda pk: f"{before}{int(pk)}{after}"


def escape(value) -> str:
    """Django's `escape` without its lazy-string check, which cost more than the escaping at some
    600 values a page: the same `html.escape(str(value))`, so the same text."""
    return html.escape(str(value))
