"""Write the grants made (published awards) as 360Giving open data.

    python manage.py export_360giving --out FILE [--format json|csv] [--programme SLUG] [--round SLUG]

The file is written grant by grant (flat memory), to a temporary name first and then moved into
place, so a reader never sees half a file. See grants/reporting/threesixty.py for what is
published and how each field is filled.
"""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from grants.models import Programme, Round
from grants.reporting import threesixty
from grants.selectors import round_is_targeted


class Command(BaseCommand):
    help = "Export every grant made (accepted, active, completed or terminated awards) in the 360Giving Data Standard (JSON or CSV)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The file to write ('-' for standard output)")
        parser.add_argument("--format", choices=["json", "csv"], default=None, help="Default: from the file name")
        parser.add_argument("--programme", default="", help="Only this programme (its slug)")
        parser.add_argument("--round", default="", help="Only this round (its slug)")

    def handle(self, *args, out: str, format: str | None, programme: str, round: str, **options):
        fmt = format or ("csv" if out.lower().endswith(".csv") else "json")
        if programme and not Programme.objects.filter(slug=programme).exists():
            raise CommandError(f"No programme with the slug {programme!r}")
        rnd = Round.objects.filter(slug=round).first() if round else None
        if round and rnd is None:
            raise CommandError(f"No round with the slug {round!r}")
        if rnd and round_is_targeted(rnd):
            raise CommandError(threesixty.TARGETED_LEFT_OUT.format(round=rnd.name))
        qs = threesixty.grants_queryset(programme_slug=programme, round_slug=round)
        if not qs.exists():
            raise CommandError("No grants match: a 360Giving file needs at least one grant")
        if out == "-":
            count = threesixty.write(sys.stdout, qs, fmt)
        else:
            path = Path(out)
            tmp = path.with_name(f".{path.name}.part")
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                count = threesixty.write(fh, qs, fmt)
            os.replace(tmp, path)
        self.stderr.write(f"Wrote {count} grants as 360Giving {fmt.upper()} to {out}")
