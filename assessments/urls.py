from django.urls import path

from . import views
from .evaluation import urls as evaluation_urls

app_name = "assessments"

urlpatterns = [
    path("overview/", views.overview, name="overview"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/cadres/", views.ledger_cadres, name="ledger_cadres"),
    path("ledger/export.xlsx", views.ledger_export, name="ledger_export"),
    path("ledger/<int:pk>/edit/", views.ledger_entry_edit, name="ledger_edit"),
    path("ledger/<int:pk>/delete/", views.ledger_entry_delete, name="ledger_delete"),
    path("ledger/<int:pk>/attachment/", views.ledger_attachment, name="ledger_attachment"),
    path("quarters/<int:year>/<int:quarter>/", views.quarter_detail, name="quarter"),
    path("quarters/<int:year>/<int:quarter>/open/", views.quarter_open, name="quarter_open"),
    path("quarters/<int:year>/<int:quarter>/areas/", views.quarter_areas, name="quarter_areas"),
    path("quarters/<int:year>/<int:quarter>/close/", views.quarter_close, name="quarter_close"),
    path("quarters/<int:year>/<int:quarter>/import/", views.quarter_import, name="quarter_import"),
    path("quarters/<int:year>/<int:quarter>/template.xlsx", views.quarter_template, name="quarter_template"),
    path("years/<int:year>/", views.year_detail, name="year"),
    path("years/<int:year>/export.xlsx", views.year_export, name="year_export"),
    path("years/<int:year>/settings/", views.year_settings, name="year_settings"),
    path("years/<int:year>/finalize/", views.year_finalize, name="year_finalize"),
    path("years/<int:year>/confirm/", views.year_confirm, name="year_confirm"),
    path("years/<int:year>/return/", views.year_return, name="year_return"),
]
urlpatterns += evaluation_urls.urlpatterns
