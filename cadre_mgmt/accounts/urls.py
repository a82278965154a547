from django.urls import path

from . import views
from .second_factor.urls import urlpatterns as second_factor_urls

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("logout/everywhere/", views.logout_everywhere_view, name="logout_everywhere"),
    path("password/", views.password_change_view, name="password_change"),
    *second_factor_urls,
]
