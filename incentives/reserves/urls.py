from django.urls import path

from . import overview_views, views

urlpatterns = [
    path("reserves/", views.reserve_list, name="reserve_list"),
    path("reserves/new/", views.reserve_create, name="reserve_create"),
    path("reserves/overview/", overview_views.reserve_overview, name="reserve_overview"),
    path("reserves/overview/export.xlsx", overview_views.reserve_overview_export, name="reserve_overview_export"),
    path("reserves/import/", overview_views.reserve_import, name="reserve_import"),
    path("reserves/import/template.xlsx", overview_views.reserve_import_template, name="reserve_import_template"),
    path("reserves/minimum/", overview_views.reserve_pool_setting, name="reserve_pool_setting"),
    path("reserves/<int:pk>/", views.reserve_detail, name="reserve_detail"),
    path("reserves/<int:pk>/edit/", views.reserve_edit, name="reserve_edit"),
    path("reserves/<int:pk>/cultivate/", views.reserve_cultivate, name="reserve_cultivate"),
    path("reserves/<int:pk>/withdraw/", views.reserve_withdraw, name="reserve_withdraw"),
    path("reserves/<int:pk>/training/", views.reserve_training, name="reserve_training"),
    path("reserves/<int:pk>/assessment/", views.reserve_assessment, name="reserve_assessment"),
    path("reserves/<int:pk>/appoint/", views.reserve_appoint, name="reserve_appoint"),
]
