from django.core.management.base import BaseCommand

from grants.services import councils_load


class Command(BaseCommand):
    help = "Load or refresh every English council from the register copied into grants/data."

    def handle(self, *args, **options):
        result = councils_load()
        self.stdout.write(f"Councils: {result['created']} created, {result['updated']} updated")
