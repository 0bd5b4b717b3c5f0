"""Create the demo data of every app. Safe to run twice.

It lives in the top layer because it is the one command that seeds every app, in dependency order.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from applications import demo as applications_demo
from grants import demo
from grants.awards import demo as awards_demo
from grants.awards import demo_history
from grants.reporting import demo_cofunders, demo_commitments
from grants.services import councils_load
from notifications import demo as notifications_demo
from scoring import demo as scoring_demo

# Scoring's demo decides BI phase 4, whose funded bids become awards; the funder's history is then
# imported from its workbooks (issue 18: grants/awards/history/), the awards demo adds to those awards
# what the workbooks cannot carry, and the notifications demo writes messages about all of them.
SEEDS = [applications_demo, scoring_demo, demo_history, awards_demo, notifications_demo]
SEEDS.append(demo_commitments)  # issue 17, item 5: commitments and the 2017/18 deliverables
SEEDS.append(demo_cofunders)  # issue 18, item 4: the programmes' co-funders in 360Giving


class Command(BaseCommand):
    help = "Create demo programmes, rounds, people, bids, scores, awards and messages."

    def handle(self, *args, **options):
        with transaction.atomic():
            councils_load()
            context = demo.seed(stdout=self.stdout)
            for module in SEEDS:
                module.seed(stdout=self.stdout, context=context)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Every demo account's password is {demo.DEMO_PASSWORD}"))
