"""The reporting app's tables, created here on a new database and adopted, rows and all, on one made
when these models lived in the grants app (see grants.core.migration_ops)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from grants.core.migration_ops import CreateOrAdoptModels, relabel


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("grants", "0007_award_evidence_file"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateOrAdoptModels(
            [
                migrations.CreateModel(
                    name="ExportJob",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "table",
                            models.CharField(
                                help_text="A name in grants.core.exports.TABLES, or 360giving", max_length=40
                            ),
                        ),
                        ("fmt", models.CharField(max_length=10, verbose_name="format")),
                        (
                            "params",
                            models.JSONField(
                                blank=True, default=dict, help_text="The filters on screen when it was asked for"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Waiting to start"),
                                    ("running", "In progress"),
                                    ("done", "Ready"),
                                    ("failed", "Failed"),
                                ],
                                default="queued",
                                max_length=10,
                            ),
                        ),
                        ("rows_done", models.PositiveIntegerField(default=0)),
                        ("rows_total", models.PositiveIntegerField(default=0)),
                        ("file", models.FileField(blank=True, upload_to="exports/")),
                        ("filename", models.CharField(blank=True, max_length=120)),
                        ("error", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="export_jobs",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "grants_exportjob",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="PublishedFile",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("fmt", models.CharField(max_length=10, verbose_name="format")),
                        ("file", models.FileField(upload_to="open-data/")),
                        ("filename", models.CharField(max_length=120)),
                        ("grants", models.PositiveIntegerField(default=0)),
                        ("total_awarded", models.DecimalField(decimal_places=2, default=0, max_digits=16)),
                        ("published_at", models.DateTimeField(auto_now_add=True)),
                        ("withdrawn", models.BooleanField(default=False)),
                        (
                            "published_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "grants_publishedfile",
                        "ordering": ["-published_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="BoardSummary",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("as_at", models.DateField(help_text="The quarter end the report is made at")),
                        ("summary", models.TextField(max_length=1000)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "programme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="board_summaries",
                                to="grants.programme",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "grants_boardsummary",
                        "ordering": ["-as_at", "programme__name"],
                        "constraints": [
                            models.UniqueConstraint(fields=("programme", "as_at"), name="boardsummary_one_per_quarter")
                        ],
                    },
                ),
            ]
        ),
        relabel("grants", "reporting", ["exportjob", "publishedfile", "boardsummary"]),
    ]
