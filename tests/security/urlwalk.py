"""Every URL pattern of the project, with its kwargs filled from the shared world.

`patterns()` walks `get_resolver()` recursively (namespaces included). It skips what the
project does not own, by who owns it rather than where it is mounted, so a project page added
under accounts/ or admin/ is still walked: the admin site (namespace `admin`), allauth's URL
modules (sign-in and MFA, tested in tests/security/test_sessions_mfa.py) and Django's static
file view. Two patterns with the same name fail the walk: reverse() reaches only one of them, so
the other would never be checked. `url_for(name, world)` fills each kwarg by its name, with a
small table for the patterns whose `pk` (or slug) means something else, so a new pattern whose
kwargs follow the usual names is covered without touching this file.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

SKIPPED_NAMESPACES = {"admin"}
SKIPPED_URLCONFS = ("allauth.",)  # allauth.account, allauth.mfa: the library's own pages
SKIPPED_VIEWS = {"django.views.static.serve"}


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name"
    route: str
    kwargs: tuple[str, ...]


def _walk(resolver, prefix: str, namespace: str):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            module = getattr(entry.urlconf_module, "__name__", "")
            if entry.namespace in SKIPPED_NAMESPACES or module.startswith(SKIPPED_URLCONFS):
                continue
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, route, ns)
        elif isinstance(entry, URLPattern):
            if entry.lookup_str in SKIPPED_VIEWS:
                continue
            if not entry.name:
                raise AssertionError(f"URL pattern {route!r} has no name, so it cannot be in the matrix")
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Pattern(name=name, route=route, kwargs=tuple(entry.pattern.converters))


def patterns() -> list[Pattern]:
    seen: dict[str, Pattern] = {}
    for p in _walk(get_resolver(), "", ""):
        if p.name in seen:
            raise AssertionError(
                f"URL name {p.name!r} is used by {seen[p.name].route!r} and {p.route!r}: "
                "reverse() reaches only one, so give each pattern its own name"
            )
        seen[p.name] = p
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
    "awards:offer_terms": "offered_award",
    "applications:partner_respond": "invite_bid",
    "reporting:export_detail": "export_job",
    "awards:import_detail": "import_job",  # Issue 18, import of history
    "awards:import_confirm": "import_job",
    "reporting:export_file": "export_job",
    "reporting:export_status": "export_job",
    "reporting:open_data_withdraw": "published_file",
    "reporting:open_data_file": "published_file",
    # Issue 16, joining a council
    "grants:join_request": "join_request",
    # Issue 17, commitments and deliverables
    "reporting:commitment_edit": "commitment",
    "reporting:commitment_remove": "commitment",
    "reporting:deliverable": "deliverable",
    # Issue 17, benefits: a benefits return is the completed award's (the projection page is the active award's).
    "awards:benefits_return": "completed_award",
    # Issue 17, standing partnerships
    "awards:partnership": "partnership",
    "awards:partnership_member_add": "partnership",
    "awards:partnership_member_leave": "partnership",
    # Issue 18, the API: each operation's own object; the token page's revoke, the lead officer's token.
    "api_v1:bid": "bid",
    "api_v1:award": "award",
    "api_v1:payment": "tranche",
    "api_v1:return": "mreturn",
    "api_v1:round": "round",
    "api_v1:programme": "round",  # its programme's, below
    "api:token_revoke": "api_token",
}
PROGRAMME_SLUG = {
    "grants:staff_programme_detail",
    "grants:staff_programme_edit",
    "grants:staff_round_create",
    "grants:staff_programme_manager_add",
    "grants:staff_programme_manager_remove",
    "reporting:board_summary",
    # Issue 17, commitments and deliverables
    "reporting:commitments",
    "reporting:commitment_add",
    "reporting:commitment_edit",
    "reporting:commitment_remove",
    "reporting:deliverables",
    "reporting:deliverable_add",
    "reporting:deliverable",
}
# Where a council may start a bid (it has none there yet), so the start form is on the page.
OPEN_ROUND_PAGES = {"applications:bid_start"}
# Issue 16, EOI triage: pages of the world's two-stage round and its expression of interest.
EOI_PAGES = {"scoring:eoi_triage", "scoring:eoi_propose", "scoring:eoi_confirm"}
# Issue 16, EOI criteria: the two-stage round's; a pk is its EOI criterion's.
EOI_CRITERION_PAGES = {"scoring:eoi_criterion_edit", "scoring:eoi_criterion_delete"}
EOI_PAGES |= {"scoring:eoi_criteria", "scoring:eoi_criterion_create", *EOI_CRITERION_PAGES}
PK_FOR |= dict.fromkeys(EOI_CRITERION_PAGES, "eoi_criterion")


def _value(name: str, kwarg: str, world):
    draft = name in DRAFT_BID_PAGES
    if name in EOI_PAGES and kwarg in ("slug", "pk"):  # Issue 16, EOI triage
        if kwarg == "slug":
            return world.eoi_round.slug
        return getattr(world, PK_FOR.get(name, "eoi_bid")).pk
    if kwarg == "slug":
        if name in PROGRAMME_SLUG:
            return world.round.programme.slug
        if name in OPEN_ROUND_PAGES:
            return world.open_round.slug
        return world.draft_round.slug if draft else world.round.slug
    if kwarg == "pk":
        if name == "api_v1:programme":
            return world.round.programme_id
        if name in PK_FOR:
            return getattr(world, PK_FOR[name]).pk
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
        "user_pk": world.personas.programme_manager.pk,
        "org_pk": world.round.programme.funder.pk,  # a public body, not a council
        "fmt": "csv",
        "code": world.personas.lead_org.code,
        "table": "dashboard-summary",
        "filename": world.published_file.filename,
        "kind": "section",
        "mid": world.milestone.pk,
        "rid": world.mreturn.pk,
        "period_pk": world.mreturn.period_id,
        "tid": world.tranche.pk,
        "vid": world.variation.pk,
        "fid": world.mreturn_file.pk,
        # Issue 16, clarifications.
        "cpk": world.clarification.pk,
        # Issue 17, follow-ups.
        "cid": world.contact.pk,
        # Issue 17, commitments: the world deliverable's financial year.
        "year": world.deliverable.financial_year,
        # Issue 17, outputs.
        "otid": world.output_target.pk,
        # Issue 17, benefits.
        "brid": world.benefits_return.pk,
    }
    if name == "awards:partnership_member_leave" and kwarg == "mid":  # Issue 17, partnerships
        return world.partnership_member.pk
    if kwarg in simple:
        return simple[kwarg]
    raise AssertionError(f"No value for kwarg {kwarg!r} of {name}: add it to tests/security/urlwalk.py")


def url_for(pattern: Pattern, world, **fixed) -> str:
    """The pattern's URL in the world; `fixed` gives some kwargs their values instead (the
    conflict walk points every bid and award URL at the one bid and its award)."""
    return reverse(
        pattern.name, kwargs={k: fixed[k] if k in fixed else _value(pattern.name, k, world) for k in pattern.kwargs}
    )
