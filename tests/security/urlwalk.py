"""Every URL pattern of the project, with its kwargs filled from the shared world.

`patterns()` walks `get_resolver()` recursively (namespaces included), skipping only admin/,
accounts/ (allauth) and static files. `url_for(name, world)` fills each kwarg by its name, with a
small table for the patterns whose `pk` (or slug) means something else, so a new pattern whose
kwargs follow the usual names is covered without touching this file.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

SKIPPED_PREFIXES = ("admin/", "accounts/", "static/", "media/")


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name"
    route: str
    kwargs: tuple[str, ...]


def _walk(resolver, prefix: str, namespace: str):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, route, ns)
        elif isinstance(entry, URLPattern):
            if not entry.name:
                raise AssertionError(f"URL pattern {route!r} has no name, so it cannot be in the matrix")
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Pattern(name=name, route=route, kwargs=tuple(entry.pattern.converters))


def patterns() -> list[Pattern]:
    seen: dict[str, Pattern] = {}
    for p in _walk(get_resolver(), "", ""):
        seen.setdefault(p.name, p)
    return sorted(seen.values(), key=lambda p: p.name)


# Patterns whose `pk` is not a bid (the default) or whose bid is the draft one.
DRAFT_BID_PAGES = {
    "applications:bid_details",
    "applications:bid_partners",
    "applications:bid_collaborators",
    "applications:bid_section",
    "applications:evidence_delete",
    "applications:bid_check",
}
PK_FOR = {
    "scoring:interest_remove": "interest",
    "scoring:criterion_edit": "criterion",
    "scoring:criterion_delete": "criterion",
    "scoring:assignment_withdraw": "assignment",
    "scoring:panel_member_chair": "panel_member",
    "scoring:panel_member_remove": "panel_member",
    "notifications:resend": "failed_email",
    "notifications:open": "notification",
    "notifications:mark_read": "notification",
    "applications:staff_delete": "section",
    "awards:accept": "offered_award",
    "awards:decline": "offered_award",
    # Reporting is new: its objects are not in the world yet, so these ids find nothing (404).
    "reporting:export_detail": "export_job",
    "reporting:export_file": "export_job",
    "reporting:export_status": "export_job",
    "reporting:open_data_withdraw": "published_file",
    "reporting:open_data_file": "published_file",
}
PROGRAMME_SLUG = {"grants:staff_programme_detail", "grants:staff_programme_edit", "grants:staff_round_create"}


def _value(name: str, kwarg: str, world):
    draft = name in DRAFT_BID_PAGES
    if kwarg == "slug":
        if name in PROGRAMME_SLUG:
            return world.round.programme.slug
        return world.draft_round.slug if draft else world.round.slug
    if kwarg == "pk":
        if name in PK_FOR:
            target = getattr(world, PK_FOR[name], None)
            return target.pk if target is not None else 0
        if name.startswith("awards:"):
            return world.award.pk
        return (world.draft_bid if draft else world.bid).pk
    if kwarg == "section_pk":
        return (world.draft_section if draft else world.section).pk
    if kwarg == "question_pk":
        return world.text_question.pk
    if kwarg == "file_pk":
        return (world.draft_evidence if draft else world.evidence).pk
    simple = {
        "fmt": "csv",
        "code": world.personas.lead_org.code,
        "table": "dashboard-summary",
        "filename": "grants.csv",
        "kind": "section",
        "mid": world.milestone.pk,
        "rid": world.mreturn.pk,
        "tid": world.tranche.pk,
        "vid": world.variation.pk,
    }
    if kwarg in simple:
        return simple[kwarg]
    raise AssertionError(f"No value for kwarg {kwarg!r} of {name}: add it to tests/security/urlwalk.py")


def url_for(pattern: Pattern, world) -> str:
    return reverse(pattern.name, kwargs={k: _value(pattern.name, k, world) for k in pattern.kwargs})
