"""The record of processing: what personal data each model holds, why, on what lawful basis, about
whom and for how long (UK GDPR Article 30), declared beside the models and collected here.

Each app declares its models in its own `personal_data.py` (found at start-up by
`autodiscover_modules("personal_data")` in `GrantsConfig.ready`); the grants app declares
Django's and allauth's models too. The privacy notice is rendered from this registry, the
subject-access export finds a person's rows through it, and erasure deletes or blanks what it
says. `tests/grants/test_personal_data_record.py` introspects every installed model and fails
on a field that looks personal and nobody declared, so the record cannot drift from the schema.

Retention rules are registered here too (`retention_rule`): each app owns the service that
applies its rule, and one beat task (grants.tasks.retention_apply) runs them all. The periods
are read from settings (`GRANTBENCH_RETENTION`), so the notice states the period the service
applies. This module imports no domain code.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q

from .dates import duration_words
from .words import counted

# UK GDPR Article 6(1): the bases this service relies on, as the notice words them.
LAWFUL_BASES = {
    "public_task": "Public task: to run grant programmes in the public interest (Article 6(1)(e))",
    "legal_obligation": "Legal obligation: to keep financial and audit records the law requires (Article 6(1)(c))",
    "contract": "Contract: to make and manage grant agreements with councils (Article 6(1)(b))",
    "legitimate_interests": "Legitimate interests: to keep the service secure (Article 6(1)(f))",
}

# Who data is about, as the notice names them.
SUBJECTS = {
    "everyone": "everyone with an account",
    "officer": "council officers",
    "signatory": "authorised signatories and certifiers",
    "assessor": "panel members",
    "staff": "programme staff",
    "contact": "people named as contacts",
}


def retention_days(key: str) -> int:
    """One period from settings.GRANTBENCH_RETENTION, e.g. retention_days("email_bodies")."""
    return int(settings.GRANTBENCH_RETENTION[f"{key}_days"])


def _days(n: int) -> str:
    return counted(n, "day")


def _retention_texts() -> dict[str, str]:
    years = settings.GRANTBENCH_RETENTION_YEARS
    return {
        "grant_records": f"{counted(years, 'year')} after the grant or the funding round ends",
        "account": f"While your account is open; erased {_days(retention_days('closed_accounts'))} after it is closed",
        "email_bodies": f"The content of each message for {_days(retention_days('email_bodies'))}; "
        "the record of who was sent what, and when, with the grant records",
        "abandoned_drafts": f"Bids never submitted: deleted {_days(retention_days('abandoned_drafts'))} "
        "after the round closes; otherwise as the grant records",
        "export_files": f"{_days(retention_days('export_files'))}, then deleted automatically",
        "session": "When you close your browser"
        if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        else f"{duration_words(settings.SESSION_COOKIE_AGE)} after you last use the service",
        "security": "Until used or expired, and no longer than the account",
    }


def retention_text(key: str) -> str:
    return _retention_texts()[key]


# What each retention rule covers, as the privacy notice's table names it.
RETENTION_LABELS = {
    "grant_records": "Bids, scores, decisions, awards, payments, returns, their files and the audit trail",
    "email_bodies": "Emails and messages the service sent you (the email log)",
    "abandoned_drafts": "Draft bids",
    "account": "Your account, two-factor authentication and notification settings",
    "export_files": "Downloaded exports (spreadsheets made for staff)",
    "session": "Your signed-in session",
    "security": "Links to confirm an email address",
}


@dataclass(frozen=True)
class Holding:
    """One model's personal data.

    `person`: how a row is linked to a person, for the export and erasure: lookups to the user
    (`"created_by"`, `"assessment__assignment__assessor"`) or functions user -> Q.
    `files`: file fields the person's rows carry (exported with them). `secret`: fields never
    exported (password hashes, authenticator secrets). `on_erasure`: "keep" (a grant or audit
    record: kept, pointing at the anonymised user, its text rewritten), "delete" (the row goes),
    or "blank" (the fields in `blank` are emptied on the person's rows)."""

    model: str
    fields: tuple[str, ...]
    purpose: str
    basis: str
    about: tuple[str, ...]
    retention: str
    person: tuple[str | Callable[[models.Model], Q], ...] = ()
    files: tuple[str, ...] = ()
    secret: tuple[str, ...] = ()
    on_erasure: str = "keep"
    blank: dict[str, object] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # plainer words than a field's verbose name
    title: str = ""  # plainer words than the model's verbose name, for the privacy notice

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def rows_of(self, user: models.Model) -> models.QuerySet:
        """Every row of this model about or by `user` (none if the model links rows to nobody)."""
        query = Q(pk__in=[])
        for link in self.person:
            query |= link(user) if callable(link) else Q(**{link: user.pk})
        manager = self.model_class._base_manager
        return manager.filter(pk__in=manager.filter(query).values("pk"))


_REGISTRY: dict[str, Holding] = {}


def declare(model: str, *, fields, purpose: str, basis: str, about, retention: str, **extra) -> Holding:
    """Declare one model's personal data; a typo in a basis, subject or rule fails at start-up."""
    if basis not in LAWFUL_BASES:
        raise ImproperlyConfigured(f"{model}: lawful basis must be one of {sorted(LAWFUL_BASES)}, not {basis!r}")
    if unknown := set(about) - set(SUBJECTS):
        raise ImproperlyConfigured(f"{model}: unknown data subjects {sorted(unknown)}")
    if retention not in _retention_texts():
        raise ImproperlyConfigured(f"{model}: unknown retention rule {retention!r}")
    if extra.get("on_erasure", "keep") not in ("keep", "delete", "blank"):
        raise ImproperlyConfigured(f"{model}: on_erasure must be keep, delete or blank")
    holding = Holding(
        model=model.lower(),
        fields=tuple(fields),
        purpose=purpose,
        basis=basis,
        about=tuple(about),
        retention=retention,
        **{k: tuple(v) if isinstance(v, list) else v for k, v in extra.items()},
    )
    if model.lower() in _REGISTRY and _REGISTRY[model.lower()] != holding:
        raise ImproperlyConfigured(f"{model} is declared twice, differently")
    _REGISTRY[model.lower()] = holding
    return holding


_NOT_PERSONAL: dict[str, str] = {}


def not_personal(model: str, fields, why: str) -> None:
    """Fields whose names look personal but are not (a council's name, a round's contact role):
    written down with the reason, so the record's completeness test knows they were considered."""
    for name in fields:
        _NOT_PERSONAL[f"{model.lower()}.{name}"] = why


def is_declared_not_personal(model: type[models.Model], name: str) -> bool:
    return f"{model._meta.label_lower}.{name}" in _NOT_PERSONAL


def holdings() -> list[Holding]:
    return sorted(_REGISTRY.values(), key=lambda h: h.model)


def retention_table() -> list[dict[str, str]]:
    """The notice's 'how long' table, with the periods settings give."""
    texts = _retention_texts()
    return [{"record": label, "kept_for": texts[key], "rule": key} for key, label in RETENTION_LABELS.items()]


def notice_rows() -> list[dict]:
    """The record of processing as the privacy notice shows it: one row a purpose, listing what
    is held for it (each model's fields by their labels), about whom, on what basis, how long."""
    rows: dict[tuple, dict] = {}
    texts = _retention_texts()
    for h in holdings():
        model = h.model_class
        labels = [h.labels.get(f) or str(model._meta.get_field(f).verbose_name) for f in h.fields]
        row = rows.setdefault(
            (h.purpose, h.basis),
            {"purpose": h.purpose, "basis": LAWFUL_BASES[h.basis], "what": [], "about": set(), "kept": set()},
        )
        row["what"].append(f"{h.title or model._meta.verbose_name}: {', '.join(labels)}")
        row["about"] |= {SUBJECTS[a] for a in h.about}
        row["kept"].add(texts[h.retention])
    return [
        {**row, "about": sorted(row["about"]), "kept": sorted(row["kept"])}
        for row in sorted(rows.values(), key=lambda r: r["purpose"])
    ]


def holding_for(model: type[models.Model]) -> Holding | None:
    return _REGISTRY.get(model._meta.label_lower)


PERSONAL_NAMES = (
    "name",
    "first_name",
    "last_name",
    "full_name",
    "phone",
    "telephone",
    "mobile",
    "email",
    "ip",
    "ip_address",
    "address",
    "job_title",
    "signature",
    "participants",
)


def looks_personal(model_field: models.Field) -> bool:
    """Does this field hold personal data whatever the model: a link to a person, an email
    address, or a name that says so (`contact_name`, `declaration_role` of a named officer...)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if model_field.is_relation and model_field.related_model is user_model:
        return True
    if isinstance(model_field, models.EmailField | models.GenericIPAddressField):
        return True
    name = model_field.name
    return name in PERSONAL_NAMES or name.endswith(("_name", "_email", "_phone", "_role", "_title"))


# Retention rules: name -> service(now) -> how many rows it changed.
_RULES: dict[str, Callable[[datetime], int]] = {}


def retention_rule(name: str) -> Callable:
    """Register the service that applies one retention rule. It must be idempotent: beat may run
    it twice, and a second run the same day changes nothing."""

    def register(fn: Callable[[datetime], int]) -> Callable[[datetime], int]:
        if name in _RULES and _RULES[name] is not fn:
            raise ImproperlyConfigured(f"Retention rule {name!r} is registered twice")
        _RULES[name] = fn
        return fn

    return register


def retention_rules() -> dict[str, Callable[[datetime], int]]:
    return dict(sorted(_RULES.items()))
