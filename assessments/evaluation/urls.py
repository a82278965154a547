"""The township's and county's pages, under /assessments/evaluation/ (joined into assessments.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("evaluation/", views.evaluation_list, name="evaluation_list"),
    path("evaluation/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluation/<int:pk>/slips/", views.evaluation_slips, name="evaluation_slips"),
    path("evaluation/<int:pk>/batches/<int:batch>/void/", views.evaluation_void, name="evaluation_void"),
    path("evaluation/<int:pk>/close/", views.evaluation_close, name="evaluation_close"),
    path("evaluation/<int:pk>/paper/", views.evaluation_paper, name="evaluation_paper"),
    path("evaluation/<int:pk>/paper/<int:tally>/confirm/", views.evaluation_paper_confirm, name="evaluation_paper_confirm"),
    path("evaluation/<int:pk>/override/", views.evaluation_override, name="evaluation_override"),
    path("evaluation/<int:pk>/export.xlsx", views.evaluation_export, name="evaluation_export"),
]
