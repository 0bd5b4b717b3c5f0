"""The awards app's tables, created here on a new database and adopted, rows and all, on one made
when these models lived in the grants app (see grants.core.migration_ops)."""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import grants.awards.models.monitoring
from grants.core.migration_ops import CreateOrAdoptModels, relabel


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("applications", "0002_bidpartner_requested_index"),
        ("grants", "0007_award_evidence_file"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateOrAdoptModels(
            [
                migrations.CreateModel(
                    name="Award",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("reference", models.CharField(max_length=30, unique=True)),
                        ("title", models.CharField(max_length=200)),
                        (
                            "scope",
                            models.TextField(
                                blank=True, help_text="What the project will do; a variation may change it"
                            ),
                        ),
                        (
                            "amount",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=14,
                                validators=[django.core.validators.MinValueValidator(Decimal("0.00"))],
                            ),
                        ),
                        ("conditions", models.TextField(blank=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("offered", "Offered"),
                                    ("accepted", "Accepted"),
                                    ("declined", "Declined"),
                                    ("active", "Active"),
                                    ("completed", "Completed"),
                                    ("withdrawn", "Withdrawn"),
                                    ("terminated", "Terminated"),
                                ],
                                db_index=True,
                                default="offered",
                                max_length=20,
                            ),
                        ),
                        ("status_reason", models.TextField(blank=True)),
                        ("status_changed_at", models.DateTimeField(blank=True, null=True)),
                        ("award_date", models.DateField()),
                        (
                            "respond_by",
                            models.DateField(blank=True, help_text="The date the council should accept by", null=True),
                        ),
                        ("planned_start", models.DateField(blank=True, null=True)),
                        ("planned_end", models.DateField(blank=True, null=True)),
                        ("accepted_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "accepted_name",
                            models.CharField(blank=True, max_length=150, verbose_name="name of signatory"),
                        ),
                        (
                            "accepted_role",
                            models.CharField(blank=True, max_length=150, verbose_name="job title of signatory"),
                        ),
                        ("accepted_terms", models.JSONField(blank=True, editable=False, null=True)),
                        ("closure_report", models.TextField(blank=True, verbose_name="end-of-project report")),
                        (
                            "closure_report_count",
                            models.PositiveSmallIntegerField(default=0, help_text="Times the report was sent"),
                        ),
                        ("case_study", models.TextField(blank=True)),
                        ("closed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "is_historic",
                            models.BooleanField(default=False, help_text="Entered directly, not from a bid"),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "accepted_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "bid",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="award",
                                to="applications.bid",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "lead",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="awards_led",
                                to="grants.organisation",
                            ),
                        ),
                        (
                            "partners",
                            models.ManyToManyField(
                                blank=True, related_name="awards_partnered", to="grants.organisation"
                            ),
                        ),
                        (
                            "round",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, related_name="awards", to="grants.round"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "grants_award",
                        "ordering": ["-award_date", "reference"],
                    },
                ),
                migrations.CreateModel(
                    name="FundReturn",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("returned", "Returned by the council"),
                                    ("clawback", "Clawed back by the funder"),
                                ],
                                default="returned",
                                max_length=20,
                            ),
                        ),
                        (
                            "amount",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=14,
                                validators=[django.core.validators.MinValueValidator(Decimal("0.00"))],
                            ),
                        ),
                        ("returned_on", models.DateField()),
                        ("reason", models.TextField()),
                        ("recorded_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "award",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="fund_returns",
                                to="awards.award",
                            ),
                        ),
                        (
                            "recorded_by",
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
                        "db_table": "grants_fundreturn",
                        "ordering": ["returned_on", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Milestone",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("description", models.CharField(max_length=300)),
                        ("due_on", models.DateField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("not_started", "Not started"),
                                    ("in_progress", "In progress"),
                                    ("complete", "Complete"),
                                    ("missed", "Missed"),
                                ],
                                default="not_started",
                                max_length=20,
                            ),
                        ),
                        (
                            "evidence",
                            models.TextField(
                                blank=True, help_text="What shows the progress, for example a link or a summary"
                            ),
                        ),
                        ("status_updated_at", models.DateTimeField(blank=True, null=True)),
                        ("confirmed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "award",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="milestones",
                                to="awards.award",
                            ),
                        ),
                        (
                            "confirmed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
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
                        "db_table": "grants_milestone",
                        "ordering": ["due_on", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="MonitoringReturn",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("due", "Not submitted"),
                                    ("submitted", "Submitted"),
                                    ("changes_requested", "Changes requested"),
                                    ("approved", "Approved"),
                                ],
                                default="due",
                                max_length=20,
                            ),
                        ),
                        (
                            "rag",
                            models.CharField(
                                blank=True,
                                choices=[("green", "Green"), ("amber", "Amber"), ("red", "Red")],
                                max_length=10,
                                verbose_name="RAG status",
                            ),
                        ),
                        ("commentary", models.TextField(blank=True)),
                        (
                            "evidence",
                            models.TextField(
                                blank=True, help_text="Links or a summary of the evidence for this period"
                            ),
                        ),
                        ("submitted_at", models.DateTimeField(blank=True, null=True)),
                        ("submission_count", models.PositiveSmallIntegerField(default=0)),
                        ("reviewed_at", models.DateTimeField(blank=True, null=True)),
                        ("review_reason", models.TextField(blank=True, help_text="Why changes were requested")),
                        (
                            "award",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="returns", to="awards.award"
                            ),
                        ),
                        (
                            "reviewed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "submitted_by",
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
                        "db_table": "grants_monitoringreturn",
                        "ordering": ["period__due_on", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="AwardEvidenceFile",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "file",
                            models.FileField(
                                max_length=255, upload_to=grants.awards.models.monitoring.award_evidence_upload_to
                            ),
                        ),
                        ("original_name", models.CharField(max_length=255)),
                        ("content_type", models.CharField(max_length=120)),
                        ("size", models.PositiveBigIntegerField()),
                        ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "award",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="evidence_files",
                                to="awards.award",
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "milestone",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="evidence_files",
                                to="awards.milestone",
                            ),
                        ),
                        (
                            "monitoring_return",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="evidence_files",
                                to="awards.monitoringreturn",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "grants_awardevidencefile",
                        "ordering": ["uploaded_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="PaymentTranche",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("number", models.PositiveSmallIntegerField()),
                        (
                            "amount",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=14,
                                validators=[django.core.validators.MinValueValidator(Decimal("0.00"))],
                            ),
                        ),
                        ("due_on", models.DateField(blank=True, null=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[("planned", "Planned"), ("paid", "Paid")], default="planned", max_length=20
                            ),
                        ),
                        ("approved_at", models.DateTimeField(blank=True, null=True)),
                        ("paid_on", models.DateField(blank=True, null=True)),
                        ("payment_reference", models.CharField(blank=True, max_length=60)),
                        (
                            "approved_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "award",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="tranches", to="awards.award"
                            ),
                        ),
                        (
                            "milestone",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="tranches",
                                to="awards.milestone",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "grants_paymenttranche",
                        "ordering": ["number"],
                    },
                ),
                migrations.CreateModel(
                    name="ReturnPeriod",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("title", models.CharField(max_length=100)),
                        ("period_start", models.DateField()),
                        ("period_end", models.DateField()),
                        ("due_on", models.DateField()),
                        (
                            "round",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="return_periods",
                                to="grants.round",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "grants_returnperiod",
                        "ordering": ["due_on", "pk"],
                    },
                ),
                migrations.AddField(
                    model_name="monitoringreturn",
                    name="period",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="returns", to="awards.returnperiod"
                    ),
                ),
                migrations.CreateModel(
                    name="RoundOutput",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("savings", "Savings"),
                                    ("income", "Income generated"),
                                    ("cost_avoidance", "Cost avoidance"),
                                    ("capital_receipts", "Capital receipts"),
                                    ("running_cost_savings", "Running-cost savings"),
                                    ("jobs_created", "Jobs created"),
                                    ("homes", "Homes (land released for)"),
                                    ("people_reached", "People reached"),
                                    ("projects_live", "Projects live"),
                                    ("custom", "Custom"),
                                ],
                                max_length=30,
                            ),
                        ),
                        ("label", models.CharField(blank=True, help_text="Needed for a custom output", max_length=120)),
                        ("unit", models.CharField(choices=[("pounds", "Pounds"), ("count", "Count")], max_length=10)),
                        ("order", models.PositiveSmallIntegerField(default=0)),
                        (
                            "round",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="outputs", to="grants.round"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "grants_roundoutput",
                        "ordering": ["order", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="OutputValue",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "value",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=14,
                                validators=[django.core.validators.MinValueValidator(Decimal("0.00"))],
                            ),
                        ),
                        (
                            "monitoring_return",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="values",
                                to="awards.monitoringreturn",
                            ),
                        ),
                        (
                            "output",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="values",
                                to="awards.roundoutput",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "grants_outputvalue",
                    },
                ),
                migrations.CreateModel(
                    name="OutputTarget",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "target",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=14,
                                validators=[django.core.validators.MinValueValidator(Decimal("0.00"))],
                            ),
                        ),
                        (
                            "award",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="output_targets",
                                to="awards.award",
                            ),
                        ),
                        (
                            "output",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="targets",
                                to="awards.roundoutput",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "grants_outputtarget",
                    },
                ),
                migrations.CreateModel(
                    name="Variation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("dates", "Change dates"),
                                    ("amount", "Change the amount"),
                                    ("scope", "Change the scope"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("reason", models.TextField()),
                        ("new_planned_start", models.DateField(blank=True, null=True)),
                        ("new_planned_end", models.DateField(blank=True, null=True)),
                        (
                            "new_amount",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                validators=[django.core.validators.MinValueValidator(Decimal("0.00"))],
                            ),
                        ),
                        ("new_scope", models.TextField(blank=True)),
                        (
                            "previous",
                            models.JSONField(
                                blank=True, default=dict, help_text="The values before an approved change"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting for a decision"),
                                    ("approved", "Approved"),
                                    ("refused", "Refused"),
                                ],
                                default="pending",
                                max_length=20,
                            ),
                        ),
                        ("requested_at", models.DateTimeField(auto_now_add=True)),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        ("decision_reason", models.TextField(blank=True)),
                        (
                            "award",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="variations",
                                to="awards.award",
                            ),
                        ),
                        (
                            "decided_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "requested_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "grants_variation",
                        "ordering": ["-requested_at", "-pk"],
                    },
                ),
                migrations.AddIndex(
                    model_name="award",
                    index=models.Index(fields=["round", "status"], name="grants_awar_round_i_8ba072_idx"),
                ),
                migrations.AddConstraint(
                    model_name="award",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("planned_end__isnull", True),
                            ("planned_start__isnull", True),
                            ("planned_end__gte", models.F("planned_start")),
                            _connector="OR",
                        ),
                        name="award_end_after_start",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="fundreturn",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="fundreturn_amount_positive"
                    ),
                ),
                migrations.AddIndex(
                    model_name="milestone",
                    index=models.Index(fields=["due_on", "status"], name="grants_mile_due_on_f565d9_idx"),
                ),
                migrations.AddConstraint(
                    model_name="awardevidencefile",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("milestone__isnull", True), ("monitoring_return__isnull", False)),
                            models.Q(("milestone__isnull", False), ("monitoring_return__isnull", True)),
                            _connector="OR",
                        ),
                        name="awardevidence_one_parent",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="paymenttranche",
                    constraint=models.UniqueConstraint(fields=("award", "number"), name="tranche_number_unique"),
                ),
                migrations.AddConstraint(
                    model_name="paymenttranche",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="tranche_amount_positive"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="returnperiod",
                    constraint=models.UniqueConstraint(fields=("round", "title"), name="returnperiod_title_unique"),
                ),
                migrations.AddConstraint(
                    model_name="returnperiod",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("period_end__gte", models.F("period_start"))),
                        name="returnperiod_end_after_start",
                    ),
                ),
                migrations.AddIndex(
                    model_name="monitoringreturn",
                    index=models.Index(fields=["award", "status"], name="grants_moni_award_i_520e39_idx"),
                ),
                migrations.AddConstraint(
                    model_name="monitoringreturn",
                    constraint=models.UniqueConstraint(fields=("award", "period"), name="return_one_per_period"),
                ),
                migrations.AddConstraint(
                    model_name="roundoutput",
                    constraint=models.UniqueConstraint(fields=("round", "kind", "label"), name="roundoutput_unique"),
                ),
                migrations.AddConstraint(
                    model_name="outputvalue",
                    constraint=models.UniqueConstraint(
                        fields=("monitoring_return", "output"), name="outputvalue_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="outputtarget",
                    constraint=models.UniqueConstraint(fields=("award", "output"), name="outputtarget_unique"),
                ),
            ]
        ),
        relabel(
            "grants",
            "awards",
            [
                "award",
                "fundreturn",
                "milestone",
                "monitoringreturn",
                "awardevidencefile",
                "paymenttranche",
                "returnperiod",
                "roundoutput",
                "outputvalue",
                "outputtarget",
                "variation",
            ],
        ),
    ]
