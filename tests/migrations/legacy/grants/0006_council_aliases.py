"""Reload councils' other names: drop the fragments ("City of", a combined authority answering to
a member council's name) that splitting the register's list on commas left behind."""

from django.db import migrations


def reload(apps, schema_editor):
    from grants.councils import councils_load

    councils_load(
        org_model=apps.get_model("grants", "Organisation"),
        alias_model=apps.get_model("grants", "OrganisationAlias"),
    )


class Migration(migrations.Migration):
    dependencies = [("grants", "0005_award_terms_variation_start")]
    operations = [migrations.RunPython(reload, migrations.RunPython.noop)]
