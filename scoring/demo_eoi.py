"""Issue 16 demo: the EOI criteria of Cyber Security's expressions of interest (grants.demo's
"cyber-eoi" round, its EOIs from applications.demo_eoi), each scored 0 to 3. The EOIs are left
unscored and untriaged: the browser journey triages them. Idempotent: a round that has EOI
criteria already is left as it is."""

from .models import EoiCriterion
from .services import eoi_criterion_save

KEY = "cyber-eoi"
MANAGER = "cyber.manager@lga.example.com"
CRITERIA = [
    ("Risk addressed", "Is the cyber risk clear, and serious for the council and its residents?"),
    ("Readiness to deliver", "Could the council start within three months, with the people it names?"),
    ("Value for money", "Would the amount asked for buy a lasting improvement?"),
]


def seed(*, stdout=None, context: dict) -> None:
    round = context.get("rounds", {}).get(KEY)
    if round is None or EoiCriterion.objects.filter(round=round).exists():
        return
    actor = context.get("people", {}).get(MANAGER)
    for order, (name, guidance) in enumerate(CRITERIA, start=1):
        eoi_criterion_save(round=round, actor=actor, name=name, guidance=guidance, max_score=3, order=order)
    if stdout:
        stdout.write(f"scoring: {len(CRITERIA)} EOI criteria for {round.name}\n")
