"""Demo commitments and deliverables (issue 17, items 5 and 9), entered through the services.

- The productivity programme's Memorandum of Understanding for 2017/18: "60 in total, 56 Green,
  4 Amber, 0 Red" ("56 out of the 60 key targets were achieved ... leaving just 4 partially
  achieved"), held on the Productivity Experts programme, assessed at the year end. The reports
  name few of the 60: the first eight below are the 2017/18 work shared/domain.md describes;
  the rest are illustrative and say so in their titles.
- Commitments with targets for One Public Estate, Cyber Security and Productivity Experts, from
  the reports' figures (targets rounded down to "at least"); progress is computed live, except
  the productivity experts' savings, entered by hand as the 2018/19 report gives them.

Idempotent: commitments are found by (programme, text), deliverables by (programme, year,
number), and a deliverable's RAG is set only once.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from grants.models import User

from .commitment_services import commitment_save, deliverable_add, deliverable_rag_set
from .commitments import MANUAL, Commitment, Deliverable

LONDON = ZoneInfo("Europe/London")
MANAGER = "cyber.manager@lga.example.com"  # manages One Public Estate, Cyber Security and Productivity Experts
MOU_PROGRAMME, MOU_YEAR = "productivity-experts", 2017
ASSESSED_AT = datetime(2018, 3, 31, 17, 0, tzinfo=LONDON)  # the year-end assessment

# (title, rag, reason): from the reports (shared/domain.md).
NAMED = [
    ("Behavioural Insights phase 3: fund projects in six councils and a fire and rescue service", "green",
     "Completed: East Sussex Fire and Rescue, Hartlepool, Knowsley, Croydon, North East Lincolnshire, "
     "Warrington and Worcestershire funded."),
    ("Channel Shift: the 23 funded councils' services live", "amber",
     "Partially achieved: 16 live, 5 due later in the year; 2 councils returned their funding as they could "
     "not proceed. Mitigation in place to complete the 5 within the agreed timescale."),
    ("Digital Transformation: 16 projects report their savings", "green", "Completed: an estimated £2m savings."),
    ("One Public Estate: partnerships cover most councils", "green", "Completed: 249 councils in 60 partnerships."),
    ("Land Release Fund: programmes funded to release land for 7,280 homes", "green",
     "Completed: 79 programmes funded."),
    ("Productivity Experts: councils commission experts from the pool", "green", "Completed."),
    ("Design in the Public Sector: about 10 councils supported", "green", "Completed."),
    ("Social Care Digital Innovation: up to £50,000 each to 19 bidders, with NHS Digital", "green", "Completed."),
]  # fmt: skip
ILLUSTRATIVE_THEMES = [
    "Quarterly programme report to the improvement board",
    "Case studies published",
    "Learning event for councils held",
    "Peer support offer taken up",
    "Evaluation evidence gathered",
    "Bids assessed and decided on time",
    "Grant payments made on schedule",
    "Monitoring returns chased and reviewed",
    "Savings figures validated with councils",
    "Guidance for bidders published",
    "Partner bodies briefed",
    "Risks reviewed with the funder",
    "Communications plan delivered",
]
# Three illustrative deliverables were partially achieved, with Channel Shift the four Amber.
ILLUSTRATIVE_AMBER = {"Evaluation evidence gathered, quarter 4", "Case studies published, quarter 4",
                      "Savings figures validated with councils, quarter 4"}  # fmt: skip


def mou_deliverables() -> list[tuple[str, str, str]]:
    """The 60 deliverables of 2017/18 in order: (title, rag, reason)."""
    out = list(NAMED)
    for quarter in range(1, 5):
        for theme in ILLUSTRATIVE_THEMES:
            title = f"{theme}, quarter {quarter}"
            if title in ILLUSTRATIVE_AMBER:
                out.append((f"(Illustrative) {title}", "amber", "Partially achieved: completes in the first "
                            "quarter of 2018/19, as agreed with the funder."))  # fmt: skip
            else:
                out.append((f"(Illustrative) {title}", "green", "Completed."))
    return out


# (programme slug, year or None, text, target, unit, measure, manual value, manual as at)
COMMITMENTS = [
    # The reports expect land for 25,000 homes by 2020 (3,463 reported by March 2019).
    ("one-public-estate", None, "Land released for at least 25,000 homes", "25000", "homes", "output:homes", None,
     None),
    ("one-public-estate", None, "At least 200 councils in partnerships", "200", "councils", "councils_involved",
     None, None),
    ("cyber-security", None, "Grants to at least 100 councils at greatest risk", "100", "councils",
     "councils_involved", None, None),
    ("cyber-security", None, "At least £1m in grants", "1000000", "pounds", "amount_awarded", None, None),
    ("productivity-experts", 2018, "At least 25 councils commission an expert", "25", "count", "awards_made",
     None, None),
    ("productivity-experts", 2018, "At least £25m savings or income over four years", "25000000", "pounds", MANUAL,
     "42600000", date(2019, 3, 31)),
]  # fmt: skip


def seed(stdout=None, context=None) -> dict:
    programmes = context["programmes"]
    manager = context.get("people", {}).get(MANAGER) or User.objects.get(email=MANAGER)
    made = 0
    for slug, year, text, target, unit, measure, value, as_at in COMMITMENTS:
        programme = programmes[slug]
        if Commitment.objects.filter(programme=programme, text=text).exists():
            continue
        data = {"financial_year": year, "text": text, "target": Decimal(target), "unit": unit, "measure": measure,
                "manual_value": Decimal(value) if value else None, "manual_as_at": as_at}  # fmt: skip
        commitment_save(user=manager, programme=programme, data=data)
        made += 1
    programme = programmes[MOU_PROGRAMME]
    existing = {d.number: d for d in Deliverable.objects.filter(programme=programme, financial_year=MOU_YEAR)}
    for number, (title, rag, reason) in enumerate(mou_deliverables(), start=1):
        d = existing.get(number) or deliverable_add(
            user=manager, programme=programme, financial_year=MOU_YEAR, title=title
        )
        if not d.rag_changes.exists():
            deliverable_rag_set(user=manager, deliverable=d, rag=rag, reason=reason, at=ASSESSED_AT)
    if stdout:
        stdout.write(f"Demo: {made} commitments added; {len(mou_deliverables())} deliverables for 2017/18")
    return context
