"""Issue 16 demo: the Cyber Security two-stage round (expressions of interest closed yesterday) gets
what its invited full bids are assessed against, so a newcomer can take one from invitation through
scoring to a decision: four weighted full-bid criteria and a panel of two (the demo panel member and
the chair). Nobody is assigned and nobody has declared their interests: the manager assigns each
full bid as it arrives, and each panel member declares before scoring.

Full-bid criteria only: the short criteria for triaging the expressions of interest are separate.
The panel is seeded with the other demo panels (scoring.demo._panels_seed); the criteria through
scoring.demo.criteria_seed, found by round and name.
"""

from .demo import criteria_seed

KEY = "cyber-eoi"
# (name, scale, weight, guidance, descriptors)
CRITERIA = [
    (
        "Cyber risk reduced",
        "0-4",
        40,
        "How much does the work reduce the council's most pressing cyber risk, on the evidence given?",
        {"0": "No clear reduction", "2": "Some reduction, thinly evidenced", "4": "A large, well evidenced reduction"},
    ),
    (
        "Deliverability",
        "0-4",
        30,
        "Can the council deliver the work by the end of the financial year, with the people it names?",
        {"0": "Not deliverable", "2": "Deliverable with risks", "4": "A clear plan, dates and owners"},
    ),
    (
        "Value for money",
        "0-4",
        20,
        "Are the costs explained, and is the grant a fair price for the risk reduced?",
        {"0": "Costs not explained", "2": "Reasonable", "4": "Excellent value"},
    ),
    (
        "Sustainability after the grant",
        "0-4",
        10,
        "Will the improvement last once the grant is spent (budgets, training, testing)?",
        {"0": "Ends with the grant", "2": "Partly sustained", "4": "Built into the council's plans"},
    ),
]


def seed(*, stdout=None, context: dict) -> None:
    round = context.get("rounds", {}).get(KEY)
    if round is None:
        return
    criteria_seed(round, CRITERIA)
    if stdout:
        stdout.write(f"scoring: {len(CRITERIA)} full-bid criteria for {round.name}\n")
