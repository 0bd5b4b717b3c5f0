"""Writes for bids: start, answer, partners, evidence, submit, return, withdraw, ineligible, extensions.

Each function checks the rule, changes rows inside one transaction, leaves an audit event and
queues any notification, so views stay thin and the rules are tested in one place. One module per
sub-domain; import from here.
"""

from .answers import delete_evidence, save_section_answers, upload_evidence
from .bids import DETAIL_FIELDS, details_complete, details_errors, start_bid, update_bid_details
from .common import BidError, bid_editors, bid_facts, bid_notify, bid_url, officers_of
from .eligibility import (
    NO_COUNCIL_ROLE,
    bid_eligibility,
    deadline_for,
    ensure_before_deadline,
    ensure_editable,
    extension_for,
    lock_editable,
    partner_problems,
    start_eligibility,
    submission_in_time,
)
from .eoi import eoi_decline, eoi_invite
from .lifecycle import grant_extension, mark_ineligible, return_bid, submission_problems, submit_bid, withdraw_bid
from .partners import (
    add_collaborator,
    add_other_partner,
    add_partner,
    partner_attach,
    remove_collaborator,
    remove_other_partner,
    remove_partner,
    respond_to_partner,
)

__all__ = [
    "DETAIL_FIELDS",
    "NO_COUNCIL_ROLE",
    "BidError",
    "add_collaborator",
    "add_other_partner",
    "add_partner",
    "remove_other_partner",
    "bid_editors",
    "bid_eligibility",
    "bid_facts",
    "bid_notify",
    "bid_url",
    "deadline_for",
    "delete_evidence",
    "details_complete",
    "details_errors",
    "ensure_before_deadline",
    "eoi_decline",
    "eoi_invite",
    "ensure_editable",
    "extension_for",
    "grant_extension",
    "lock_editable",
    "mark_ineligible",
    "officers_of",
    "partner_attach",
    "partner_problems",
    "remove_collaborator",
    "remove_partner",
    "respond_to_partner",
    "start_eligibility",
    "return_bid",
    "save_section_answers",
    "start_bid",
    "submission_in_time",
    "submission_problems",
    "submit_bid",
    "update_bid_details",
    "upload_evidence",
    "withdraw_bid",
]
