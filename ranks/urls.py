from django.urls import path

from . import views

app_name = "ranks"

urlpatterns = [
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
]
