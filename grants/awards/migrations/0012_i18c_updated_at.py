"""Issue 18: updated_at on payment tranches and monitoring returns, for the API's `updated_since`.

Existing rows take the moment of the migration: their last change is not known, and a client
syncing with `updated_since` must never miss one, so each counts as changed now (a later bound,
never an earlier one)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("awards", "0011_i18a_import_job")]

    operations = [
        migrations.AddField(
            model_name="paymenttranche",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="monitoringreturn",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
