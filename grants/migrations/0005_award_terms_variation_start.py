"""Emptied: awards and reporting moved to their own apps (`awards`, `reporting`).

This migration once created or changed their tables here, which made grants' migrations depend on
applications (a cycle between apps). The tables keep their names; `awards.0001_initial` and
`reporting.0001_initial` now create them on a new database and adopt them, rows and all, on a
database that ran the old version of this file. The name stays so that history still matches.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("grants", "0004_reporting")]
    operations = []
