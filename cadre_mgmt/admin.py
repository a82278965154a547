"""The admin base every app's record tables share: shown to the county administrator only, read-only.

Records are written through the pages, whose services check roles and audit every change; the admin
only shows them. A settings table subclasses this and opens the one permission it needs.
"""

from django.contrib import admin
from django.http import HttpRequest


def is_county_admin(request: HttpRequest) -> bool:
    """The signed-in user is the county administrator (a signed-out visitor is not: no attribute error)."""
    return bool(getattr(request.user, "is_county_admin", False))


class CountyAdminReadOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return is_county_admin(request)

    def has_view_permission(self, request, obj=None):
        return is_county_admin(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
