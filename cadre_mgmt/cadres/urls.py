from django.urls import path

from . import views

app_name = "cadres"

urlpatterns = [
    path("", views.cadre_list, name="list"),
    path("export.xlsx", views.cadre_export, name="export"),
    path("new/", views.cadre_create, name="create"),
    path("import/", views.cadre_import, name="import"),
    path("import/jobs/<int:pk>/", views.cadre_import_job, name="import_job"),
    path("import/template.xlsx", views.cadre_import_template, name="import_template"),
    path("<int:pk>/", views.cadre_detail, name="detail"),
    path("<int:pk>/edit/", views.cadre_edit, name="edit"),
    path("<int:pk>/leave/", views.cadre_leave, name="leave"),
]
