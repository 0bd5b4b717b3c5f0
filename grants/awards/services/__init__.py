"""Writes for awards: issue, offer and acceptance, payments, schedules, monitoring, variations,
evidence and closure.

Every function is keyword-only, atomic, checks who may act and what may follow what, writes an
audit row and tells the people concerned. One module per sub-domain; import from here.
"""

from .awards import (
    acceptance_overdue,
    award_accept,
    award_close,
    award_create_historic,
    award_decline,
    award_end,
    award_issue,
    award_transition,
    closure_submit,
    offer_terms_set,
    returns_create,
)
from .benefits import (
    PROJECTABLE,
    benefits_periods,
    benefits_projection_set,
    benefits_return_approve,
    benefits_return_request_changes,
    benefits_return_submit,
    benefits_schedule_create,
    benefits_send_refusal,
    benefits_years_set,
)
from .certification import certification_snapshot, fingerprint, return_certification_decline, return_certify
from .common import AwardError, award_context, lead_officers, notify_people, programme_managers
from .contacts import contact_followed_up, contact_log
from .evidence import evidence_add, evidence_remove
from .forecasts import forecast_record, may_forecast
from .monitoring import (
    milestone_add,
    milestone_confirm,
    milestone_update,
    return_approve,
    return_request_changes,
    return_save_draft,
    return_send_refusal,
    return_submit,
    return_validate,
)
from .partnerships import (
    award_partnership_set,
    partnership_awards_sync,
    partnership_create,
    partnership_member_add,
    partnership_member_leave,
)
from .payments import (
    fund_return_record,
    paid_total,
    payment_record,
    returned_total,
    second_factor_check,
    tranches_set,
)
from .schedule import (
    default_schedule,
    output_targets_set,
    return_period_add,
    return_period_change,
    return_period_remove,
    return_schedule_default,
    round_output_add,
)
from .spend import round_spend_settings_set, spend_parse, spend_required_fields
from .variations import variation_decide, variation_request

__all__ = [
    "PROJECTABLE",
    "AwardError",
    "acceptance_overdue",
    "award_accept",
    "award_close",
    "award_context",
    "award_create_historic",
    "award_decline",
    "award_end",
    "award_issue",
    "award_partnership_set",
    "award_transition",
    "benefits_periods",
    "benefits_projection_set",
    "benefits_return_approve",
    "benefits_return_request_changes",
    "benefits_return_submit",
    "benefits_schedule_create",
    "benefits_send_refusal",
    "benefits_years_set",
    "closure_submit",
    "default_schedule",
    "evidence_add",
    "evidence_remove",
    "forecast_record",
    "fund_return_record",
    "lead_officers",
    "may_forecast",
    "milestone_add",
    "milestone_confirm",
    "milestone_update",
    "notify_people",
    "offer_terms_set",
    "output_targets_set",
    "paid_total",
    "partnership_awards_sync",
    "partnership_create",
    "partnership_member_add",
    "partnership_member_leave",
    "payment_record",
    "programme_managers",
    "return_approve",
    "return_period_add",
    "return_period_change",
    "return_period_remove",
    "return_request_changes",
    "return_save_draft",
    "return_schedule_default",
    "return_send_refusal",
    "return_submit",
    "return_validate",
    "returned_total",
    "returns_create",
    "round_output_add",
    "second_factor_check",
    "tranches_set",
    "variation_decide",
    "variation_request",
    "contact_log",
    "contact_followed_up",
    "certification_snapshot",
    "fingerprint",
    "return_certify",
    "return_certification_decline",
    "round_spend_settings_set",
    "spend_parse",
    "spend_required_fields",
]
