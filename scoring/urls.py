from django.urls import path

from .views import assessor, eoi, eoi_criteria, results, setup

app_name = "scoring"

urlpatterns = [
    path("assess/", assessor.my_rounds, name="my_rounds"),
    path("assess/<slug:slug>/", assessor.queue, name="queue"),
    path("assess/<slug:slug>/declaration/", assessor.declaration, name="declaration"),
    path("assess/<slug:slug>/declaration/<int:pk>/remove/", assessor.interest_remove, name="interest_remove"),
    path("assess/<slug:slug>/bids/<int:pk>/", assessor.assess_bid, name="assess_bid"),
    path("assess/<slug:slug>/bids/<int:pk>/conflict/", assessor.conflict, name="conflict"),
    path("staff/assessment/", setup.round_index, name="round_index"),
    path("staff/rounds/<slug:slug>/panel/", setup.panel_overview, name="panel"),
    path("staff/rounds/<slug:slug>/panel/settings/", setup.panel_settings, name="panel_settings"),
    path("staff/rounds/<slug:slug>/panel/members/", setup.panel_members, name="panel_members"),
    path("staff/rounds/<slug:slug>/panel/members/<int:pk>/chair/", setup.panel_member_chair, name="panel_member_chair"),
    path(
        "staff/rounds/<slug:slug>/panel/members/<int:pk>/remove/", setup.panel_member_remove, name="panel_member_remove"
    ),
    path("staff/rounds/<slug:slug>/panel/criteria/new/", setup.criterion_edit, name="criterion_create"),
    path("staff/rounds/<slug:slug>/panel/criteria/<int:pk>/", setup.criterion_edit, name="criterion_edit"),
    path("staff/rounds/<slug:slug>/panel/criteria/<int:pk>/delete/", setup.criterion_delete, name="criterion_delete"),
    path("staff/rounds/<slug:slug>/panel/assignments/", setup.assignments, name="assignments"),
    path(
        "staff/rounds/<slug:slug>/panel/assignments/<int:pk>/withdraw/",
        setup.assignment_withdraw,
        name="assignment_withdraw",
    ),
    path("staff/rounds/<slug:slug>/panel/interests/", setup.interests, name="interests"),
    # Moderation is the chair's as well as the managers', so it lives with the panel's pages, not
    # under /staff/ (which only staff reach).
    path("assess/<slug:slug>/moderation/", results.moderation, name="moderation"),
    path("assess/<slug:slug>/moderation/<int:pk>/", results.moderate_bid, name="moderate_bid"),
    path("staff/rounds/<slug:slug>/ranking/", results.ranking, name="ranking"),
    path("staff/rounds/<slug:slug>/ranking/bids/<int:pk>/decision/", results.decision_edit, name="decision_edit"),
    path("staff/rounds/<slug:slug>/ranking/confirm/", results.decisions_confirm, name="decisions_confirm"),
    path("staff/rounds/<slug:slug>/ranking/scores.<str:fmt>", results.export_scores, name="export_scores"),
    path("staff/rounds/<slug:slug>/ranking/pack/", results.panel_pack, name="panel_pack"),
    path("staff/rounds/<slug:slug>/eoi/", eoi.eoi_triage, name="eoi_triage"),
    path("staff/rounds/<slug:slug>/eoi/bids/<int:pk>/", eoi.eoi_propose, name="eoi_propose"),
    path("staff/rounds/<slug:slug>/eoi/confirm/", eoi.eoi_confirm, name="eoi_confirm"),
    path("staff/rounds/<slug:slug>/eoi/criteria/", eoi_criteria.eoi_criteria, name="eoi_criteria"),
    path("staff/rounds/<slug:slug>/eoi/criteria/new/", eoi_criteria.eoi_criterion_edit, name="eoi_criterion_create"),
    path("staff/rounds/<slug:slug>/eoi/criteria/<int:pk>/", eoi_criteria.eoi_criterion_edit, name="eoi_criterion_edit"),
    path(
        "staff/rounds/<slug:slug>/eoi/criteria/<int:pk>/delete/",
        eoi_criteria.eoi_criterion_delete,
        name="eoi_criterion_delete",
    ),
]
