"""The pages `make bench` measures, and each persona's baseline: the trivial page a page is
compared with. A page whose URL name does not exist yet is reported as such."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from bench.dataset import Dataset


@dataclass
class Page:
    name: str
    persona: str
    url: Callable[[Dataset], str]
    rows: Callable[[Dataset], int]
    # How to make the persona's client, when a session is not it (the API's token: bench/pages_api.py).
    client: Callable[[Dataset, str], object] | None = None


def _round_slug(ds: Dataset, pk: int) -> str:
    from grants.models import Round

    return Round.objects.only("slug").get(pk=pk).slug


def _council_bids(ds: Dataset) -> int:
    from django.db.models import Q

    from applications.models import Bid

    return (
        Bid.objects.filter(Q(lead_id=ds.council_org_id) | Q(partners__organisation_id=ds.council_org_id))
        .distinct()
        .count()
    )


def _public_rounds(ds: Dataset) -> int:
    from grants.selectors import rounds_public

    return rounds_public().count()


def _statement(persona: str) -> Page:
    """The accessibility statement (a template and no query of its own) for `persona`: signed in,
    it pays what every page of theirs pays: session (read and saved), user, roles, the header's
    menu and unread count, the whole middleware stack and the base template."""
    name = "baseline" if persona == "anonymous" else f"baseline_{persona}"
    return Page(name, persona, lambda ds: reverse("accessibility"), lambda ds: 0)


# Persona -> its trivial page. "baseline" (anonymous) is also the old `baseline_ms`; the API
# token's baseline (api_me) comes with the API's pages (bench/pages_api.py).
BASELINES = {p: _statement(p) for p in ("anonymous", "council_officer", "assessor", "programme_manager")}

PAGES = [
    Page("public_round_list", "anonymous", lambda ds: reverse("grants:round_list"), _public_rounds),
    Page("council_dashboard", "council_officer", lambda ds: reverse("applications:bid_dashboard"), _council_bids),
    Page(
        "staff_bid_list",
        "programme_manager",
        lambda ds: reverse("applications:staff_bid_list", args=[_round_slug(ds, ds.big_round_id)]),
        lambda ds: ds.counts["big_round_bids"],
    ),
]


MODULES = ("bench.pages_scoring", "bench.pages_awards", "bench.pages_reporting", "bench.pages_api")


def _modules() -> list:
    found = []
    for module in MODULES:
        try:
            found.append(__import__(module, fromlist=["PAGES"]))
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    return found


def optional_pages() -> list[Page]:
    """Pages of later features, added when their modules provide them."""
    return [page for mod in _modules() for page in mod.PAGES]


def baselines() -> dict[str, Page]:
    """Each persona's trivial page: ours, and those a module adds for a persona of its own."""
    found = dict(BASELINES)
    for mod in _modules():
        found.update(getattr(mod, "BASELINES", {}))
    return found


def resolve(page: Page, ds: Dataset) -> str | None:
    try:
        return page.url(ds)
    except NoReverseMatch:
        return None
