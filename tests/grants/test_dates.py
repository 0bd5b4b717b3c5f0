"""GOV.UK style times: '5:30pm', '10am', 'midday', 'midnight', in Europe/London."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template

from grants.core.dates import govuk_datetime, govuk_time, govuk_when


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        (datetime(2026, 12, 29, 12, 0, tzinfo=UTC), "midday"),  # GMT in winter
        (datetime(2026, 7, 1, 11, 0, tzinfo=UTC), "midday"),  # BST in summer
        (datetime(2026, 12, 29, 0, 0, tzinfo=UTC), "midnight"),
        (datetime(2026, 12, 29, 17, 30, tzinfo=UTC), "5:30pm"),
        (datetime(2026, 12, 29, 10, 0, tzinfo=UTC), "10am"),
        (datetime(2026, 12, 29, 0, 5, tzinfo=UTC), "12:05am"),
        (datetime(2026, 12, 29, 12, 45, tzinfo=UTC), "12:45pm"),
    ],
)
def test_govuk_time(utc, expected):
    assert govuk_time(utc) == expected


def test_datetime_forms():
    moment = datetime(2026, 3, 29, 16, 0, tzinfo=UTC)  # the day the clocks go forward: 5pm BST
    assert govuk_datetime(moment) == "29 March 2026, 5pm"
    assert govuk_datetime(moment, "j M Y") == "29 Mar 2026, 5pm"
    assert govuk_when(moment) == "29 March 2026 at 5pm"


def test_template_filters():
    html = Template("{% load govuk_dates %}{{ a|govuk_datetime }}|{{ a|govuk_time }}|{{ b|govuk_datetime }}").render(
        Context({"a": datetime(2026, 12, 29, 12, 0, tzinfo=UTC), "b": None})
    )
    assert html == "29 December 2026, midday|midday|"
