"""The admin site of the product (``django.contrib.admin`` is installed through ``AdminConfig`` below).

Django's admin builds its list of apps for every page, the sign-in page included, by asking each
registered ModelAdmin ``has_module_permission(request)``. The product's admins answer with the role
properties of ``accounts.User`` (``request.user.is_county_admin``), which a signed-out visitor's
``AnonymousUser`` does not have: ``GET /admin/login/`` was a 500. A signed-out or deactivated visitor sees
no app at all, so no ModelAdmin is asked anything about them.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return []
        return super().get_app_list(request, app_label)


class AdminConfig(DjangoAdminConfig):
    default_site = "cadre_mgmt.admin_site.AdminSite"
