from django.urls import path

from . import views

urlpatterns = [
    path("branch-meetings/", views.meeting_list, name="meeting_list"),
    path("branch-meetings/new/", views.meeting_create, name="meeting_create"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
]
