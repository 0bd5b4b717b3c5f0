"""Demo programmes, rounds and people from the productivity-programme reports (shared/domain.md).

Idempotent: every row is found by a natural key and updated, so `seed_demo` runs twice safely.
Dates of historic rounds (grants.demo_rounds) are real where the reports give them; three rounds are
placed around today (`_current_rounds`), named for the financial year they open in.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.db.models import Q
from django.utils import timezone

from . import demo_rounds
from .models import Organisation, OrganisationDomain, OrgKind, OrgRole, Programme, Round, StaffRole, User

LONDON = ZoneInfo("Europe/London")
DEMO_PASSWORD = "grantbench-demo-2026"

BODIES = [
    ("Local Government Association", "LGA", OrgKind.OTHER, ""),
    ("Cabinet Office", "Cabinet Office", OrgKind.CENTRAL_GOVERNMENT, "GB-GOR-D2"),
    ("Ministry of Housing, Communities and Local Government", "MHCLG", OrgKind.CENTRAL_GOVERNMENT, "GB-GOR-D1342"),
    ("The Behavioural Insights Team", "Behavioural Insights Team", OrgKind.OTHER, ""),
    ("NHS Digital", "NHS Digital", OrgKind.OTHER, ""),
    ("Design Council", "Design Council", OrgKind.OTHER, ""),
    ("East Sussex Fire and Rescue Service", "East Sussex Fire and Rescue", OrgKind.FIRE_RESCUE, ""),
]

PROGRAMMES = [
    {
        "slug": "behavioural-insights",
        "name": "Behavioural Insights",
        "code": "BI",
        "partners": ["Behavioural Insights Team"],
        "description": "Nudge projects that manage demand for council services, run with the Behavioural Insights Team.",
    },
    {
        "slug": "digital",
        "name": "Digital",
        "code": "DIG",
        "partners": ["MHCLG", "NHS Digital"],
        "description": "Council-led projects putting services online and getting residents and businesses online.",
    },
    {
        "slug": "cyber-security",
        "name": "Cyber Security",
        "code": "CYB",
        "partners": ["Cabinet Office"],
        "description": "Grants from the National Cyber Security Programme for councils at greatest risk.",
    },
    {
        "slug": "one-public-estate",
        "name": "One Public Estate",
        "code": "OPE",
        "partners": ["Cabinet Office", "MHCLG"],
        "description": "Councils and central government making better use of public land and property, in partnerships.",
    },
    {
        "slug": "productivity-experts",
        "name": "Productivity Experts",
        "code": "PEX",
        "partners": [],
        "description": "A grant for a council to commission an expert from the productivity pool.",
    },
    # Issue 18: programmes of the funder's history (grants/awards/history/).
    {
        "slug": "land-release-fund",
        "name": "Land Release Fund",
        "code": "LRF",
        "partners": ["MHCLG"],
        "description": "Remediation and small infrastructure on council land, to release it for homes.",
    },
    {
        "slug": "design-in-the-public-sector",
        "name": "Design in the Public Sector",
        "code": "DPS",
        "partners": ["Design Council"],
        "description": "Design support for councils' public-health prevention projects, with the Design Council.",
    },
    {
        "slug": "housing-tenancy-fraud",
        "name": "Housing Tenancy Fraud",
        "code": "HTF",
        "partners": ["MHCLG"],
        "description": "Joint working between councils against social housing tenancy fraud.",
    },
]


def financial_year(day: date) -> int:
    """The UK public sector's financial year (1 April to 31 March) a day falls in, by its first year."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=LONDON).replace(hour=hour)


def _current_rounds(today: date) -> list[dict]:
    """Rounds placed around today, named for the financial year they open in: Digital Inclusion
    open now; Behavioural Insights phase 5, decided months ago, its awards live; phase 6 closed
    three weeks ago and being scored; Productivity Experts closed ten days ago, its bids waiting
    for the manager to set criteria and a panel. Keys (not slugs, which carry the year) name them in the context."""
    councils = {"eligible_kinds": []}
    di_open, di_close = _at(today - timedelta(days=14), 9), _at(today + timedelta(days=30), 12)
    p5_open, p5_close = _at(today - timedelta(days=330), 9), _at(today - timedelta(days=280), 12)
    p6_open, p6_close = _at(today - timedelta(days=100), 9), _at(today - timedelta(days=21), 12)
    px_open, px_close = _at(today - timedelta(days=200), 9), _at(today - timedelta(days=10), 12)
    di_year, p5_year, p6_year, px_year = (financial_year(d.date()) for d in (di_open, p5_open, p6_open, px_open))
    return [
        {
            "key": "productivity-experts",
            "programme": "productivity-experts",
            "slug": f"productivity-experts-{year_label(px_year).replace('/', '-')}",
            "name": f"Productivity Experts {year_label(px_year)}",
            "reference_prefix": f"PEX{(px_year + 1) % 100:02d}",
            "financial_year": px_year,
            "budget": "252000",
            "min_award": "6000",
            "max_award": "6000",
            "opens_at": px_open,
            "closes_at": px_close,
            "assessment_deadline": px_close + timedelta(days=35),
            "decision_date": (px_close + timedelta(days=49)).date(),
            **councils,
            "joint_bids_allowed": False,
            "max_partners": 0,
            "prospectus": "A £6,000 grant to commission an expert from the productivity pool.",
        },
        {
            "key": "digital-inclusion",
            "programme": "digital",
            "slug": f"digital-inclusion-{year_label(di_year).replace('/', '-')}",
            "name": f"Digital Inclusion {year_label(di_year)}",
            "reference_prefix": f"DI{(di_year + 1) % 100:02d}",
            "financial_year": di_year,
            "budget": "400000",
            "min_award": "20000",
            "max_award": "50000",
            "match_funding_percent": "10",
            "opens_at": di_open,
            "closes_at": di_close,
            "assessment_deadline": di_close + timedelta(days=28),
            "decision_date": (di_close + timedelta(days=42)).date(),
            **councils,
            "max_partners": 5,
            "prospectus": "We invite bids for 8 to 10 council-led projects to get residents and businesses online. "
            "The round is open to all councils in England. Joint bids with neighbouring councils are welcome.",
        },
        {
            "key": "bi-phase-5",
            "programme": "behavioural-insights",
            "slug": f"bi-phase-5-{year_label(p5_year).replace('/', '-')}",
            "name": f"Behavioural Insights phase 5, {year_label(p5_year)}",
            "reference_prefix": "BI5",
            "financial_year": p5_year,
            "budget": "200000",
            "min_award": "10000",
            "max_award": "50000",
            "opens_at": p5_open,
            "closes_at": p5_close,
            "assessment_deadline": p5_close + timedelta(days=28),
            "decision_date": (p5_close + timedelta(days=50)).date(),
            **councils,
            "prospectus": "Awards of up to £50,000 for trials that use behavioural insights to manage demand.",
        },
        {
            "key": "bi-phase-6",
            "programme": "behavioural-insights",
            "slug": f"bi-phase-6-{year_label(p6_year).replace('/', '-')}",
            "name": f"Behavioural Insights phase 6, {year_label(p6_year)}",
            "reference_prefix": "BI6",
            "financial_year": p6_year,
            "budget": "300000",
            "min_award": "10000",
            "max_award": "50000",
            "opens_at": p6_open,
            "closes_at": p6_close,
            "assessment_deadline": p6_close + timedelta(days=42),
            "decision_date": (p6_close + timedelta(days=63)).date(),
            **councils,
            "prospectus": "Awards of up to £50,000 for trials that use behavioural insights to manage demand.",
        },
    ]


def _eoi_rounds(today: date, councils: dict) -> list[dict]:
    """Issue 16: a two-stage round whose expressions of interest closed five days ago; full bids (by
    invitation) are due seven weeks from now. Seven councils sent one (applications.demo_eoi); the
    programme has invited two, declined two and has two still to decide (scoring.demo_conversation).
    It opened with the Cyber Security round below, so both are named for the same financial year."""
    eoi_open, eoi_close, full_close = (
        _at(today - timedelta(days=35), 9),
        _at(today - timedelta(days=5), 12),
        _at(today + timedelta(days=50), 12),
    )
    year = financial_year(eoi_open.date())
    return [
        {
            "key": "px-eoi",
            "programme": "productivity-experts",
            "slug": f"productivity-experts-eoi-{year_label(year).replace('/', '-')}",
            "name": f"Productivity Experts {year_label(year)}: expressions of interest",
            "reference_prefix": f"PXE{(year + 1) % 100:02d}",
            "financial_year": year,
            "budget": "950000",
            "min_award": "10000",
            "max_award": "50000",
            "opens_at": eoi_open,
            "eoi_closes_at": eoi_close,
            "closes_at": full_close,
            "assessment_deadline": full_close + timedelta(days=28),
            "decision_date": (full_close + timedelta(days=42)).date(),
            **councils,
            "max_partners": 3,
            "prospectus": "A prospectus inviting expressions of interest: up to £50,000 each for about 19 councils "
            "to bring in commercial expertise. Councils sent a short expression of interest first; the programme "
            "is inviting the strongest to send a full bid.",
        },
        # Expressions of interest closed yesterday: ready for the programme's triage, so a newcomer
        # can take a two-stage round through invitation, full bid, scoring and decision. Early
        # assessment is allowed, so invited full bids can be scored as they arrive.
        {
            "key": "cyber-eoi",
            "programme": "cyber-security",
            "slug": f"cyber-eoi-{year_label(year).replace('/', '-')}",
            "name": f"Cyber Security {year_label(year)}: expressions of interest",
            "reference_prefix": f"CYE{(year + 1) % 100:02d}",
            "financial_year": year,
            "budget": "300000",
            "min_award": "5000",
            "max_award": "30000",
            "opens_at": _at(today - timedelta(days=35), 9),
            "eoi_closes_at": _at(today - timedelta(days=1), 12),
            "closes_at": _at(today + timedelta(days=45), 12),
            "assessment_deadline": _at(today + timedelta(days=70), 12),
            "decision_date": today + timedelta(days=80),
            "allow_early_assessment": True,
            **councils,
            "max_partners": 3,
            "prospectus": "Grants of up to £30,000 to improve councils' cyber resilience. Expressions of interest "
            "have now been received; the programme is inviting the strongest to send a full bid.",
        },
    ]


def _rounds(now: datetime) -> list[dict]:
    return _current_rounds(timezone.localdate(now)) + demo_rounds.HISTORIC


# Who gets which role. (email, name, council code or body short name, org role, staff roles)
PEOPLE = [
    ("council.officer@kent.example.com", "Priya Shah", "KEN", OrgRole.OFFICER, []),
    ("signatory@kent.example.com", "David Okafor", "KEN", OrgRole.SIGNATORY, []),
    ("partner.officer@medway.example.com", "Sam Fletcher", "MDW", OrgRole.OFFICER, []),
    ("council.officer@leeds.example.com", "Ruth Bell", "LDS", OrgRole.OFFICER, []),
    # Issue 16: invited to a full Productivity Experts bid, and answering the panel's questions in BI phase 6.
    ("council.officer@birmingham.example.com", "Aisha Khan", "BIR", OrgRole.OFFICER, []),
    # Issue 17: section 151 officers (or delegates) who certify returns in Behavioural Insights
    # phase 5; Cornwall's officer has sent a return that waits for Cornwall's certifier.
    ("s151@leeds.example.com", "Graham Holt", "LDS", OrgRole.CERTIFIER, []),
    ("council.officer@cornwall.example.com", "Tamsin Pascoe", "CON", OrgRole.OFFICER, []),
    ("s151@cornwall.example.com", "Morwenna Hicks", "CON", OrgRole.CERTIFIER, []),
    (
        "programme.manager@lga.example.com",
        "Alex Morgan",
        "LGA",
        "",
        ["pm:behavioural-insights", "pm:digital", "pm:design-in-the-public-sector", "pm:housing-tenancy-fraud"],
    ),
    (
        "cyber.manager@lga.example.com",
        "Jo Patel",
        "LGA",
        "",
        ["pm:cyber-security", "pm:one-public-estate", "pm:productivity-experts", "pm:land-release-fund"],
    ),
    ("panel.member@lga.example.com", "Chris Evans", "LGA", "", []),
    ("panel.chair@lga.example.com", "Morag Reid", "LGA", "", []),
    ("finance@lga.example.com", "Femi Adeyemi", "LGA", "", ["finance_officer"]),
    ("board@lga.example.com", "Cllr Helen Price", "LGA", "", ["board_viewer"]),
    ("admin@lga.example.com", "Sys Admin", "LGA", "", ["administrator"]),
]


# The email domains the demo councils own: someone signing up at one asks to join that council.
DEMO_DOMAINS = {"KEN": "kent.example.com", "MDW": "medway.example.com", "LDS": "leeds.example.com"}


# An illustrative named list for the targeted cyber round: the real stocktake ratings are not
# public, so the demo takes every other current council that existed on the award date, in code
# order: 116 of them, the councils history/cyber-security.xlsx funds.
def _cyber_named_list() -> list[Organisation]:
    on = demo_rounds.CYBER_AWARD_DATE
    existed = Q(start_date__isnull=True) | Q(start_date__lte=on)
    return list(Organisation.objects.councils().current().filter(existed).order_by("code"))[::2][:116]


def seed(stdout=None, now: datetime | None = None) -> dict[str, object]:
    now = now or timezone.now()
    bodies = {}
    for name, short, kind, ident in BODIES:
        bodies[short], _ = Organisation.objects.update_or_create(
            name=name, code=None, defaults={"short_name": short, "kind": kind, "other_identifier": ident}
        )
    lga = bodies["LGA"]
    programmes = {}
    for spec in PROGRAMMES:
        prog, _ = Programme.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "code": spec["code"],
                "description": spec["description"],
                "funder": lga,
                # Each programme answers its own questions (round pages and emails name it).
                "contact_name": f"{spec['name']} programme team",
                "contact_email": f"{spec['slug']}@lga.example.com",
            },
        )
        prog.partner_bodies.set([bodies[p] for p in spec["partners"]])
        programmes[prog.slug] = prog
    rounds = {}
    # Issue 16: the two-stage round is seeded last, so no existing round moves.
    # Issue 18: the history's added rounds after those, for the same reason.
    for spec in _rounds(now) + _eoi_rounds(timezone.localdate(now), {"eligible_kinds": []}) + demo_rounds.ADDED:
        spec = dict(spec)
        prog = programmes[spec.pop("programme")]
        key = spec.pop("key", spec["slug"])
        for money in ("budget", "min_award", "max_award", "match_funding_percent"):
            if money in spec:
                spec[money] = Decimal(spec[money])
        rnd, _ = Round.objects.update_or_create(
            slug=spec.pop("slug"), defaults={"programme": prog, "published": True, **spec}
        )
        rnd.full_clean()
        rounds[key] = rnd
    rounds["cyber-phase-1"].eligible_organisations.set(_cyber_named_list())
    for code, domain in DEMO_DOMAINS.items():
        council = Organisation.objects.filter(code=code).first()
        if council is not None:
            OrganisationDomain.objects.update_or_create(domain=domain, defaults={"organisation": council})
    people = {}
    for email, name, org_key, org_role, roles in PEOPLE:
        org = Organisation.objects.filter(code=org_key).first() or bodies[org_key]
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        user.full_name, user.organisation, user.org_role = name, org, org_role
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        if "administrator" in roles:
            user.is_staff = user.is_superuser = True
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        for role in roles:
            if role.startswith("pm:"):
                StaffRole.objects.get_or_create(user=user, role="programme_manager", programme=programmes[role[3:]])
            else:
                StaffRole.objects.get_or_create(user=user, role=role, programme=None)
        people[email] = user
    if stdout:
        stdout.write(f"Demo: {len(programmes)} programmes, {len(rounds)} rounds, {len(people)} people")
    return {"bodies": bodies, "programmes": programmes, "rounds": rounds, "people": people}
