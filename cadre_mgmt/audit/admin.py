from django.contrib import admin

from .models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Append-only: visible to the county administrator, never editable."""

    list_display = ("at", "actor_name", "ip_address", "action", "object_type", "object_repr", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "object_repr", "summary", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and (request.user.is_superuser or request.user.role == "county_admin")
