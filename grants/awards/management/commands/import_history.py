"""manage.py import_history FILE [--confirm] [--actor EMAIL]: the history import from a shell.
Prints every row's outcome and the summary; saves only with --confirm and no errors; exits with
status 1 when the file has errors (so a script notices)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from grants.awards.imports import import_file
from grants.models import User


class Command(BaseCommand):
    help = "Import awards, payments, returns and returned funds from a history workbook (.xlsx) or CSV"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--confirm", action="store_true", help="Save (only when no row has an error)")
        parser.add_argument("--actor", help="The email of the person importing; the system when left out")

    def handle(self, *args, file: str, confirm: bool, actor: str | None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {file}")
        person = None
        if actor:
            person = User.objects.filter(email__iexact=actor).first()
            if person is None:
                raise CommandError(f"No user has the email {actor}")
        with path.open("rb") as handle:
            result = import_file(handle, filename=path.name, actor=person, confirm=confirm)
        for message in result.file_errors:
            self.stdout.write(message)
        for row in result.rows:
            line = f"{row.sheet} row {row.row} {row.reference}: {row.outcome}"
            self.stdout.write(line + "".join(f"\n  {m}" for m in row.messages))
        self.stdout.write(result.summary)
        if result.saved:
            self.stdout.write("Saved.")
        elif confirm:
            self.stdout.write("Nothing was saved.")
        else:
            self.stdout.write("Preview only: run again with --confirm to save.")
        if result.errors:
            raise CommandError(f"{len(result.errors)} error(s): nothing was saved", returncode=1)
