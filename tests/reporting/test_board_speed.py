"""Issue 19, the board report's speed without a different word on the page: the table rows built
in Python read exactly as the template loop they replaced (kept here as the oracle), and the first
reported quarter is the one the join over every return found."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants.awards import outputs as rules
from grants.awards.models import Award, MonitoringReturn, OutputTarget, OutputValue, ReturnStatus
from grants.awards.selectors import STANDING
from grants.reporting import board, selectors
from grants.reporting.board_outputs import board_outputs
from grants.reporting.board_sections import BoardSection, Column
from tests.awards.factories import AwardFactory, ReturnPeriodFactory, RoundOutputFactory
from tests.factories import RoundFactory

from .conftest import rolled_back

EVIL = "<script>alert('x') & \"y\"</script>"

# The loop `reporting/_board_section.html` ran before issue 19, word for word.
TEMPLATE_ROWS = Template(
    """{% for row in cells %}<tr class="govuk-table__row">{% for cell in row %}{% if forloop.first %}<th scope="row" class="govuk-table__header{% if cell.numeric %} govuk-table__header--numeric{% endif %}">{% else %}<td class="govuk-table__cell{% if cell.numeric %} govuk-table__cell--numeric{% endif %}">{% endif %}{% if cell.tag %}<strong class="govuk-tag {{ cell.tag }}">{{ cell.text }}</strong>{% else %}{{ cell.text }}{% endif %}{% if forloop.first %}</th>{% else %}</td>{% endif %}{% endfor %}</tr>{% empty %}<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{{ section.columns|length }}">None</td></tr>{% endfor %}"""  # noqa: E501
)

COLUMNS = [
    Column("name", "Name"),
    Column("amount", "Amount", "pounds"),
    Column("n", "Awards", "count"),
    Column("share", "Share", "percent"),
    Column("rag", "RAG", "rag"),
    Column("on", "On", "date"),
]
SECTIONS = [
    BoardSection("empty", "Nothing", COLUMNS),
    BoardSection(
        "mixed",
        "Mixed",
        COLUMNS,
        rows=[
            ["Plain", 1234.5, 7253, 61, "green", date(2019, 3, 31)],
            [EVIL, None, 0, None, "", None],
            [12, -5, 1, 100, "red", date(2020, 1, 1)],
            ["Amber & co", 0, 3, 0, "amber", date(2021, 6, 30)],
        ],
    ),
    BoardSection("rag-first", "RAG first", [Column("rag", "RAG", "rag"), Column("n", "N", "count")], [["", 2]]),
]


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.key)
def test_rows_built_in_python_read_as_the_template_loop(section):
    cells = board.table_cells(section)
    expected = TEMPLATE_ROWS.render(Context({"cells": cells, "section": section}))
    assert str(board.rows_html(section, cells)) == expected
    assert "<script>" not in expected


@pytest.mark.django_db
def test_first_reported_period_end_is_the_earliest_period_with_a_reported_return(personas):
    assert selectors.first_reported_period_end() is None
    award = AwardFactory(round=personas.round)
    periods = [
        ReturnPeriodFactory(round=personas.round, period_start=date(y, 1, 1), period_end=date(y, 3, 31),
                            due_on=date(y, 4, 30))
        for y in (2018, 2019, 2020)
    ]  # fmt: skip
    MonitoringReturn.objects.create(award=award, period=periods[0], status=ReturnStatus.DUE)
    assert selectors.first_reported_period_end() is None  # a return not sent does not count
    MonitoringReturn.objects.create(award=award, period=periods[2], status=ReturnStatus.APPROVED)
    assert selectors.first_reported_period_end() == date(2020, 3, 31)
    other = AwardFactory(round=personas.round)
    MonitoringReturn.objects.create(award=other, period=periods[1], status=ReturnStatus.CHANGES_REQUESTED)
    assert selectors.first_reported_period_end() == date(2019, 3, 31)
    MonitoringReturn.objects.filter(period=periods[0]).update(status=ReturnStatus.SUBMITTED)
    assert selectors.first_reported_period_end() == date(2018, 3, 31)


# The overview's outputs to date and the outputs section's actuals share one read per report ---------

PERIODS = [(date(2019, 1, 1), date(2019, 3, 31)), (date(2019, 4, 1), date(2019, 6, 30))]
UNITS = [("savings", "pounds", ""), ("homes", "count", ""), ("take_up_increase", "percent", ""),
         ("other", "percent", "Happier staff")]  # fmt: skip
STATUSES = ["offered", "accepted", "active", "completed", "terminated", "declined", "withdrawn"]
RETURN_STATUSES = ["due", "submitted", "changes_requested", "approved"]


def _coarse_to_date(standing, as_at: date) -> dict:
    """The oracle: the overview's figures as it read them before issue 19, one grouped read of
    the values by programme (`to_date` by programme, kind, label and unit)."""
    keys = ("monitoring_return__award__round__programme", "output__kind", "output__label", "output__unit")
    return rules.to_date(rules.reported_values(award_ids=standing, as_at=as_at), keys)


def _world(personas, awards) -> None:
    rounds = [personas.round, RoundFactory(programme=personas.other_programme)]
    outputs = {
        r.pk: [RoundOutputFactory(round=r, kind=k, unit=u, label=label) for k, u, label in UNITS] for r in rounds
    }
    periods = {
        r.pk: [ReturnPeriodFactory(round=r, period_start=s, period_end=e, due_on=e.replace(day=28)) for s, e in PERIODS]
        for r in rounds
    }
    for spec in awards:
        rnd = rounds[spec["round"]]
        award = AwardFactory(round=rnd, status=spec["status"], award_date=date(2019, spec["month"], 1))
        for o, target in zip(outputs[rnd.pk], spec["targets"], strict=False):
            if target is not None:
                OutputTarget.objects.create(award=award, output=o, target=Decimal(target))
        for period, (status, day, values) in zip(periods[rnd.pk], spec["returns"], strict=False):
            sent = timezone.make_aware(timezone.datetime.combine(period.period_end, timezone.datetime.min.time()))
            r = MonitoringReturn.objects.create(
                award=award, period=period, status=status, submitted_at=sent + timezone.timedelta(days=day)
            )
            for o, value in zip(outputs[rnd.pk], values, strict=False):
                if value is not None:
                    OutputValue.objects.create(monitoring_return=r, output=o, value=Decimal(value) / 4)


def _award_specs():
    figure = st.one_of(st.none(), st.integers(0, 4000))
    return st.fixed_dictionaries(
        {
            "round": st.integers(0, 1),
            "status": st.sampled_from(STATUSES),
            "month": st.integers(1, 9),
            "targets": st.lists(figure, min_size=4, max_size=4),
            "returns": st.lists(
                st.tuples(st.sampled_from(RETURN_STATUSES), st.integers(0, 60), st.lists(figure, max_size=4)),
                max_size=2,
            ),
        }
    )


@pytest.mark.django_db
def test_one_read_gives_the_overview_and_the_section_what_their_own_reads_gave(personas):
    programmes = [personas.programme.pk, personas.other_programme.pk]

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(awards=st.lists(_award_specs(), max_size=6), as_at=st.sampled_from(
        [date(2019, 3, 31), date(2019, 5, 15), date(2019, 6, 30), date(2019, 9, 30)]))  # fmt: skip
    def check(awards, as_at):
        with rolled_back():
            _world(personas, awards)
            made = Award.objects.filter(round__programme__in=programmes, award_date__lte=as_at, status__in=STANDING)
            by_award = rules.to_date_as_at(programme_ids=programmes, as_at=as_at)
            # The overview: per programme, as the grouped read gave it.
            grouped = rules.regroup(by_award, lambda k: (k[0], *k[3:]))
            assert grouped == _coarse_to_date(made.order_by().values("pk"), as_at)
            # The section: each target's actual, as the standings' own read gave it.
            targets = OutputTarget.objects.filter(award__in=made.order_by().values("pk"))
            own = [(o.target.pk, o.actual) for o in rules.standings(targets, as_at, plain=True)]
            actual = {(k[1], k[2]): v for k, v in by_award.items()}
            shared = [(o.target.pk, o.actual) for o in rules.standings(targets, as_at, plain=True, actual=actual)]
            assert own == shared
            # Inside one report the section reads only its targets and their forecasts.
            alone = board_outputs(programmes, as_at)
            with rules.read_once():
                rules.to_date_as_at(programme_ids=programmes, as_at=as_at)
                with CaptureQueriesContext(connection) as ctx:
                    assert board_outputs(programmes, as_at) == alone
            assert len(ctx.captured_queries) == (2 if targets.exists() else 1)

    check()
