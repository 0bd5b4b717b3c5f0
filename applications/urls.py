from django.urls import path

from .views import builder, clarifications, council, notes, printable, sections, staff

app_name = "applications"

urlpatterns = [
    path("bids/", council.bid_dashboard, name="bid_dashboard"),
    path("rounds/<slug:slug>/apply/", council.bid_start, name="bid_start"),
    path("rounds/<slug:slug>/partner-search/", council.partner_search_json, name="partner_search_json"),
    path("bids/<int:pk>/", council.bid_detail, name="bid_detail"),
    path("bids/<int:pk>/details/", council.bid_details_edit, name="bid_details"),
    path("bids/<int:pk>/partners/", council.bid_partners, name="bid_partners"),
    path("bids/<int:pk>/collaborators/", council.bid_collaborators, name="bid_collaborators"),
    path("bids/<int:pk>/sections/<int:section_pk>/", sections.bid_section, name="bid_section"),
    path("bids/<int:pk>/files/<int:file_pk>/", sections.evidence_download, name="evidence_download"),
    path("bids/<int:pk>/files/<int:file_pk>/delete/", council.evidence_delete, name="evidence_delete"),
    path("bids/<int:pk>/check/", council.bid_check, name="bid_check"),
    path("bids/<int:pk>/submitted/", council.bid_submitted, name="bid_submitted"),
    path("bids/<int:pk>/withdraw/", council.bid_withdraw, name="bid_withdraw"),
    path("bids/<int:pk>/history/", council.bid_history, name="bid_history"),
    path("bids/<int:pk>/partner/", council.partner_respond, name="partner_respond"),
    path("bids/<int:pk>/bid.pdf", printable.bid_pdf, name="bid_pdf"),
    path("rounds/<slug:slug>/questions/", printable.round_questions, name="round_questions"),
    path("rounds/<slug:slug>/questions.pdf", printable.round_questions_pdf, name="round_questions_pdf"),
    path("staff/rounds/<slug:slug>/bids/", staff.staff_bid_list, name="staff_bid_list"),
    path("staff/rounds/<slug:slug>/bids/export.<str:fmt>", staff.staff_bid_export, name="staff_bid_export"),
    path("staff/rounds/<slug:slug>/bids/<int:pk>/return/", staff.staff_bid_return, name="staff_bid_return"),
    path("staff/rounds/<slug:slug>/bids/<int:pk>/ineligible/", staff.staff_bid_ineligible, name="staff_bid_ineligible"),
    path("staff/rounds/<slug:slug>/extensions/", staff.staff_extensions, name="staff_extensions"),
    path("staff/rounds/<slug:slug>/questions/", builder.staff_questions, name="staff_questions"),
    path("staff/rounds/<slug:slug>/sections/new/", builder.staff_section_edit, name="staff_section_create"),
    path("staff/rounds/<slug:slug>/sections/<int:section_pk>/", builder.staff_section_edit, name="staff_section_edit"),
    path(
        "staff/rounds/<slug:slug>/sections/<int:section_pk>/questions/new/",
        builder.staff_question_edit,
        name="staff_question_create",
    ),
    path(
        "staff/rounds/<slug:slug>/sections/<int:section_pk>/questions/<int:question_pk>/",
        builder.staff_question_edit,
        name="staff_question_edit",
    ),
    path(
        "staff/rounds/<slug:slug>/<str:kind>/<int:pk>/delete/",
        builder.staff_delete,
        name="staff_delete",
    ),
    # Issue 16, clarifications.
    path("bids/<int:pk>/clarifications/new/", clarifications.clarification_ask, name="clarification_ask"),
    path(
        "bids/<int:pk>/clarifications/<int:cpk>/answer/",
        clarifications.clarification_answer,
        name="clarification_answer",
    ),
    path(
        "bids/<int:pk>/clarifications/<int:cpk>/close/",
        clarifications.clarification_close,
        name="clarification_close",
    ),
    # Issue 16, notes
    path("staff/bids/<int:pk>/notes/new/", notes.bid_note_add, name="bid_note_add"),
]
