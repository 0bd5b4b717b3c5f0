"""Create the demo data of every app. Safe to run twice."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from grants.services import councils_load

# Each app may add a `demo.seed(stdout=..., context=...)`; they run in dependency order.
APPS = ["applications", "scoring", "grants.awards", "notifications"]


class Command(BaseCommand):
    help = "Create demo programmes, rounds, people and (as apps add them) bids, scores and awards."

    def handle(self, *args, **options):
        from grants import demo

        with transaction.atomic():
            councils_load()
            context = demo.seed(stdout=self.stdout)
            for app in APPS:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name not in (app, f"{app}.demo"):
                        raise
                    continue
                module.seed(stdout=self.stdout, context=context)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Every demo account's password is {demo.DEMO_PASSWORD}"))
