from django.urls import path

from . import views

# Included by cadre_mgmt/accounts/urls.py, so the names are accounts:second_factor_*.
urlpatterns = [
    path("second-factor/enrol/", views.enrol_view, name="second_factor_enrol"),
    path("second-factor/enrol/qr.svg", views.qr_view, name="second_factor_qr"),
    path("second-factor/", views.verify_view, name="second_factor_verify"),
]
