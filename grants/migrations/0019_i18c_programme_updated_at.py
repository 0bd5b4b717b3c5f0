"""Issue 18: Programme.updated_at for the API's `updated_since` filter.

Existing rows take the moment of the migration: their last change is not known, and a client
syncing with `updated_since` must never miss one, so each counts as changed now (a later bound,
never an earlier one)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("grants", "0018_i18d_programme_co_funders")]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
