"""The personal data the reference-data app holds, and Django's and allauth's models (the record
of processing: grants.core.personal_data). Also the closed-accounts retention rule."""

from datetime import datetime

from django.db.models import Q

from .core.personal_data import declare, not_personal, retention_rule


def _sessions(user) -> Q:
    from .erasure import session_keys_of

    return Q(session_key__in=session_keys_of(user))


def _audit_about(user) -> Q:
    return Q(actor=user) | Q(target_type="grants.user", target_id=str(user.pk))


declare(
    "grants.User",
    fields=["full_name", "first_name", "last_name", "email", "organisation", "org_role", "last_login"],
    purpose="To let you sign in, know which council you act for, and contact you about bids and grants",
    basis="public_task",
    about=["everyone"],
    retention="account",
    person=["pk"],
    secret=["password"],
    labels={"org_role": "role at the council", "last_login": "when you last signed in"},
)
declare(
    "grants.StaffRole",
    fields=["user", "role", "programme"],
    purpose="To give programme staff the access their job needs",
    basis="public_task",
    about=["staff"],
    retention="account",
    person=["user"],
    on_erasure="delete",
)
declare(
    "grants.AuditEvent",
    fields=["actor", "summary", "data"],
    purpose="To show who did what and when, so decisions about public money can be checked",
    basis="legal_obligation",
    about=["everyone"],
    retention="grant_records",
    person=[_audit_about],
    labels={"actor": "who did it", "summary": "what they did", "data": "details of the change"},
)
declare(
    "grants.MembershipRequest",
    fields=["user", "requested_role", "decided_by", "reason"],
    purpose="To check that people who ask to act for a council work there",
    basis="public_task",
    about=["officer"],
    retention="grant_records",
    person=["user", "decided_by"],
)
declare(
    "grants.Note",
    fields=["author", "text"],
    purpose="Programme staff's notes on bids, awards and returns",
    basis="public_task",
    about=["staff", "officer"],
    retention="grant_records",
    person=["author"],
)
for model in ("grants.Programme", "grants.Round"):
    declare(
        model,
        fields=["contact_name", "contact_email"],
        purpose="To tell councils whom to ask about a programme or round",
        basis="public_task",
        about=["contact"],
        retention="grant_records",
    )
# Django's and allauth's own models.
declare(
    "admin.LogEntry",
    fields=["user", "object_repr", "change_message"],
    purpose="Django admin's record of changes made by administrators",
    basis="legal_obligation",
    about=["staff"],
    retention="grant_records",
    person=["user"],
    labels={"object_repr": "the record changed", "change_message": "what changed"},
)
declare(
    "sessions.Session",
    fields=["session_data"],
    purpose="To keep you signed in",
    basis="public_task",
    about=["everyone"],
    retention="session",
    person=[_sessions],
    secret=["session_key", "session_data"],
    on_erasure="delete",
    labels={"session_data": "which account is signed in"},
)
declare(
    "account.EmailAddress",
    fields=["user", "email"],
    purpose="To sign you in and confirm your email address",
    basis="public_task",
    about=["everyone"],
    retention="account",
    person=["user"],
    on_erasure="delete",
)
declare(
    "account.EmailConfirmation",
    fields=["email_address", "key"],
    purpose="To confirm your email address",
    basis="public_task",
    about=["everyone"],
    retention="security",
    person=["email_address__user"],
    secret=["key"],
    on_erasure="delete",
    labels={"key": "the link's code"},
)
declare(
    "mfa.Authenticator",
    fields=["user", "type", "data"],
    purpose="Two-factor authentication, to keep accounts that see bids and payments secure",
    basis="legitimate_interests",
    about=["everyone"],
    retention="account",
    person=["user"],
    secret=["data"],
    on_erasure="delete",
    labels={"type": "kind of authenticator", "data": "its secret and recovery codes"},
)
not_personal("grants.Organisation", ["name", "short_name"], "a council's name")
not_personal("grants.OrganisationAlias", ["name"], "another name of a council")
not_personal("grants.Partnership", ["name"], "a partnership of councils")
not_personal("grants.Programme", ["name"], "a programme's name")
not_personal("grants.Round", ["name"], "a round's name")
not_personal("auth.Permission", ["name"], "a permission's name")
not_personal("auth.Group", ["name"], "a group's name")


@retention_rule("closed_accounts")
def _closed_accounts(now: datetime) -> int:
    from .erasure import closed_accounts_erase

    return closed_accounts_erase(now=now)
