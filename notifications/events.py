"""Every event the service tells people about, in one table.

Callers pass `event=<name>` to `notify()`. `essential` events always email (users cannot
turn them off: a receipt or an outcome must arrive); the rest can be switched off per event on
the preferences page. `subject` is a Django template string rendered with the context; the
bodies live in templates/notifications/email/<name>.txt and .html.

Each event declares its context: `required` keys (the subject and the sentences that say what
happened need them) and `optional` ones (the templates leave them out when empty). `notify()`
refuses a context with a key the event does not declare or without a required one: both are
programming errors (a typo, or a value nothing reads), caught by tests. Every template also
receives `recipient_name`, `link` (absolute URL), `service_name`, `subject` and `contact`
(grants.contacts: who to ask, shown through notifications/email/_contact.*).
"""

from collections.abc import Mapping
from dataclasses import dataclass


class EventContextError(TypeError):
    """A context that does not match its event's declaration: like a wrong keyword argument."""


@dataclass(frozen=True)
class Event:
    name: str
    label: str
    essential: bool
    subject: str
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # A key both required and optional is required ("the award's facts, and the reference").
        object.__setattr__(self, "optional", tuple(k for k in dict.fromkeys(self.optional) if k not in self.required))

    @property
    def keys(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)

    def check_context(self, context: Mapping) -> None:
        unknown = sorted(set(context) - set(self.keys))
        missing = [key for key in self.required if key not in context]
        if unknown or missing:
            problems = ([f"undeclared {', '.join(unknown)}"] if unknown else []) + (
                [f"missing {', '.join(missing)}"] if missing else []
            )
            raise EventContextError(
                f"Context for notification event {self.name!r}: {'; '.join(problems)}. "
                f"It takes {', '.join(self.required) or 'nothing'} and optionally {', '.join(self.optional) or 'nothing'} "
                "(notifications/events.py)"
            )

    @property
    def template_txt(self) -> str:
        return f"notifications/email/{self.name}.txt"

    @property
    def template_html(self) -> str:
        return f"notifications/email/{self.name}.html"


# What every message about an award carries (grants.awards.services.common.award_context).
_AWARD = ("title", "round_name", "organisation_name", "amount")

EVENTS: dict[str, Event] = {
    e.name: e
    for e in [
        Event(
            "bid_submitted",
            "Bid submitted (receipt)",
            True,
            "We have received {% if is_eoi %}expression of interest{% else %}bid{% endif %} {{ reference }}",
            required=("reference", "round_name"),
            optional=("organisation_name", "submitted_at", "is_eoi"),
        ),
        Event(
            "partner_confirmation_requested",
            "Partner asked to confirm a joint bid",
            True,
            "Confirm your council's part in a joint bid to {{ round_name }}",
            required=("round_name",),
            optional=("partner_name", "lead_name"),
        ),
        Event(
            "bid_returned",
            "Bid returned for changes",
            True,
            "Bid {{ reference }} has been returned for changes",
            required=("reference", "round_name"),
            optional=("reason",),
        ),
        Event(
            "bid_ineligible",
            "Bid found ineligible",
            True,
            "Bid {{ reference }} is not eligible for {{ round_name }}",
            required=("reference", "round_name"),
            optional=("reason",),
        ),
        Event(
            "eoi_invited",
            "Invited to a full bid",
            True,
            "{{ organisation_name }} is invited to send a full bid to {{ round_name }}",
            required=("round_name", "organisation_name", "title", "deadline"),
            optional=("reference", "feedback"),
        ),
        Event(
            "eoi_declined",
            "Expression of interest not taken forward",
            True,
            "Your expression of interest to {{ round_name }}: not invited to a full bid",
            required=("round_name", "organisation_name", "title"),
            optional=("reference", "reason"),
        ),
        # Issue 16, clarifications.
        Event(
            "clarification_asked",
            "Question about a bid from the assessors",
            True,
            "A question about bid {{ reference }}: reply by {{ reply_by }}",
            required=("round_name", "organisation_name", "title", "question", "reply_by"),
            optional=("reference",),
        ),
        Event(
            "clarification_answered",
            "The council answered a question about its bid",
            False,
            "{{ organisation_name }} answered your question about bid {{ reference }}",
            required=("round_name", "organisation_name", "title", "question", "answer"),
            optional=("reference", "reply_by"),
        ),
        Event(
            "clarification_reminder",
            "Reminder: a question about a bid is due tomorrow",
            True,
            "Reminder: please answer the question about bid {{ reference }} by {{ reply_by }}",
            required=("round_name", "organisation_name", "title", "question", "reply_by"),
            optional=("reference",),
        ),
        Event(
            "round_opening",
            "Funding round opening",
            False,
            "{{ round_name }} is now open for bids",
            required=("round_name",),
            optional=("programme_name", "closes_at", "invited"),
        ),
        Event(
            "deadline_approaching",
            "Bid deadline approaching",
            False,
            "{{ round_name }}{% if stage_name %}: {{ stage_name }} close{% else %} closes{% endif %} {{ when }}",
            required=("round_name",),
            optional=("closes_at", "when", "reference", "stage_name"),
        ),
        Event(
            "extension_granted",
            "Extension granted",
            True,
            "Your deadline for {{ round_name }} has been extended",
            required=("round_name",),
            optional=("reference", "new_deadline"),
        ),
        Event(
            "assessor_assigned",
            "Assessor assigned to bids",
            True,
            "You have bids to assess in {{ round_name }}",
            required=("round_name",),
            optional=("count", "deadline"),
        ),
        Event(
            "scoring_deadline_approaching",
            "Scoring deadline approaching",
            False,
            "Scoring for {{ round_name }} is due {{ when }}",
            required=("round_name",),
            optional=("deadline", "when", "outstanding"),
        ),
        Event(
            "conflict_declared",
            "Conflict of interest declared",
            True,
            "Conflict of interest declared on bid {{ reference }}",
            required=("reference",),
            optional=("organisation_name", "assessor_name", "reason"),
        ),
        Event(
            "outcome",
            "Decision on a bid",
            True,
            "Decision on bid {{ reference }}",
            required=("reference", "round_name", "outcome"),
            # `funded`: messages written before `outcome` was sent still render (the template
            # reads it when `outcome` is empty).
            optional=("funded", "amount", "feedback"),
        ),
        Event(
            "award_offered",
            "Grant offered",
            True,
            "Grant offer for {{ reference }}",
            required=("reference",),
            optional=(*_AWARD, "respond_by"),
        ),
        Event(
            "award_accepted",
            "Grant offer accepted",
            True,
            "Grant offer for {{ reference }} accepted",
            required=("reference",),
            optional=(*_AWARD, "accepted_by"),
        ),
        Event(
            "payment_made",
            "Payment made",
            True,
            "{% load govuk_money %}Payment of {{ amount|pounds }} for {{ reference }}",
            required=("reference", "amount"),
            optional=(*_AWARD, "paid_on"),
        ),
        Event(
            "milestone_due",
            "Milestone due",
            False,
            "Milestone due {{ when }}: {{ title }}",
            required=("reference", "title"),
            optional=("due_on", "when"),
        ),
        Event(
            "return_due",
            "Return due",
            False,
            "Return due {{ when }} for {{ reference }}",
            required=("reference", "title"),
            optional=("due_on", "when"),
        ),
        Event(
            "overdue",
            "Overdue return or milestone",
            True,
            "Overdue: {{ title }} for {{ reference }}",
            required=("reference", "title"),
            optional=("due_on", "days_overdue"),
        ),
        Event(
            "return_changes_requested",
            "Changes requested to a return",
            True,
            "Changes requested to your return for {{ reference }}",
            required=("reference", "title"),
            optional=(*_AWARD, "reason"),
        ),
        Event(
            "variation_decided",
            "Variation request decided",
            True,
            "Decision on your variation request for {{ reference }}",
            # Without `approved` the email would say "turned down".
            required=("reference", "approved"),
            optional=(*_AWARD, "reason"),
        ),
        # Added so every change someone else must act on reaches them (see the awards and bids issues).
        Event(
            "partner_responded",
            "Partner council confirmed or declined",
            True,
            "{{ partner_name }} has {{ response }} its part in {{ title }}",
            # The bid's facts (applications.services.bid_facts), the partner and its answer.
            required=("reference", "round_name", "title", "partner_name", "response"),
            optional=("organisation_name", "reason"),
        ),
        Event(
            "bid_withdrawn",
            "Bid withdrawn",
            False,
            "Bid {{ reference|default:title }} has been withdrawn",
            required=("reference", "round_name", "organisation_name", "title"),
            optional=("reason",),
        ),
        Event(
            "return_submitted",
            "Monitoring return sent",
            False,
            "Return sent for {{ reference }}: {{ title }}",
            required=("reference", "title", "organisation_name"),
            optional=(*_AWARD, "rag", "submission_count"),
        ),
        # Issue 17, certification.
        Event(
            "return_to_certify",
            "Monitoring return to certify",
            True,
            "Return to certify for {{ reference }}: {{ title }}",
            required=("reference", "title", "organisation_name"),
            optional=(*_AWARD, "rag"),
        ),
        Event(
            "return_certify_reminder",
            "Reminder: a monitoring return to certify",
            True,
            "Reminder: return to certify for {{ reference }} {% if days_overdue %}is overdue{% else %}is due {{ when|default:'soon' }}{% endif %}",
            required=("reference", "title", "due_on"),
            optional=("award_title", "organisation_name", "when", "days_overdue"),
        ),
        Event(
            "return_certification_declined",
            "Monitoring return sent back by the certifier",
            True,
            "Return for {{ reference }} sent back by your certifier",
            required=("reference", "title", "reason"),
            optional=_AWARD,
        ),
        Event(
            "return_approved",
            "Monitoring return approved",
            False,
            "Your return for {{ reference }} has been approved",
            required=("reference", "title"),
            optional=_AWARD,
        ),
        Event(
            "variation_requested",
            "Variation requested",
            False,
            "Variation requested on {{ reference }}",
            required=("reference", "organisation_name"),
            optional=(*_AWARD, "summary", "reason"),
        ),
        Event(
            "award_declined",
            "Grant offer declined",
            True,
            "Grant offer for {{ reference }} declined",
            required=("reference", "organisation_name"),
            optional=(*_AWARD, "reason"),
        ),
        Event(
            "award_ended",
            "Award withdrawn or terminated",
            True,
            "Your award {{ reference }} has been {{ status }}",
            required=("reference", "status"),
            optional=(*_AWARD, "reason"),
        ),
        Event(
            "closure_report_sent",
            "End-of-project report sent",
            False,
            "End-of-project report sent for {{ reference }}",
            required=("reference", "organisation_name"),
            optional=_AWARD,
        ),
        Event(
            "award_closed",
            "Award closed",
            False,
            "Your award {{ reference }} is closed",
            required=("reference",),
            optional=_AWARD,
        ),
        # Issue 16, joining a council
        Event(
            "membership_requested",
            "Someone asks to join an organisation",
            True,
            "{{ person }} asks to join {{ organisation_name }}",
            required=("person", "organisation_name"),
            optional=("matched_domain",),
        ),
        Event(
            "membership_approved",
            "Request to join an organisation approved",
            True,
            "You can now work for {{ organisation_name }} on Grantbench",
            required=("organisation_name",),
            optional=("decided_by",),
        ),
        Event(
            "membership_declined",
            "Request to join an organisation declined",
            True,
            "Your request to join {{ organisation_name }} was declined",
            required=("organisation_name",),
            optional=("reason",),
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
