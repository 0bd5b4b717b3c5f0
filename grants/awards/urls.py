from django.urls import path

from . import (
    benefits_views,
    certify_views,
    evidence_views,
    forecast_views,
    notes_views,
    partnership_views,
    staff_views,
    views,
)
from .imports import views as import_views

app_name = "awards"

urlpatterns = [
    path("awards/", views.dashboard, name="dashboard"),
    path("awards/<int:pk>/", views.detail, name="detail"),
    path("awards/<int:pk>/offer/", views.offer_letter, name="offer_letter"),
    path("awards/<int:pk>/offer.pdf", views.offer_pdf, name="offer_pdf"),
    path("awards/<int:pk>/accept/", views.accept, name="accept"),
    path("awards/<int:pk>/decline/", views.decline, name="decline"),
    path("awards/<int:pk>/milestones/<int:mid>/", views.milestone_update, name="milestone_update"),
    path("awards/<int:pk>/returns/<int:rid>/", views.return_detail, name="return"),
    path("awards/<int:pk>/returns/<int:rid>/certify/", certify_views.return_certify, name="return_certify"),
    path("awards/<int:pk>/evidence/<int:fid>/", evidence_views.evidence_download, name="evidence_download"),
    path("awards/<int:pk>/evidence/<int:fid>/remove/", evidence_views.evidence_remove, name="evidence_remove"),
    path("awards/<int:pk>/variations/new/", views.variation_new, name="variation_new"),
    path("awards/<int:pk>/closure/", views.closure, name="closure"),
    path("staff/awards/historic/new/", staff_views.historic_new, name="historic_new"),
    path("staff/awards/import/", import_views.start, name="import_start"),
    path("staff/awards/import/template.xlsx", import_views.template, name="import_template"),
    path("staff/awards/import/<int:pk>/", import_views.detail, name="import_detail"),
    path("staff/awards/import/<int:pk>/confirm/", import_views.confirm, name="import_confirm"),
    path("staff/awards/<int:pk>/offer-terms/", staff_views.offer_terms, name="offer_terms"),
    path("staff/awards/<int:pk>/tranches/", staff_views.tranches_plan, name="tranches"),
    path("staff/awards/<int:pk>/tranches/<int:tid>/pay/", staff_views.payment, name="payment"),
    path("staff/awards/<int:pk>/milestones/new/", staff_views.milestone_add, name="milestone_add"),
    path(
        "staff/awards/<int:pk>/milestones/<int:mid>/confirm/", staff_views.milestone_confirm, name="milestone_confirm"
    ),
    path("staff/awards/<int:pk>/variations/<int:vid>/", staff_views.variation_decide, name="variation_decide"),
    path("staff/awards/<int:pk>/fund-returns/new/", staff_views.fund_return_new, name="fund_return_new"),
    path("staff/awards/<int:pk>/end/", staff_views.end, name="end"),
    path("staff/awards/<int:pk>/close/", staff_views.close, name="close"),
    path("staff/awards/<int:pk>/targets/", staff_views.targets, name="targets"),
    path("staff/awards/rounds/<slug:slug>/monitoring/", staff_views.round_monitoring, name="round_monitoring"),
    path(
        "staff/awards/rounds/<slug:slug>/monitoring/returns/<int:period_pk>/",
        staff_views.return_period_edit,
        name="return_period_edit",
    ),
    path("staff/portfolio/", staff_views.portfolio, name="portfolio"),
    # Issue 16, notes
    path("staff/awards/<int:pk>/notes/new/", notes_views.award_note_add, name="award_note_add"),
    path("staff/awards/<int:pk>/returns/<int:rid>/notes/new/", notes_views.return_note_add, name="return_note_add"),
    path("staff/awards/<int:pk>/contacts/new/", notes_views.contact_add, name="contact_add"),
    # Issue 17, follow-ups due
    path(
        "staff/awards/<int:pk>/contacts/<int:cid>/followed-up/",
        notes_views.contact_followed_up,
        name="contact_followed_up",
    ),
    path("staff/follow-ups/", notes_views.follow_ups, name="follow_ups"),
    # Issue 17, outputs: an output's forecast (lead council and managers) and a new baseline (a variation).
    path("awards/<int:pk>/outputs/<int:otid>/forecast/", forecast_views.forecast, name="forecast"),
    path("awards/<int:pk>/outputs/<int:otid>/baseline/", forecast_views.rebaseline_new, name="rebaseline_new"),
    # Issue 17, benefits after closure
    path("awards/<int:pk>/benefits/<int:brid>/", benefits_views.benefits_return, name="benefits_return"),
    path("staff/awards/<int:pk>/benefits/", benefits_views.benefits_projection, name="benefits_projection"),
    # Issue 17, standing partnerships
    path("staff/partnerships/", partnership_views.partnership_list, name="partnerships"),
    path("staff/partnerships/new/", partnership_views.partnership_new, name="partnership_new"),
    path("partnerships/<int:pk>/", partnership_views.partnership_detail, name="partnership"),
    path("staff/partnerships/<int:pk>/members/new/", partnership_views.member_add, name="partnership_member_add"),
    path(
        "staff/partnerships/<int:pk>/members/<int:mid>/left/",
        partnership_views.member_leave,
        name="partnership_member_leave",
    ),
]
