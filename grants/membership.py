"""Joining an organisation: the email domains it owns, and requests to join it.

An administrator used to link every council officer to their council by hand. Now an
organisation keeps the email domains it owns; when someone confirms an address at one of them (or
at a subdomain: officer@x.kent.gov.uk is at kent.gov.uk) they ask to join it automatically, and
its authorised signatories decide (the programme team when it has none). Anyone else chooses their
council from a search; a search proves nothing, so only administrators decide those requests.

Until a request is approved the person has no organisation link, so every existing check on bids
and awards keeps them out. Approval links them as a council officer through
`people.user_update` (audited like an administrator's change) and emails them; a decline
emails the reason. The emails belong to notifications, a layer above: it registers a hook here
(`decided_hook_register`) at start-up, so this module never imports it.
"""

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from grants.core.audit import audit_record
from grants.core.transitions import transition

from . import people
from .models import MembershipRequest, MembershipStatus, Organisation, OrganisationDomain, OrgRole, User
from .people_selectors import council_signatories, is_council_signatory
from .permissions import is_administrator

# Addresses anyone can have: they never say where someone works.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "aol.co.uk",
        "btinternet.com",
        "btopenworld.com",
        "gmail.com",
        "googlemail.com",
        "gmx.com",
        "gmx.co.uk",
        "hotmail.com",
        "hotmail.co.uk",
        "icloud.com",
        "live.com",
        "live.co.uk",
        "mac.com",
        "me.com",
        "msn.com",
        "ntlworld.com",
        "outlook.com",
        "outlook.co.uk",
        "protonmail.com",
        "proton.me",
        "sky.com",
        "talktalk.net",
        "tiscali.co.uk",
        "virginmedia.com",
        "yahoo.com",
        "yahoo.co.uk",
        "ymail.com",
    }
)
# A domain: labels of letters, digits and inner hyphens, dot-separated, ending in a letters-only
# top-level label.
DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class MembershipError(ValidationError):
    """A request or decision refused, with a message for the person who tried it."""


# ----- Domains ------------------------------------------------------------------------------


def domain_clean(value: str) -> str:
    """One domain as staff typed it, checked: lowercase, no @, shaped like a domain, not a
    public mail provider's. Raises ValidationError with the message to show."""
    domain = value.strip().lower().rstrip(".")
    if "@" in domain:
        raise ValidationError(f"Enter the domain without the @ and the name before it, for example {_after_at(domain)}")
    if not DOMAIN.match(domain):
        raise ValidationError(f"‘{value.strip()}’ is not a domain: enter one like kent.gov.uk")
    if _public(domain):
        raise ValidationError(f"{domain} is a public email service anyone can use: it cannot belong to an organisation")
    return domain


def domains_clean(values: list[str]) -> tuple[list[str], list[str]]:
    """Each domain checked by `domain_clean`, once each: the clean ones in order and the messages
    for the rest (the staff form and `organisation_domains_set` both check a list this way)."""
    cleaned: list[str] = []
    errors: list[str] = []
    for value in values:
        try:
            domain = domain_clean(value)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if domain not in cleaned:
            cleaned.append(domain)
    return cleaned, errors


def _after_at(value: str) -> str:
    return value.rsplit("@", 1)[-1] or "kent.gov.uk"


def _public(domain: str) -> bool:
    return any(domain == p or domain.endswith("." + p) for p in PUBLIC_MAIL_DOMAINS)


@transaction.atomic
def organisation_domains_set(*, actor: User, organisation: Organisation, domains: list[str]) -> list[str]:
    """Make `domains` the organisation's email domains, each checked and owned by no other
    organisation; audited with the list before and after."""
    cleaned, errors = domains_clean(domains)
    taken = OrganisationDomain.objects.filter(domain__in=cleaned).exclude(organisation=organisation)
    errors += [
        f"{d.domain} already belongs to {d.organisation.short_name}" for d in taken.select_related("organisation")
    ]
    if errors:
        raise ValidationError({"domains": errors})
    before = sorted(organisation.domains.values_list("domain", flat=True))
    organisation.domains.exclude(domain__in=cleaned).delete()
    try:
        with transaction.atomic():
            OrganisationDomain.objects.bulk_create(
                [OrganisationDomain(organisation=organisation, domain=d) for d in cleaned if d not in before]
            )
    except IntegrityError:  # another organisation took it at the same moment
        raise ValidationError({"domains": ["One of these domains has just been given to another organisation"]})
    after = sorted(cleaned)
    if before != after:
        audit_record(
            actor=actor,
            action="organisation.domains",
            target=organisation,
            summary=f"Email domains of {organisation.short_name}: {', '.join(after) or 'none'}",
            data={"changes": {"domains": [before, after]}},
        )
    return after


def domain_match(email: str) -> OrganisationDomain | None:
    """The organisation domain an address is at, the longest (most particular) one when a domain
    and its parent belong to different organisations; None for public mail services."""
    domain = email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""
    if not domain or _public(domain):
        return None
    labels = domain.split(".")
    candidates = [".".join(labels[i:]) for i in range(len(labels) - 1)]
    found = {
        d.domain: d for d in OrganisationDomain.objects.filter(domain__in=candidates).select_related("organisation")
    }
    return next((found[c] for c in candidates if c in found), None)


# ----- Requests -----------------------------------------------------------------------------


def pending_request(user: User) -> MembershipRequest | None:
    return (
        MembershipRequest.objects.filter(user=user, status=MembershipStatus.PENDING)
        .select_related("organisation")
        .first()
    )


def latest_request(user: User) -> MembershipRequest | None:
    """The person's most recent request, whatever became of it (their home page says)."""
    return (
        MembershipRequest.objects.filter(user=user)
        .select_related("organisation")
        .order_by("-created_at", "-pk")
        .first()
    )


def goes_to_signatory(request: MembershipRequest) -> bool:
    """A request made from an address at the organisation's domain goes to its signatories; one
    made from a search, or to an organisation without a signatory, to the programme team."""
    return request.by_domain and council_signatories(organisation_ids=[request.organisation_id]).exists()


@transaction.atomic
def request_join(*, user: User, organisation: Organisation) -> MembershipRequest:
    """Ask to join `organisation` as a council officer. Asking again for the same one returns
    the pending request; someone already linked, or waiting on another, is told so."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.organisation_id is not None:
        raise MembershipError(
            f"You are already linked to {user.organisation.short_name}. "
            "Ask the programme team if you have moved to another organisation"
        )
    existing = pending_request(user)
    if existing is not None:
        if existing.organisation_id == organisation.pk:
            return existing
        raise MembershipError(f"You have already asked to join {existing.organisation.short_name}: wait for an answer")
    if not organisation.is_current:
        raise MembershipError(f"{organisation.short_name} no longer exists: choose a current organisation")
    match = domain_match(user.email)
    matched = match.domain if match is not None and match.organisation_id == organisation.pk else ""
    if not matched and not organisation.is_council:
        raise MembershipError(f"You can only ask to join a council: {organisation.short_name} is not one")
    try:
        with transaction.atomic():
            created = MembershipRequest.objects.create(user=user, organisation=organisation, matched_domain=matched)
    except IntegrityError:  # asked twice at once: the first one stands
        return pending_request(user)
    for hook in _REQUESTED_HOOKS:
        hook(created)
    audit_record(
        actor=user,
        action="membership.request",
        target=user,
        summary=f"{user.email} asked to join {organisation.short_name}"
        + (f" (address at {matched})" if matched else " (chosen from a search)"),
        data={"organisation": organisation.pk, "request": created.pk, "matched_domain": matched},
    )
    return created


def request_by_domain(*, user: User) -> MembershipRequest | None:
    """Called when someone confirms their address: if its domain belongs to an organisation and
    they belong to none, they ask to join it. Never refuses: signing up must not fail over this."""
    match = domain_match(user.email)
    if match is None or user.organisation_id is not None or not match.organisation.is_current:
        return None
    try:
        return request_join(user=user, organisation=match.organisation)
    except MembershipError:
        return None


def can_decide(user: User, request: MembershipRequest) -> bool:
    """Administrators decide any request; a signatory those sent from an address at their own
    organisation's domain."""
    if is_administrator(user):
        return True
    return request.by_domain and is_council_signatory(user=user, organisation_id=request.organisation_id)


def may_decide_requests(user: User) -> bool:
    """Whether this person decides any requests at all (administrators, councils' signatories):
    the home page asks before counting them, the signatories' list page before showing it."""
    return is_administrator(user) or is_council_signatory(user=user, organisation_id=user.organisation_id)


def requests_to_decide(*, user: User) -> QuerySet[MembershipRequest]:
    """Pending requests this person may decide, oldest first: every one for an administrator, the
    domain-matched ones to their own council for a signatory, none for anyone else."""
    qs = MembershipRequest.objects.filter(status=MembershipStatus.PENDING).select_related("user", "organisation")
    if is_administrator(user):
        return qs
    if is_council_signatory(user=user, organisation_id=user.organisation_id):
        return qs.filter(~Q(matched_domain=""), organisation_id=user.organisation_id)
    return qs.none()


# What happens once a request is made or decided besides the record: notifications registers
# the emails (to the deciders, then to the person).
_REQUESTED_HOOKS: list[Callable[[MembershipRequest], None]] = []
_DECIDED_HOOKS: list[Callable[[MembershipRequest], None]] = []


def requested_hook_register(hook: Callable[[MembershipRequest], None]) -> None:
    if hook not in _REQUESTED_HOOKS:
        _REQUESTED_HOOKS.append(hook)


def decided_hook_register(hook: Callable[[MembershipRequest], None]) -> None:
    if hook not in _DECIDED_HOOKS:
        _DECIDED_HOOKS.append(hook)


def _notify(request: MembershipRequest) -> Callable[[], None]:
    def run() -> None:
        for hook in _DECIDED_HOOKS:
            hook(request)

    return run


@transaction.atomic
def decide(
    *, actor: User, request: MembershipRequest, approve: bool, reason: str = "", org_role: str = OrgRole.OFFICER
) -> MembershipRequest:
    """Approve (the person becomes an officer of the organisation, or its certifier of returns:
    issue 17) or decline with a reason the person is sent. Refused to anyone who may not decide
    it, and once it has been decided. Only an administrator makes a signatory."""
    request = MembershipRequest.objects.select_for_update().select_related("user", "organisation").get(pk=request.pk)
    if not can_decide(actor, request):
        raise MembershipError("You cannot decide this request")
    reason = reason.strip()
    if not approve and not reason:
        raise MembershipError({"reason": "Enter the reason, which we send to the person"})
    if request.status != MembershipStatus.PENDING:
        raise MembershipError("This request has already been decided")
    if org_role not in (OrgRole.OFFICER, OrgRole.CERTIFIER):
        raise MembershipError({"decision": "Choose a role an approval can give"})
    person = request.user
    if approve:
        if person.organisation_id is not None:
            raise MembershipError(f"{person.email} is already linked to an organisation")
        people.user_update(actor=actor, user=person, organisation=request.organisation, org_role=org_role)
    to = MembershipStatus.APPROVED if approve else MembershipStatus.DECLINED
    return transition(
        request,
        to=to,
        actor=actor,
        action="membership.approved" if approve else "membership.declined",
        reason=reason,
        target=person,
        summary=f"Request from {person.email} to join {request.organisation.short_name} {to}"
        + (f": {reason}" if reason else ""),
        data={"organisation": request.organisation_id, "request": request.pk},
        fields={"decided_by": actor, "decided_at": timezone.now(), "reason": reason},
        notify=_notify(request),
        error=MembershipError,
    )
