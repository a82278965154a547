from django.urls import path

from . import views
from .branches import urls as branch_urls
from .reserves import urls as reserve_urls

app_name = "incentives"

urlpatterns = [
    path("", views.commendation_list, name="commendation_list"),
    path("commendations/export.xlsx", views.commendation_export, name="commendation_export"),
    path("commendations/new/", views.commendation_create, name="commendation_create"),
    path("training/", views.training_list, name="training_list"),
    path("training/export.xlsx", views.training_export, name="training_export"),
    path("training/new/", views.training_create, name="training_create"),
    path("insurance/", views.insurance_list, name="insurance_list"),
    path("insurance/export.xlsx", views.insurance_export, name="insurance_export"),
    path("insurance/new/", views.insurance_create, name="insurance_create"),
    path("recommendations/", views.recommendation_list, name="recommendation_list"),
    path("recommendations/export.xlsx", views.recommendation_export, name="recommendation_export"),
    path("recommendations/new/", views.recommendation_create, name="recommendation_create"),
    path("recommendations/<int:pk>/outcome/", views.recommendation_outcome, name="recommendation_outcome"),
    path("aid/", views.aid_list, name="aid_list"),
    path("aid/export.xlsx", views.aid_export, name="aid_export"),
    path("aid/new/", views.aid_create, name="aid_create"),
    path("aid/<int:pk>/", views.aid_detail, name="aid_detail"),
    path("aid/<int:pk>/step/", views.aid_step, name="aid_step"),
    path("pay/", views.pay_scale_list, name="pay_scale_list"),
    path("pay/export.xlsx", views.pay_scale_export, name="pay_scale_export"),
]

# The packages' pages (reserve pool, Party-branch meetings, revitalization projects), in this namespace.
urlpatterns += reserve_urls.urlpatterns + branch_urls.urlpatterns
