from django.urls import path

from . import commitment_views as cv
from . import views

app_name = "reporting"

urlpatterns = [
    path("staff/dashboard/", views.dashboard, name="dashboard"),
    path("staff/reports/download/<slug:table>/<str:fmt>/", views.download, name="download"),
    path("staff/exports/new/", views.export_new, name="export_new"),
    path("staff/exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("staff/exports/<int:pk>/status/", views.export_status, name="export_status"),
    path("staff/exports/<int:pk>/file/", views.export_file, name="export_file"),
    path("staff/board-report/", views.board_report, name="board_report"),
    path("staff/board-report/pdf/", views.board_report_pdf, name="board_report_pdf"),
    path("staff/board-report/<slug:slug>/summary/", views.board_summary, name="board_summary"),
    path("staff/open-data/", views.open_data_staff, name="open_data_staff"),
    path("staff/open-data/publish/", views.open_data_publish, name="open_data_publish"),
    path("staff/open-data/<int:pk>/withdraw/", views.open_data_withdraw, name="open_data_withdraw"),
    path("staff/councils/", views.council_search, name="council_search"),
    path("staff/councils/<str:code>/", views.council_profile, name="council_profile"),
    # Issue 17, item 5: a programme's commitments and deliverables.
    path("staff/programmes/<slug:slug>/commitments/", cv.commitments, name="commitments"),
    path("staff/programmes/<slug:slug>/commitments/new/", cv.commitment_add, name="commitment_add"),
    path("staff/programmes/<slug:slug>/commitments/<int:pk>/edit/", cv.commitment_edit, name="commitment_edit"),
    path("staff/programmes/<slug:slug>/commitments/<int:pk>/remove/", cv.commitment_remove, name="commitment_remove"),
    path("staff/programmes/<slug:slug>/deliverables/<int:year>/", cv.deliverables, name="deliverables"),
    path("staff/programmes/<slug:slug>/deliverables/<int:year>/new/", cv.deliverable_add, name="deliverable_add"),
    path("staff/programmes/<slug:slug>/deliverable/<int:pk>/", cv.deliverable, name="deliverable"),
    path("open-data/", views.open_data_public, name="open_data"),
    path("open-data/<int:pk>/<str:filename>", views.open_data_file, name="open_data_file"),
]
