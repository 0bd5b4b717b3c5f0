"""Reads for reference data, programmes and rounds, shaped so each page costs fixed queries."""

import re
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, When
from django.utils import timezone

from grants.core.dates import govuk_when

from .models import Organisation, OrganisationAlias, Programme, Round, RoundStatus, User
from .models.organisations import COUNCIL_KINDS, OrgKind
from .people_selectors import acting_council_id

# SQLite refuses LIKE patterns over 50,000 bytes, and no name or title is anywhere near this long:
# a longer search term is cut here rather than reaching the database as a 500.
SEARCH_TERM_MAX = 200
ZERO = Decimal("0.00")
GSS_CODE = re.compile(r"^[EeWwSsNn]\d{8}$")


def search_term(value: str | None) -> str:
    return (value or "").strip()[:SEARCH_TERM_MAX]


def organisation_search(*, query: str, include_former: bool = True, limit: int = 20) -> QuerySet[Organisation]:
    """Find an organisation by name, short name, three-letter or GSS code (current or former), or a
    former name. Exact code and name matches come first, then current bodies before former ones."""
    query = search_term(query)
    qs = Organisation.objects.all()
    if not include_former:
        qs = qs.current()
    if not query:
        return qs.none()
    alias = OrganisationAlias.objects.filter(organisation=OuterRef("pk"), name__icontains=query)
    code_match = Q(code__iexact=query) | Q(gss_code__iexact=query)
    if GSS_CODE.match(query):  # a code the area had before a boundary change
        code_match |= Q(former_gss_codes__icontains=query.upper())
    match = code_match | Q(name__icontains=query) | Q(short_name__icontains=query) | Exists(alias)
    exact = Case(
        When(code_match, then=0),
        When(Q(short_name__iexact=query) | Q(name__iexact=query), then=1),
        default=2,
    )
    # PostgreSQL sorts NULLs last by default, SQLite first: say it, so current councils (no end
    # date) come before the former ones they replaced on both.
    order = ("exact", F("end_date").asc(nulls_first=True), "short_name")
    return qs.filter(match).annotate(exact=exact).order_by(*order)[:limit]


def rounds_public(*, now=None) -> QuerySet[Round]:
    """Open and upcoming rounds, soonest deadline first."""
    return Round.objects.open_or_upcoming(now).select_related("programme").order_by("closes_at")


def programmes_for_user(*, user: User) -> QuerySet[Programme]:
    from .permissions import has_global_staff_view, managed_programme_ids

    qs = Programme.objects.select_related("funder").order_by("name")
    if has_global_staff_view(user):
        return qs
    return qs.filter(pk__in=managed_programme_ids(user))


def rounds_for_user(*, user: User) -> QuerySet[Round]:
    """Every round this person may read: published rounds (their public pages) and, for staff,
    every round of the programmes they may view, drafts included. The round page and the API
    both ask here."""
    return Round.objects.filter(Q(published=True) | Q(programme__in=programmes_for_user(user=user).values("pk")))


def acting_council(user: User) -> Organisation | None:
    """The council this person bids for: their organisation when they hold a council role there.

    Eligibility is told only to them. Someone linked to a council without a role (an assessor
    it employs, say) acts for the funder, so is not told whether their council may bid: in a
    targeted round that answer is the council's confidential rating.
    """
    return user.organisation if acting_council_id(user) is not None else None


def round_is_targeted(round: Round) -> bool:
    """A round open only to the councils the programme names (for example those rated Red or
    Amber-Red in the cyber stocktake). The funder gives each council its rating in confidence, so
    the list is shown to programme staff only (`round_named_list`); pages say who may apply in
    words, and tell a council's own officers whether it is invited (`round_invites`)."""
    return bool(round.pk) and round.eligible_organisations.exists()


def round_invites(*, round: Round, organisation: Organisation | None) -> bool | None:
    """Whether a targeted round invites this council: None when the round is open to all, or when
    there is no council to ask about. Callers ask only for the council the viewer acts for."""
    if organisation is None or not round_is_targeted(round):
        return None
    named = getattr(round, "_prefetched_objects_cache", {}).get("eligible_organisations")
    if named is not None:  # a list page prefetched the names: no query per round
        return any(o.pk == organisation.pk for o in named)
    return round.eligible_organisations.filter(pk=organisation.pk).exists()


def round_named_list(*, round: Round, user: User, limit: int = 500) -> list[Organisation] | None:
    """A targeted round's named list for the programme's staff; None for everyone else, who must
    never see it (nor how long it is)."""
    from .permissions import can_view_programme

    if not user.is_authenticated or not can_view_programme(user, round.programme):
        return None
    return list(round.eligible_organisations.order_by("short_name").only("short_name")[:limit])


def round_eligibility(*, round: Round, organisation: Organisation | None, now=None) -> list[str]:
    """Why this organisation may not lead a bid in this round, in plain words; empty if it may.

    Bidding adds its own reasons (one live bid per lead, partners) on top of these. A targeted
    round's reason speaks of this council alone: never the list, its length or why it exists.
    """
    reasons: list[str] = []
    status = round.status_at(now or timezone.now())
    if status == RoundStatus.SCHEDULED:
        reasons.append(f"This round opens on {govuk_when(round.opens_at)}.")
    elif status != RoundStatus.OPEN:
        reasons.append("This round is not open for bids.")
    if organisation is None:
        reasons.append(
            "Only a council's officers can bid for it. Ask your administrator to link your account to your "
            "council as an officer."
        )
        return reasons
    if organisation.end_date is not None:
        reasons.append(f"{organisation.short_name} no longer exists as a council.")
    if round.england_only and organisation.nation != "England":
        reasons.append("This round is for organisations in England only.")
    kinds = round.eligible_kinds or list(COUNCIL_KINDS)
    if organisation.kind not in kinds:
        allowed = ", ".join(OrgKind(k).in_sentence for k in kinds)
        reasons.append(f"This round is open to these types of organisation only: {allowed}.")
    if round.eligible_regions and organisation.region not in round.eligible_regions:
        reasons.append(f"This round is open to organisations in {', '.join(round.eligible_regions)} only.")
    if round_invites(round=round, organisation=organisation) is False:
        reasons.append(
            f"This round is open only to councils the programme has invited, and {organisation.short_name} "
            "has not been invited."
        )
    return reasons


# Money committed against a round is owned by the awards app, which sits above reference data. It
# registers its function here when it starts (AwardsConfig.ready), so the round budget guard can
# ask without importing the layer above. One owner: a second, different provider is refused, and
# with none registered the guard fails loudly.
_COMMITTED_PROVIDERS: list[Callable[..., Decimal]] = []


def round_committed_provider_register(provider: Callable[..., Decimal]) -> None:
    if _COMMITTED_PROVIDERS and _COMMITTED_PROVIDERS[0] is not provider:
        raise ImproperlyConfigured(f"Committed money already has an owner: {_COMMITTED_PROVIDERS[0].__qualname__}")
    _COMMITTED_PROVIDERS[:] = [provider]


def round_committed_total(*, round: Round) -> Decimal:
    """Money a round has promised (`grants.awards.selectors.round_committed`). The budget may not
    be cut below it."""
    if not _COMMITTED_PROVIDERS:
        raise ImproperlyConfigured("No provider of committed money: is grants.awards installed?")
    return _COMMITTED_PROVIDERS[0](round=round)


# Whether a council may start a bid is finally the bidding app's rule (`applications.services.
# bid_eligibility`: one live bid per lead council, deadline extensions), which sits above reference
# data. It registers here when it starts (ApplicationsConfig.ready) so the public round page gives
# the same answer as the start page, never "can apply" to a council that already has a bid.
_BID_ELIGIBILITY: list[Callable[..., list[str]]] = []


def bid_eligibility_register(rule: Callable[..., list[str]]) -> None:
    _BID_ELIGIBILITY[:] = [rule]


def council_eligibility(*, round: Round, organisation: Organisation) -> list[str]:
    """Every reason `organisation` may not lead a bid in `round` now (empty: it may)."""
    if _BID_ELIGIBILITY:
        return _BID_ELIGIBILITY[0](round=round, organisation=organisation)
    return round_eligibility(round=round, organisation=organisation)


class CouncilMatch:
    """What `council_find` made of a typed council: the council, whether the text was a former
    name or code (the importer asks a person to confirm those), and why not when there is none."""

    def __init__(self, org: Organisation | None = None, *, former: bool = False, error: str = "", text: str = ""):
        self.org, self.former, self.error, self.text = org, former, error, text

    @property
    def warning(self) -> str:
        if not (self.org and self.former):
            return ""
        return f"'{self.text}' is now {self.org.short_name} ({self.org.code}); confirm"


def _is_variant(text: str, org: Organisation) -> bool:
    """An alias that only dresses up the council's own name ("Folkestone and Hythe District
    Council") is not a former name worth confirming; "Shepway" is."""
    lowered = text.lower()
    return org.short_name.lower() in lowered or org.name.lower() in lowered


def council_find(text: str, *, fuzzy: bool = False) -> CouncilMatch:
    """The one owner of "find a council from what a person typed": its three-letter code, its GSS
    code (current or former), its name or one of its other names (OrganisationAlias). A council
    that has ended answers with the council that replaced it, marked former, as does a former
    code or name. `fuzzy` (the typed form) also takes a single partial match."""
    term = search_term(text)
    if not term:
        return CouncilMatch(error="Enter a council", text=term)
    tiers = [
        (Q(code__iexact=term) | Q(gss_code__iexact=term), False),
        (Q(former_gss_codes__icontains=term.upper()) if GSS_CODE.match(term) else None, True),
        (Q(short_name__iexact=term) | Q(name__iexact=term), False),
        (Q(aliases__name__iexact=term), None),
    ]
    for condition, former in tiers:
        if condition is None:
            continue
        found = list(Organisation.objects.filter(condition).distinct()[:10])
        current = [o for o in found if o.end_date is None] or found
        if len(current) > 1:
            return CouncilMatch(error=f"More than one council matches '{term}': enter its three-letter code", text=term)
        if current:
            return _current(current[0], term, former)
    if fuzzy:
        matches = list(organisation_search(query=term, limit=2))
        if len(matches) == 1:
            return _current(matches[0], term, False)
        if matches:
            return CouncilMatch(error=f"More than one council matches '{term}': enter its three-letter code", text=term)
    return CouncilMatch(error=f"No council matches '{term}'", text=term)


def _current(org: Organisation, term: str, former: bool | None) -> CouncilMatch:
    if former is None:  # an other name: former unless it is the council's own name dressed up
        former = not _is_variant(term, org)
    hops = 0
    while org.end_date is not None and org.replaced_by and hops < 5:  # ended: the council that took over
        successor = Organisation.objects.filter(code=org.replaced_by).first()
        if successor is None:
            break
        org, former, hops = successor, True, hops + 1
    return CouncilMatch(org, former=former, text=term)
