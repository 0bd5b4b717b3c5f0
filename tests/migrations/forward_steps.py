"""The two halves of the forward-migration proof, each run in its own process by test_forward.py.

    python -m tests.migrations.forward_steps old OUT.json  (DJANGO_SETTINGS_MODULE=tests.migrations.legacy_settings)
    python -m tests.migrations.forward_steps new OUT.json  (DJANGO_SETTINGS_MODULE=config.settings)

`old` migrates a scratch database (DATABASE_URL) with the migrations as they were before awards and
reporting became apps, fills it through the historical models of that state (the old code's
models, not today's), and writes every row it can see. `new` migrates the same database with
today's migrations and writes what today's models read back. The test compares the two files.
"""

import itertools
import json
import os
import sys
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import django
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.fields.files import FieldFile

# Tables whose row counts may grow on migrate (bookkeeping, not data).
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}
_counter = itertools.count(1)


def _value(field):
    """A valid value for a required field the caller did not give."""
    n = next(_counter)
    if field.choices:
        return field.choices[0][0]
    kind = field.get_internal_type()
    if kind == "EmailField":
        return f"person{n}@example.org"
    if kind in ("CharField", "SlugField", "TextField"):
        return f"{field.model.__name__.lower()}-{field.name}-{n}"[: field.max_length or 200]
    if kind == "DecimalField":
        return Decimal("1000.00")
    if kind.endswith("IntegerField"):
        return 1
    if kind == "DateTimeField":
        return datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
    if kind == "DateField":
        return date(2025, 5, 1)
    if kind == "JSONField":
        return {}
    if kind == "FileField":
        return f"migration-test/{n}.pdf"
    if kind == "UUIDField":
        return uuid.uuid4()
    raise ValueError(f"give {field.model.__name__}.{field.name} ({kind})")


def _make(apps, model_label: str, /, **given):
    """A row of the historical model `model_label`, with harmless values for required fields not given."""
    model = apps.get_model(model_label)
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in given or field.attname in given:
            continue
        if field.has_default() or field.null or getattr(field, "auto_now", False):
            continue
        if getattr(field, "auto_now_add", False):
            continue
        values[field.name] = _value(field)
    return model.objects.create(**values, **given)


def _rows(model) -> list[dict]:
    """Every row of a table as {column: value}, in primary-key order."""
    fields = model._meta.concrete_fields
    return [{f.column: _plain(getattr(obj, f.attname)) for f in fields} for obj in model.objects.order_by("pk")]


def _plain(value):
    return value.name if isinstance(value, FieldFile) else value


def _counts(connection) -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  (table names from introspection)
            counts[table] = cursor.fetchone()[0]
    return counts


def _moved_tables() -> set[str]:
    """The tables of today's awards and reporting apps (installed, but with no migrations in the old run)."""
    from django.apps import apps

    return {
        model._meta.db_table
        for label in ("awards", "reporting")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    } - ADDED_SINCE_THE_MOVE


# Tables the awards and reporting apps gained after the move: the old code never had them.
ADDED_SINCE_THE_MOVE = {
    "awards_contactlogentry",
    # Issue 17: output forecasts, benefits after closure, programme commitments and deliverables.
    "awards_outputforecast",
    "awards_benefitsprojection",
    "awards_benefitsreturn",
    "reporting_commitment",
    "reporting_deliverable",
    "reporting_deliverableragchange",
    # Issue 18: the history import's jobs.
    "awards_importjob",
}


def old() -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    call_command("migrate", interactive=False, verbosity=0)
    apps = MigrationLoader(connection).project_state().apps
    ContentType = apps.get_model("contenttypes", "ContentType")
    # An old database never had these apps; only this run's settings (apps installed without
    # migrations) made their content types.
    ContentType.objects.filter(app_label__in=["awards", "reporting"]).delete()

    lead, partner, other = apps.get_model("grants", "Organisation").objects.order_by("pk")[:3]
    user = _make(apps, "grants.User", organisation=lead, org_role="officer")
    programme = _make(apps, "grants.Programme", name="Digital inclusion", slug="digital-inclusion", funder=other)
    rnd = _make(
        apps,
        "grants.Round",
        programme=programme,
        name="Round 1",
        slug="round-1",
        budget=Decimal("400000.00"),
        min_award=Decimal("1000.00"),
        max_award=Decimal("100000.00"),
        opens_at=datetime(2025, 4, 1, 9, tzinfo=UTC),
        closes_at=datetime(2025, 5, 1, 12, tzinfo=UTC),
        published=True,
    )
    bid = _make(apps, "applications.Bid", round=rnd, lead=lead, title="Libraries online", created_by=user)
    award = _make(
        apps,
        "grants.Award",
        reference="DI1-000001",
        round=rnd,
        bid=bid,
        lead=lead,
        amount=Decimal("50000.00"),
        award_date=date(2025, 6, 1),
        planned_start=date(2025, 7, 1),
        planned_end=date(2026, 6, 30),
        accepted_by=user,
        created_by=user,
    )
    award.partners.set([partner, other])
    milestone = _make(apps, "grants.Milestone", award=award, description="Kit bought", due_on=date(2025, 9, 1))
    _make(apps, "grants.PaymentTranche", award=award, number=1, amount=Decimal("25000.00"), milestone=milestone)
    period = _make(
        apps,
        "grants.ReturnPeriod",
        round=rnd,
        title="Q1",
        period_start=date(2025, 7, 1),
        period_end=date(2025, 9, 30),
        due_on=date(2025, 10, 31),
    )
    monitoring_return = _make(apps, "grants.MonitoringReturn", award=award, period=period, submitted_by=user)
    output = _make(apps, "grants.RoundOutput", round=rnd, label="People helped")
    _make(apps, "grants.OutputTarget", award=award, output=output, target=Decimal("100.00"))
    _make(apps, "grants.OutputValue", monitoring_return=monitoring_return, output=output, value=Decimal("40.00"))
    _make(apps, "grants.Variation", award=award, requested_by=user)
    _make(apps, "grants.FundReturn", award=award, amount=Decimal("500.00"), recorded_by=user)
    _make(
        apps,
        "grants.AwardEvidenceFile",
        award=award,
        milestone=milestone,
        original_name="receipt.pdf",
        content_type="application/pdf",
        size=1234,
        uploaded_by=user,
    )
    _make(apps, "grants.ExportJob", created_by=user)
    _make(apps, "grants.BoardSummary", programme=programme, as_at=date(2025, 6, 30), updated_by=user)
    _make(apps, "grants.PublishedFile", published_by=user)
    _make(
        apps,
        "grants.AuditEvent",
        action="award.accept",
        target_type="grants.award",
        target_id=str(award.pk),
        actor=user,
    )

    moved = _moved_tables()
    historical = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    missing = moved - set(historical)
    assert not missing, f"the old schema has no model for {missing}"
    return {
        "award_id": award.pk,
        "partner_ids": sorted([partner.pk, other.pk]),
        "rows": {table: _rows(historical[table]) for table in sorted(moved)},
        "counts": _counts(connection),
        "content_types": {f"{ct.app_label}.{ct.model}": ct.pk for ct in ContentType.objects.filter(app_label="grants")},
    }


def new() -> dict:
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    from grants.awards.models import Award

    call_command("migrate", interactive=False, verbosity=0)
    try:
        call_command("makemigrations", check=True, dry_run=True, verbosity=0)
        makemigrations_clean = True
    except SystemExit:
        makemigrations_clean = False

    moved = _moved_tables()
    current = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    award = Award.objects.select_related("round", "bid", "lead").get()
    AuditEvent = apps.get_model("grants", "AuditEvent")
    return {
        "makemigrations_clean": makemigrations_clean,
        "award_app_label": Award._meta.app_label,
        "award": {
            "id": award.pk,
            "reference": award.reference,
            "bid_title": award.bid.title,
            "partner_ids": sorted(award.partners.values_list("pk", flat=True)),
            "tranches": award.tranches.count(),
            "milestones": award.milestones.count(),
            "returns": award.returns.count(),
            "variations": award.variations.count(),
            "evidence_files": award.evidence_files.count(),
            "fund_returns": award.fund_returns.count(),
        },
        "audit_target_types": sorted(AuditEvent.objects.values_list("target_type", flat=True)),
        "rows": {table: _rows(current[table]) for table in sorted(moved)},
        "counts": _counts(connection),
        "content_types": {
            f"{ct.app_label}.{ct.model}": ct.pk
            for ct in ContentType.objects.filter(app_label__in=["grants", "awards", "reporting"])
        },
    }


if __name__ == "__main__":
    step, out = sys.argv[1], sys.argv[2]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    result = {"old": old, "new": new}[step]()
    with open(out, "w") as f:
        json.dump(result, f, cls=DjangoJSONEncoder, indent=1, sort_keys=True)
