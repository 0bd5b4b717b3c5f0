"""The task list's status for each part of the bid says what is really left to do."""

import re
from decimal import Decimal

from applications.models import Bid

from .test_services import start


def _status(page: str, task: str) -> str:
    match = re.search(rf'id="task-{task}-status">(.*?)</div>', page, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_bid_details_task_is_completed_only_when_details_would_pass(personas, client_for):
    bid = start(personas, planned_start=None, planned_end=None)
    client = client_for(personas.lead_officer)
    page = client.get(f"/bids/{bid.pk}/").content.decode()
    assert _status(page, "details") == "In progress" and "Enter the planned start and end dates" in page
    Bid.objects.filter(pk=bid.pk).update(planned_start="2026-04-01", planned_end="2027-03-31")
    assert _status(client.get(f"/bids/{bid.pk}/").content.decode(), "details") == "Completed"
    # The round's rules changed after the bid was started: the amount no longer fits.
    personas.round.max_award = Decimal("15000.00")
    personas.round.save()
    assert _status(client.get(f"/bids/{bid.pk}/").content.decode(), "details") == "In progress"
