"""Load every English council from the copied mySociety register, so a fresh migrate has them."""

from django.db import migrations


def load(apps, schema_editor):
    from grants.councils import councils_load

    councils_load(
        org_model=apps.get_model("grants", "Organisation"),
        alias_model=apps.get_model("grants", "OrganisationAlias"),
    )


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
