import django.db.models.deletion
from django.db import migrations, models


def round_opening_out_of_emails_off(apps, schema_editor):
    """Round alerts are now governed by their yes/no question alone, so drop the old checkbox's
    'round_opening' from stored email choices (it silently stopped alerts the user asked for)."""
    Preference = apps.get_model("notifications", "Preference")
    for pref in Preference.objects.iterator():
        if "round_opening" in (pref.emails_off or []):
            pref.emails_off = [e for e in pref.emails_off if e != "round_opening"]
            pref.save(update_fields=["emails_off"])


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="programme",
            field=models.ForeignKey(
                blank=True,
                help_text="The programme the message is about, so its managers can see and resend failed emails",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="grants.programme",
            ),
        ),
        migrations.RunPython(round_opening_out_of_emails_off, migrations.RunPython.noop),
    ]
