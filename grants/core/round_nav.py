"""The round's sub-navigation: every staff page of a round shows the round's sections, each a link
only for a viewer who may use it, the current one marked.

Each app owns the sections of its own pages and registers them from its `round_nav.py`, found at
start-up by GrantsConfig.ready (autodiscover_modules("round_nav")), so this layer names no app
above it. `{% round_nav round %}` (grants/templatetags/round_nav.py) renders the one include,
templates/includes/round_nav.html.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class RoundSection:
    label: str
    url_name: str  # "namespace:name", reversed with the round's slug
    order: int
    may: Callable[[Any, Any], bool]  # (user, round) -> may this viewer use the section?
    pages: frozenset[str] = field(default_factory=frozenset)  # further url names that are this section
    # The address, for a section that is not `url_name` with the round's slug (a filtered list).
    href: Callable[[Any], str] | None = None

    def url(self, round) -> str:
        return self.href(round) if self.href else reverse(self.url_name, kwargs={"slug": round.slug})

    def is_current(self, url_name: str) -> bool:
        return url_name == self.url_name or url_name in self.pages


SECTIONS: dict[str, RoundSection] = {}


def round_section(
    label: str,
    url_name: str,
    *,
    order: int,
    may: Callable[[Any, Any], bool],
    pages: tuple[str, ...] = (),
    href: Callable[[Any], str] | None = None,
) -> RoundSection:
    """Register one section. Its url name is its key: registering it again replaces it."""
    section = RoundSection(label, url_name, order, may, frozenset(pages), href)
    SECTIONS[url_name] = section
    return section


@dataclass(frozen=True)
class RoundLink:
    label: str
    url: str
    current: bool


def round_links(*, user, round, url_name: str) -> list[RoundLink]:
    """The sections this viewer may use, in order, the one `url_name` belongs to marked current."""
    return [
        RoundLink(s.label, s.url(round), s.is_current(url_name))
        for s in sorted(SECTIONS.values(), key=lambda s: s.order)
        if s.may(user, round)
    ]
