"""The funder's historic rounds (grants.demo seeds them): the dates and budgets the
productivity-programme reports give, or illustrative ones that say so. Every round the history
workbooks (grants/awards/history/) name is here, with a budget at least its awards' total: the
importer refuses an award past its round's budget.

`HISTORIC` are the rounds the demo had before the workbooks; `ADDED` (issue 18) are created after
every other round, so no existing round moves.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from .models import OrgKind

LONDON = ZoneInfo("Europe/London")
COUNCILS = {"eligible_kinds": []}
CYBER_AWARD_DATE = date(2019, 2, 1)  # the invited councils are those that existed on this day


def dt(y: int, m: int, d: int, h: int = 12, minute: int = 0) -> datetime:
    return datetime(y, m, d, h, minute, tzinfo=LONDON)


HISTORIC = [
    {
        "programme": "behavioural-insights",
        "slug": "bi-phase-1",
        "name": "Behavioural Insights phase 1",
        "reference_prefix": "BI1",
        "financial_year": 2015,
        "budget": "150000",
        "min_award": "10000",
        "max_award": "50000",
        "opens_at": dt(2015, 6, 1),
        "closes_at": dt(2015, 7, 31),
        "decided_at": dt(2015, 9, 30),
        **COUNCILS,
    },
    {
        "programme": "behavioural-insights",
        "slug": "bi-phase-2",
        "name": "Behavioural Insights phase 2",
        "reference_prefix": "BI2",
        "financial_year": 2016,
        "budget": "120000",
        "min_award": "10000",
        "max_award": "30000",
        "match_funding_percent": "100",
        "opens_at": dt(2016, 5, 3),
        "closes_at": dt(2016, 6, 30),
        "decided_at": dt(2016, 8, 31),
        **COUNCILS,
        "prospectus": "Each award of £30,000 must be matched by the council.",
    },
    {
        "programme": "behavioural-insights",
        "slug": "bi-phase-3",
        "name": "Behavioural Insights phase 3",
        "reference_prefix": "BI3",
        "financial_year": 2017,
        "budget": "210000",
        "min_award": "10000",
        "max_award": "30000",
        "opens_at": dt(2017, 5, 2),
        "closes_at": dt(2017, 6, 30),
        "decided_at": dt(2017, 9, 1),
        "eligible_kinds": list(OrgKind.values)[:6] + [OrgKind.FIRE_RESCUE],
    },
    {
        "programme": "behavioural-insights",
        "slug": "bi-phase-4",
        "name": "Behavioural Insights phase 4, 2018/19",
        "reference_prefix": "BI4",
        "financial_year": 2018,
        "budget": "400000",
        "min_award": "10000",
        "max_award": "50000",
        "opens_at": dt(2018, 5, 1),
        "closes_at": dt(2018, 6, 29, 17),
        "assessment_deadline": dt(2018, 7, 27, 17),
        "decision_date": date(2018, 8, 31),
        **COUNCILS,
        "prospectus": "Awards of up to £50,000 for projects that use behavioural insights to manage demand. "
        "The round was tremendously oversubscribed and eight councils were selected.",
    },
    {
        "programme": "digital",
        "slug": "channel-shift",
        "name": "Digital Channel Shift",
        "reference_prefix": "DCS",
        "financial_year": 2016,
        "budget": "920000",  # 23 illustrative awards of £40,000 (history/digital.xlsx) must fit the budget
        "min_award": "10000",
        "max_award": "50000",
        "opens_at": dt(2016, 11, 1),
        "closes_at": dt(2016, 12, 16),
        "decided_at": dt(2017, 2, 1),
        **COUNCILS,
        "prospectus": "Funding for councils to move transactions online. 23 councils were funded.",
    },
    {
        "programme": "cyber-security",
        "slug": "cyber-phase-1",
        "name": "Cyber Security phase 1",
        "reference_prefix": "CYB1",
        "financial_year": 2018,
        "budget": "1500000",  # the programme's 2018/19 grant; phase 1 awarded just over £1m
        "min_award": "1000",
        "max_award": "15000",
        "opens_at": dt(2018, 11, 1),
        "closes_at": dt(2018, 12, 14),
        "decided_at": dt(2019, 2, 1),
        **COUNCILS,
        "joint_bids_allowed": False,
        "max_partners": 0,
        "eligibility_note": "councils rated Red or Amber-Red in the cyber stocktake",
        "prospectus": "Grants for cyber security issues a council can fix quickly. The programme invites "
        "councils to bid and tells each invited council; councils not invited cannot apply.",
    },
    {
        "programme": "one-public-estate",
        "slug": "ope-phase-7",
        "name": "One Public Estate phase 7",
        "reference_prefix": "OPE7",
        "financial_year": 2019,
        "budget": "15000000",
        "min_award": "50000",
        "max_award": "500000",
        "opens_at": dt(2019, 1, 14),
        "closes_at": dt(2019, 3, 1),
        "decided_at": dt(2019, 4, 15),
        **COUNCILS,
        "max_partners": 20,
        "prospectus": "Funding for partnerships of councils and public bodies to release land and property.",
    },
    {
        "programme": "productivity-experts",
        "slug": "productivity-experts-2018-19",
        "name": "Productivity Experts 2018/19",
        "reference_prefix": "PEX19",
        "financial_year": 2018,
        "budget": "252000",
        "min_award": "6000",
        "max_award": "6000",
        "opens_at": dt(2018, 4, 3),
        "closes_at": dt(2019, 1, 31),
        "decided_at": dt(2019, 3, 1),
        **COUNCILS,
        "joint_bids_allowed": False,
        "max_partners": 0,
        "prospectus": "A £6,000 grant to commission an expert from the productivity pool.",
    },
]

# Issue 18: the rounds the history workbooks name that the demo did not have. Dates and budgets the
# reports do not give are illustrative; every budget holds its workbook's awards.
ADDED = [
    {
        "programme": "digital",
        "slug": "digital-experts-2015",
        "name": "Digital Experts 2015",
        "reference_prefix": "DEX15",
        "financial_year": 2015,
        "budget": "750000",  # 27 projects (illustrative amounts totalling £675,000)
        "min_award": "10000",
        "max_award": "40000",
        "opens_at": dt(2015, 4, 13),
        "closes_at": dt(2015, 5, 29),
        "decided_at": dt(2015, 7, 1),
        **COUNCILS,
        "prospectus": "Funding for councils to bring in digital experts to put services online. 27 projects were funded.",
    },
    {
        "programme": "digital",
        "slug": "digital-transformation-2016",
        "name": "Digital Transformation 2016",
        "reference_prefix": "DTR16",
        "financial_year": 2016,
        "budget": "700000",  # 16 projects (illustrative amounts totalling £640,000)
        "min_award": "20000",
        "max_award": "60000",
        "opens_at": dt(2016, 4, 11),
        "closes_at": dt(2016, 5, 27),
        "decided_at": dt(2016, 7, 1),
        **COUNCILS,
        "prospectus": "Funding for councils to redesign services around online transactions. 16 projects were funded.",
    },
    {
        "programme": "digital",
        "slug": "digital-housing-2018-19",
        "name": "Digital Housing 2018/19",
        "reference_prefix": "DH19",
        "financial_year": 2018,
        "budget": "75000",  # five councils at an illustrative £15,000
        "min_award": "5000",
        "max_award": "15000",
        "opens_at": dt(2018, 4, 16),
        "closes_at": dt(2018, 5, 25),
        "decided_at": dt(2018, 7, 2),
        **COUNCILS,
        "prospectus": "Funding for five councils to reuse the online housing forms built by a group of Kent districts "
        "led by Tunbridge Wells.",
    },
    {
        "programme": "digital",
        "slug": "social-care-digital-innovation",
        "name": "Social Care Digital Innovation 2018/19",
        "reference_prefix": "SCDI",
        "financial_year": 2018,
        "budget": "950000",  # up to £50,000 each to 19 bidders
        "min_award": "10000",
        "max_award": "50000",
        "opens_at": dt(2018, 6, 4),
        "closes_at": dt(2018, 7, 20),
        "decided_at": dt(2018, 9, 3),
        "eligible_kinds": [OrgKind.COUNTY, OrgKind.UNITARY, OrgKind.METROPOLITAN, OrgKind.LONDON_BOROUGH],
        "prospectus": "With NHS Digital: up to £50,000 each for councils with social care duties to try digital ideas.",
    },
    {
        "programme": "one-public-estate",
        "slug": "ope-phase-5",
        "name": "One Public Estate phase 5",
        "reference_prefix": "OPE5",
        "financial_year": 2016,
        "budget": "3600000",
        "min_award": "20000",
        "max_award": "150000",
        "max_partners": 20,
        "opens_at": dt(2016, 9, 5),
        "closes_at": dt(2016, 11, 4),
        "decided_at": dt(2017, 1, 20),
        "decision_date": date(2017, 1, 20),
        **COUNCILS,
        "prospectus": "Funding for partnerships of councils and public bodies to release land and property.",
    },
    {
        "programme": "land-release-fund",
        "slug": "land-release-fund-2017-18",
        "name": "Land Release Fund 2017/18",
        "reference_prefix": "LRF",
        "financial_year": 2017,
        "budget": "45000000",
        "min_award": "100000",
        "max_award": "5000000",
        "opens_at": dt(2017, 9, 1, 9),
        "closes_at": dt(2017, 10, 31),
        "decided_at": dt(2017, 12, 1),
        **COUNCILS,
        "prospectus": "£45m for remediation and small infrastructure on council land, releasing it for homes.",
    },
    {
        "programme": "design-in-the-public-sector",
        "slug": "design-in-the-public-sector-2018-19",
        "name": "Design in the Public Sector 2018/19",
        "reference_prefix": "DPS19",
        "financial_year": 2018,
        "budget": "150000",  # 14 projects at an illustrative £10,000
        "min_award": "5000",
        "max_award": "10000",
        "opens_at": dt(2018, 4, 3),
        "closes_at": dt(2018, 5, 18),
        "decided_at": dt(2018, 7, 2),
        **COUNCILS,
        "prospectus": "With the Design Council: design support for councils' public-health prevention projects.",
    },
    {
        "programme": "housing-tenancy-fraud",
        "slug": "housing-tenancy-fraud-pilot-2013",
        "name": "Housing Tenancy Fraud pilot 2013",
        "reference_prefix": "HTF13",
        "financial_year": 2013,
        "budget": "250000",  # three joint bids at illustrative amounts totalling £210,000
        "min_award": "20000",
        "max_award": "100000",
        "max_partners": 5,
        "opens_at": dt(2013, 2, 4),
        "closes_at": dt(2013, 3, 29),
        "decided_at": dt(2013, 6, 3),
        **COUNCILS,
        "prospectus": "A pilot of joint working between councils against social housing tenancy fraud.",
    },
]
