"""Every event the service tells people about, in one table.

Callers pass `event=<name>` to `notify()`. `essential` events always email (users cannot
turn them off: a receipt or an outcome must arrive); the rest can be switched off per event on
the preferences page. `subject` is a Django template string rendered with the context; the
bodies live in templates/notifications/email/<name>.txt and .html. `keys` lists the context
values the templates use, so callers know what to pass (all optional: a missing key renders
empty). Every template also receives `recipient_name`, `link` (absolute URL) and `service_name`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    name: str
    label: str
    essential: bool
    subject: str
    keys: tuple[str, ...] = ()

    @property
    def template_txt(self) -> str:
        return f"notifications/email/{self.name}.txt"

    @property
    def template_html(self) -> str:
        return f"notifications/email/{self.name}.html"


_BID = ("reference", "round_name", "organisation_name")

EVENTS: dict[str, Event] = {
    e.name: e
    for e in [
        Event(
            "bid_submitted",
            "Bid submitted (receipt)",
            True,
            "We have received bid {{ reference }}",
            (*_BID, "submitted_at"),
        ),
        Event(
            "partner_confirmation_requested",
            "Partner asked to confirm a joint bid",
            True,
            "Confirm your council's part in a joint bid to {{ round_name }}",
            (*_BID, "partner_name", "lead_name"),
        ),
        Event(
            "bid_returned",
            "Bid returned for changes",
            True,
            "Bid {{ reference }} has been returned for changes",
            (*_BID, "reason"),
        ),
        Event(
            "bid_ineligible",
            "Bid found ineligible",
            True,
            "Bid {{ reference }} is not eligible for {{ round_name }}",
            (*_BID, "reason"),
        ),
        Event(
            "round_opening",
            "Funding round opening",
            False,
            "{{ round_name }} is now open for bids",
            ("round_name", "programme_name", "closes_at"),
        ),
        Event(
            "deadline_approaching",
            "Bid deadline approaching",
            False,
            "{{ round_name }} closes {{ when }}",
            ("round_name", "closes_at", "when", "reference"),
        ),
        Event(
            "extension_granted",
            "Extension granted",
            True,
            "Your deadline for {{ round_name }} has been extended",
            (*_BID, "new_deadline"),
        ),
        Event(
            "assessor_assigned",
            "Assessor assigned to bids",
            True,
            "You have bids to assess in {{ round_name }}",
            ("round_name", "count", "deadline"),
        ),
        Event(
            "scoring_deadline_approaching",
            "Scoring deadline approaching",
            False,
            "Scoring for {{ round_name }} is due {{ when }}",
            ("round_name", "deadline", "when", "outstanding"),
        ),
        Event(
            "conflict_declared",
            "Conflict of interest declared",
            True,
            "Conflict of interest declared on bid {{ reference }}",
            (*_BID, "assessor_name", "reason"),
        ),
        Event(
            "outcome",
            "Decision on a bid",
            True,
            "Decision on bid {{ reference }}",
            (*_BID, "outcome", "funded", "amount", "feedback"),
        ),
        Event(
            "award_offered", "Grant offered", True, "Grant offer for {{ reference }}", (*_BID, "amount", "respond_by")
        ),
        Event(
            "award_accepted",
            "Grant offer accepted",
            True,
            "Grant offer for {{ reference }} accepted",
            (*_BID, "amount", "accepted_by"),
        ),
        Event(
            "payment_made",
            "Payment made",
            True,
            "Payment of £{{ amount }} for {{ reference }}",
            (*_BID, "amount", "paid_on"),
        ),
        Event(
            "milestone_due",
            "Milestone due",
            False,
            "Milestone due {{ when }}: {{ title }}",
            ("reference", "title", "due_on", "when"),
        ),
        Event(
            "return_due",
            "Return due",
            False,
            "Return due {{ when }} for {{ reference }}",
            ("reference", "title", "due_on", "when"),
        ),
        Event(
            "overdue",
            "Overdue return or milestone",
            True,
            "Overdue: {{ title }} for {{ reference }}",
            ("reference", "title", "due_on", "days_overdue"),
        ),
        Event(
            "return_changes_requested",
            "Changes requested to a return",
            True,
            "Changes requested to your return for {{ reference }}",
            ("reference", "title", "reason"),
        ),
        Event(
            "variation_decided",
            "Variation request decided",
            True,
            "Decision on your variation request for {{ reference }}",
            ("reference", "approved", "reason"),
        ),
        # Added so every change someone else must act on reaches them (see the awards and bids issues).
        Event(
            "partner_responded",
            "Partner council confirmed or declined",
            True,
            "{{ partner_name }} has {{ response }} its part in {{ title }}",
            (*_BID, "title", "partner_name", "response", "reason"),
        ),
        Event(
            "bid_withdrawn",
            "Bid withdrawn",
            False,
            "Bid {{ reference|default:title }} has been withdrawn",
            (*_BID, "title", "reason"),
        ),
        Event(
            "return_submitted",
            "Monitoring return sent",
            False,
            "Return sent for {{ reference }}: {{ title }}",
            ("reference", "title", "organisation_name", "rag", "submission_count"),
        ),
        Event(
            "return_approved",
            "Monitoring return approved",
            False,
            "Your return for {{ reference }} has been approved",
            ("reference", "title"),
        ),
        Event(
            "variation_requested",
            "Variation requested",
            False,
            "Variation requested on {{ reference }}",
            ("reference", "organisation_name", "summary", "reason"),
        ),
        Event(
            "award_declined",
            "Grant offer declined",
            True,
            "Grant offer for {{ reference }} declined",
            ("reference", "organisation_name", "reason"),
        ),
        Event(
            "award_ended",
            "Award withdrawn or terminated",
            True,
            "Your award {{ reference }} has been {{ status }}",
            ("reference", "status", "reason"),
        ),
        Event(
            "closure_report_sent",
            "End-of-project report sent",
            False,
            "End-of-project report sent for {{ reference }}",
            ("reference", "organisation_name"),
        ),
        Event(
            "award_closed",
            "Award closed",
            False,
            "Your award {{ reference }} is closed",
            ("reference",),
        ),
    ]
}

# Events a user may switch off (per event) on the preferences page.
OPTIONAL_EVENTS = [e for e in EVENTS.values() if not e.essential]


def get_event(name: str) -> Event:
    try:
        return EVENTS[name]
    except KeyError:
        raise ValueError(f"Unknown notification event {name!r}; add it to notifications/events.py")
