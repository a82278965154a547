"""A cadre's own pages (DESIGN §12). The ``me`` namespace is the only one a cadre account may open
(cadre_mgmt/accounts/middleware.py); every view here also refuses anyone who is not a cadre (404)."""

from django.urls import path

from . import views

app_name = "me"

urlpatterns = [
    path("", views.my_file, name="file"),
    path("proposals/<int:pk>/", views.my_proposal, name="proposal"),
    path("appeals/", views.my_appeals, name="appeals"),
    path("appeals/new/<str:kind>/<int:subject_id>/", views.appeal_new, name="appeal_new"),
    path("appeals/<int:pk>/", views.my_appeal, name="appeal_detail"),
    path("appeals/<int:pk>/files/<int:attachment_pk>/", views.my_attachment, name="appeal_attachment"),
    path("notices/", views.my_notices, name="notices"),
    path("notices/read/", views.notices_read, name="notices_read"),
]
