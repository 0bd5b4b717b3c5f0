"""Erasure (UK GDPR Article 17): a person is anonymised, their grant records and the audit trail kept.

The user row stays, so every bid, award, score, return and audit record keeps pointing at the same
row, which now reads "Erased person <n>". What is only about the person goes (their sign-in email
addresses, two-factor authenticators, sessions, notification settings, staff roles: the record of
processing, grants.core.personal_data, says `on_erasure="delete"`), the content of the messages
sent to them is blanked, and their old name and email are rewritten to the pseudonym wherever
they appear in text: a bid's declaration, an audit summary ("Changed alice@..."), a message.

Why rewrite audit text rather than keep it: the audit trail's job is who did what and when, and
that survives, because rows are neither deleted nor re-dated and the actor is still a foreign key
to the same row. The trail is append-only on PostgreSQL (a trigger, grants migration 0008); migration 0017 lets
an erasure, and only inside its own transaction, change an audit row's summary and data but never
its time, actor, action or target, and never delete one. The erasure itself is an audit record
(who erased whom, why, how many rows were rewritten), so the rewrite is visible. Keeping the old
name in the trail would mean the person was not erased.
"""

import json
import re
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import F, Q, TextField
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from .core.audit import audit_record
from .core.personal_data import holdings, retention_days
from .core.words import counted
from .models import AuditEvent, StaffRole, User

ERASED_DOMAIN = "erased.invalid"


def erased_name(user: User) -> str:
    return f"Erased person {user.pk}"


def erased_email(user: User) -> str:
    return f"erased-{user.pk}@{ERASED_DOMAIN}"


def is_erased(user: User) -> bool:
    return user.email.endswith(f"@{ERASED_DOMAIN}")


def session_keys_of(user: User) -> list[str]:
    """The keys of the live sessions signed in as `user` (sessions store the id encoded)."""
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            keys.append(session.session_key)
    return keys


def _other_administrators(person: User) -> models.QuerySet:
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(staff_roles__role=StaffRole.Role.ADMINISTRATOR))
        .exclude(pk=person.pk)
        .exclude(email__endswith=f"@{ERASED_DOMAIN}")
    )


def erasure_refusal(*, actor: User | None, person: User) -> str:
    """Why this person may not be erased by this actor, or "" if they may."""
    if is_erased(person):
        return "This person has already been erased."
    if actor is not None and actor.pk == person.pk:
        return "You cannot erase yourself. Ask another administrator."
    is_admin = person.is_superuser or person.staff_roles.filter(role=StaffRole.Role.ADMINISTRATOR).exists()
    if is_admin and person.is_active and not _other_administrators(person).exists():
        return "This is the last administrator. Give someone else the administrator role first."
    return ""


def _tokens(person: User) -> dict[str, str]:
    """What to rewrite, longest first, and what to: the person's emails, then their names."""
    email_model = apps.get_model("account", "EmailAddress")
    emails = {person.email, *email_model.objects.filter(user=person).values_list("email", flat=True)}
    names = {person.full_name.strip(), f"{person.first_name} {person.last_name}".strip()}
    # Names they had before (grants.people.user_update records each change as [before, after]).
    for data in AuditEvent.objects.filter(
        action="user.update", target_type="grants.user", target_id=str(person.pk)
    ).values_list("data", flat=True):
        names |= {str(n).strip() for n in (data or {}).get("changes", {}).get("full_name", [])}
    out = {e: erased_email(person) for e in emails if len(e) >= 3}
    out |= {n: erased_name(person) for n in names if len(n) >= 3}
    return dict(sorted(out.items(), key=lambda kv: -len(kv[0])))


def _rewrite(value, tokens: dict[str, str]):
    if isinstance(value, str):
        for old, new in tokens.items():
            value = re.sub(re.escape(old), new, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_rewrite(v, tokens) for v in value]
    if isinstance(value, dict):
        return {_rewrite(k, tokens): _rewrite(v, tokens) for k, v in value.items()}
    return value


def _text_fields(model: type[models.Model]):
    for f in model._meta.concrete_fields:
        if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices:
            if f.name != "password":
                yield f


def text_rewrite(tokens: dict[str, str]) -> int:
    """Rewrite every text and JSON column of every model where a token appears; returns how many
    rows changed. One query a column to find rows, then one update a row (no save(): no signals,
    no auto_now)."""
    changed = 0
    for model in apps.get_models():
        if model is Session or model._meta.proxy or not model._meta.managed:
            continue
        for f in _text_fields(model):
            is_json = isinstance(f, models.JSONField)
            column = Cast(f.name, TextField()) if is_json else F(f.name)
            query = Q()
            for old in tokens:
                query |= Q(_gdpr_text__icontains=old)
                if is_json:
                    query |= Q(_gdpr_text__icontains=_json_escaped(old))
            rows = model._base_manager.annotate(_gdpr_text=column).filter(query).values_list("pk", f.attname)
            for pk, value in rows:
                new = _rewrite(value, tokens)
                if new != value:
                    model._base_manager.filter(pk=pk).update(**{f.attname: new})
                    changed += 1
    return changed


def _json_escaped(text: str) -> str:
    return json.dumps(text)[1:-1]


def person_erase(*, actor: User | None, person: User, reason: str) -> dict[str, int]:
    """Anonymise `person` (see the module's docstring); returns what was done, by kind.
    ValidationError if the actor may not erase them or gave no reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this person is being erased"})
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if refusal := erasure_refusal(actor=actor, person=person):
            raise ValidationError(refusal)
        tokens = _tokens(person)
        done: dict[str, int] = {}
        for holding in holdings():
            if holding.on_erasure == "delete":
                done[holding.model] = holding.rows_of(person).delete()[0]
            elif holding.on_erasure == "blank":
                done[holding.model] = holding.rows_of(person).update(**holding.blank)
        User.objects.filter(pk=person.pk).update(
            full_name=erased_name(person),
            first_name="",
            last_name="",
            email=erased_email(person),
            password=_unusable_password(),
            is_active=False,
            is_staff=False,
            is_superuser=False,
            org_role="",
            organisation=None,
            last_login=None,
        )
        with _audit_text_rewritable():
            done["rewritten"] = text_rewrite(tokens)
        audit_record(
            actor=actor,
            action="user.erased",
            target=person,
            summary=f"Erased: {_rewrite(reason, tokens)}",
            data={k: v for k, v in done.items() if v},
        )
    return done


@contextmanager
def _audit_text_rewritable():
    """On PostgreSQL the audit trail is append-only (grants migrations 0008 and 0017): this lets
    the statements inside it change an audit row's summary and data, never its time, actor, action
    or target, for this transaction only. SQLite has no trigger."""
    guarded = connection.vendor == "postgresql"
    if guarded:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('grantbench.erasure', 'on', true)")
    try:
        yield
    finally:
        if guarded:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('grantbench.erasure', 'off', true)")


def _unusable_password() -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(None)


def closed_accounts(*, now: datetime) -> models.QuerySet:
    """Accounts closed (inactive) and unused for longer than the period, not yet erased."""
    cutoff = now - timedelta(days=retention_days("closed_accounts"))
    return (
        User.objects.filter(is_active=False)
        .exclude(email__endswith=f"@{ERASED_DOMAIN}")
        .annotate(last_used=Coalesce("last_login", "date_joined"))
        .filter(last_used__lt=cutoff)
    )


def closed_accounts_erase(*, now: datetime) -> int:
    """The retention rule: erase each closed account past the period, through person_erase.
    Idempotent: an erased account is not found again."""
    days = retention_days("closed_accounts")
    erased = 0
    for person in closed_accounts(now=now):
        if erasure_refusal(actor=None, person=person):
            continue
        person_erase(actor=None, person=person, reason=f"Account closed and unused for over {counted(days, 'day')}")
        erased += 1
    return erased
