"""The funder's historic awards as the productivity-programme reports give them (grants.awards.demo
loads them): who, how much, what each reported. Figures a report does not give are illustrative
and say so beside them."""

from datetime import date
from decimal import Decimal

from grants.awards.models import AwardStatus, Rag

D = Decimal
C = AwardStatus.COMPLETED

# (round slug, reference, lead code, partner codes, title, amount, status, outputs {kind: value}, rag, commentary)
AWARDS = [
    (
        "bi-phase-1",
        "BI1-000001",
        "LIV",
        [],
        "Reducing sugar consumption",
        "50000",
        C,
        {},
        Rag.GREEN,
        "Trial completed.",
    ),
    (
        "bi-phase-1",
        "BI1-000002",
        "LIN",
        [],
        "Motivating employers to support skills training",
        "50000",
        C,
        {},
        Rag.GREEN,
        "Trial completed.",
    ),
    (
        "bi-phase-1",
        "BI1-000003",
        "LDS",
        [],
        "Adult social care first contact",
        "50000",
        C,
        {},
        Rag.GREEN,
        "Trial completed.",
    ),
    (
        "bi-phase-2",
        "BI2-000001",
        "BNH",
        [],
        "Sugar in schools",
        "30000",
        C,
        {},
        Rag.GREEN,
        "Match-funded trial completed.",
    ),
    (
        "bi-phase-2",
        "BI2-000002",
        "KEN",
        [],
        "Domestic abuse: victims taking up support",
        "30000",
        C,
        {},
        Rag.GREEN,
        "Victims taking up support rose by 2.3%.",
    ),
    (
        "bi-phase-2",
        "BI2-000003",
        "LBH",
        ["SWK"],
        "Online STI testing (Lambeth and Southwark)",
        "30000",
        C,
        {},
        Rag.GREEN,
        "Trial completed.",
    ),
    (
        "bi-phase-2",
        "BI2-000004",
        "TUN",
        ["SEV", "TON", "MAI", "ASF", "SWL"],
        "Managing housing demand (Tunbridge Wells and five neighbouring districts)",
        "30000",
        C,
        {},
        Rag.GREEN,
        "Trial completed.",
    ),
    (
        "bi-phase-3",
        "BI3-000001",
        "WRT",
        [],
        "Nudging demand (Warrington)",
        "30000",
        C,
        {"savings": "8500", "cost_avoidance": "133000"},
        Rag.GREEN,
        "Savings of 8,500 and cost avoidance of 133,000 so far; projected 42,000 and 380,000 over a year.",
    ),
    (
        "bi-phase-3",
        "BI3-000002",
        "WOR",
        [],
        "Direct-debit sign-up",
        "30000",
        C,
        {},
        Rag.GREEN,
        "Direct-debit sign-up up 61%.",
    ),
    (
        "bi-phase-3",
        "BI3-000003",
        "KWL",
        [],
        "Referrals and installations",
        "30000",
        C,
        {},
        Rag.GREEN,
        "Referrals up 39%, installations up 27%.",
    ),
]

# Channel Shift (Feb 2017): 23 councils; 16 live, 5 due later, 2 returned their funding.
CHANNEL_SHIFT_CODES = [
    "MAN", "CON", "NFK", "NOW", "CAM", "PTE", "HRT", "WAT", "STO", "GLO", "WGN", "SEV",
    "TON", "MAI", "ASF", "SWL", "LIV", "LDS", "WRT", "KWL", "LIN", "WOR", "BNH",
]  # fmt: skip
CHANNEL_SHIFT_AMOUNT = D("40000")  # illustrative: the report gives no per-council amount

# OPE phase 7 partnerships (illustrative; the reports give programme-wide outputs only).
OPE = [
    (
        "OPE7-000001",
        "CAM",
        ["PTE"],
        "Cambridgeshire and Peterborough public estate",
        "500000",
        {"capital_receipts": "4200000", "running_cost_savings": "650000", "jobs_created": "120", "homes": "310"},
    ),
    (
        "OPE7-000002",
        "NFK",
        ["NOW"],
        "Norfolk and Norwich public estate",
        "450000",
        {"capital_receipts": "2600000", "running_cost_savings": "420000", "jobs_created": "85", "homes": "190"},
    ),
    (
        "OPE7-000003",
        "HRT",
        ["WAT"],
        "Hertfordshire public estate",
        "400000",
        {"capital_receipts": "3100000", "running_cost_savings": "380000", "jobs_created": "60", "homes": "240"},
    ),
    (
        "OPE7-000004",
        "STO",
        ["GLO"],
        "Gloucestershire public estate",
        "300000",
        {"capital_receipts": "1500000", "running_cost_savings": "210000", "jobs_created": "40", "homes": "150"},
    ),
]

ROUND_OUTPUTS = {
    "bi-phase-1": [],
    "bi-phase-2": [],
    "bi-phase-3": ["savings", "cost_avoidance"],
    "channel-shift": ["savings", "projects_live"],
    "ope-phase-7": ["capital_receipts", "running_cost_savings", "jobs_created", "homes"],
}
# (title, period start, period end, due)
PERIODS = {
    "bi-phase-1": [("Final return 2015/16", date(2015, 10, 1), date(2016, 3, 31), date(2016, 4, 29))],
    "bi-phase-2": [("Final return 2016/17", date(2016, 9, 1), date(2017, 3, 31), date(2017, 4, 28))],
    "bi-phase-3": [("Final return 2017/18", date(2017, 9, 1), date(2018, 3, 31), date(2018, 4, 27))],
    "channel-shift": [
        ("Return 2017/18", date(2017, 4, 1), date(2018, 3, 31), date(2018, 4, 27)),
        ("Final return 2018/19", date(2018, 4, 1), date(2019, 3, 31), date(2019, 4, 26)),
    ],
    "ope-phase-7": [
        ("Return 2019/20", date(2019, 4, 1), date(2020, 3, 31), date(2020, 4, 30)),
        ("Return 2020/21", date(2020, 4, 1), date(2021, 3, 31), date(2021, 4, 30)),
        ("Final return 2021/22", date(2021, 4, 1), date(2022, 3, 31), date(2022, 4, 29)),
    ],
}
