from django.urls import path

from . import membership_views, people_views, privacy_views, views

app_name = "grants"

urlpatterns = [
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<slug:slug>/", views.round_detail, name="round_detail"),
    path("rounds/<slug:slug>/prospectus/", views.round_prospectus, name="round_prospectus"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/programmes/new/", views.programme_create, name="staff_programme_create"),
    path("staff/programmes/<slug:slug>/", views.programme_detail, name="staff_programme_detail"),
    path("staff/programmes/<slug:slug>/edit/", views.programme_edit, name="staff_programme_edit"),
    path("staff/programmes/<slug:slug>/rounds/new/", views.round_create, name="staff_round_create"),
    path(
        "staff/programmes/<slug:slug>/managers/",
        people_views.programme_manager_add,
        name="staff_programme_manager_add",
    ),
    path(
        "staff/programmes/<slug:slug>/managers/<int:user_pk>/remove/",
        people_views.programme_manager_remove,
        name="staff_programme_manager_remove",
    ),
    path("staff/rounds/<slug:slug>/edit/", views.round_edit, name="staff_round_edit"),
    path("staff/organisations/", views.organisation_list, name="staff_organisations"),
    path("staff/organisations/new/", views.organisation_create, name="staff_organisation_create"),
    path("staff/organisations/<int:org_pk>/edit/", views.organisation_edit, name="staff_organisation_edit"),
    path("staff/users/", people_views.user_list, name="staff_users"),
    path("staff/users/<int:user_pk>/", people_views.user_detail, name="staff_user"),
    # Issue 18, personal data: subject access and erasure (administrators).
    path(
        "staff/users/<int:user_pk>/personal-data/",
        privacy_views.personal_data_export,
        name="staff_user_personal_data",
    ),
    path("staff/users/<int:user_pk>/erase/", privacy_views.person_erase, name="staff_user_erase"),
    path("organisations/search.json", views.organisation_search_json, name="organisation_search_json"),
    # Issue 16, joining a council
    path("join/", membership_views.join, name="join"),
    path("join-requests/", membership_views.join_requests, name="join_requests"),
    path("join-requests/<int:pk>/", membership_views.join_request, name="join_request"),
    path("staff/join-requests/", membership_views.staff_join_requests, name="staff_join_requests"),
    path(
        "staff/organisations/<int:org_pk>/domains/",
        membership_views.organisation_domains,
        name="staff_organisation_domains",
    ),
]
