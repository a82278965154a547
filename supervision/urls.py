from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.petition_list, name="petition_list"),
    path("petitions/export.xlsx", views.petition_export, name="petition_export"),
    path("petitions/new/", views.petition_create, name="petition_create"),
    path("petitions/<int:pk>/", views.petition_detail, name="petition_detail"),
    path("petitions/<int:pk>/step/", views.petition_step, name="petition_step"),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/export.xlsx", views.inspection_export, name="inspection_export"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/items/new/", views.rectification_item_create, name="rectification_item_create"),
    path("inspections/<int:pk>/items/<int:item_pk>/status/", views.rectification_item_status, name="rectification_item_status"),
    path("disclosures/", views.disclosure_list, name="disclosure_list"),
    path("disclosures/export.xlsx", views.disclosure_export, name="disclosure_export"),
    path("disclosures/new/", views.disclosure_create, name="disclosure_create"),
    path("education/", views.session_list, name="session_list"),
    path("education/export.xlsx", views.session_export, name="session_export"),
    path("education/new/", views.session_create, name="session_create"),
    path("education/<int:pk>/", views.session_detail, name="session_detail"),
    path("sanctions/", views.sanction_list, name="sanction_list"),
    path("sanctions/export.xlsx", views.sanction_export, name="sanction_export"),
    path("sanctions/new/", views.sanction_create, name="sanction_create"),
    path("investigations/", views.investigation_list, name="investigation_list"),
    path("investigations/export.xlsx", views.investigation_export, name="investigation_export"),
    path("investigations/new/", views.investigation_create, name="investigation_create"),
    path("investigations/<int:pk>/close/", views.investigation_close, name="investigation_close"),
    path("vetoes/", views.veto_list, name="veto_list"),
    path("vetoes/export.xlsx", views.veto_export, name="veto_export"),
    path("vetoes/new/", views.veto_create, name="veto_create"),
    path("vetoes/<int:pk>/revoke/", views.veto_revoke, name="veto_revoke"),
    path("dismissals/", views.dismissal_list, name="dismissal_list"),
    path("dismissals/export.xlsx", views.dismissal_export, name="dismissal_export"),
    path("dismissals/new/", views.dismissal_create, name="dismissal_create"),
]
