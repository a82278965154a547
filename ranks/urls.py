from django.urls import path

from . import dashboard_views, review_views, views

app_name = "ranks"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("rosters/", views.roster, name="roster"),
    path("rosters/changes/", views.roster_changes, name="roster_changes"),
    path("rosters/generate/", views.roster_generate, name="roster_generate"),
    path("rosters/<int:pk>/lock/", views.roster_lock, name="roster_lock"),
    path("rosters/<int:pk>/export.xlsx", views.roster_export, name="roster_export"),
    path("rosters/exports/<int:pk>/", views.roster_export_status, name="roster_export_status"),
    path("rosters/exports/<int:pk>/download/", views.roster_export_download, name="roster_export_download"),
    path("grading/", views.grading, name="grading"),
    path("grading/submit/", views.grading_submit_batch, name="grading_submit_batch"),
    path("grading/cadre/<int:cadre_pk>/", views.grading_submit, name="grading_submit"),
    path("grading/approve/", views.grading_approve_batch, name="grading_approve_batch"),
    path("grading/<int:pk>/reject/", views.grading_reject, name="grading_reject"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/ladder/", views.settings_ladder, name="settings_ladder"),
    path("settings/schedule/", views.settings_schedule, name="settings_schedule"),
    path("settings/rule/", views.settings_rule, name="settings_rule"),
    path("reviews/", review_views.review_list, name="reviews"),
    path("reviews/settings/", review_views.review_settings, name="review_settings"),
    path("reviews/<int:pk>/", review_views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/progress/", review_views.review_progress, name="review_progress"),
    path("reviews/<int:pk>/resume/", review_views.review_resume, name="review_resume"),
    path("proposals/", review_views.proposal_list, name="proposals"),
    path("proposals/submit/", review_views.proposal_submit_batch, name="proposal_submit_batch"),
    path("proposals/decide/", review_views.proposal_decide_batch, name="proposal_decide_batch"),
    path("proposals/<int:pk>/", review_views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/submit/", review_views.proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/approve/", review_views.proposal_approve, name="proposal_approve"),
    path("proposals/<int:pk>/reject/", review_views.proposal_reject, name="proposal_reject"),
]
