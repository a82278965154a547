from django.contrib import admin

from cadre_mgmt.audit.admin import AuditedAdmin, CountyAdminAccess

from .models import Cadre, Post, Township, Village


@admin.register(Township)
class TownshipAdmin(CountyAdminAccess, AuditedAdmin):
    list_display = ("name", "sort_order")


@admin.register(Village)
class VillageAdmin(CountyAdminAccess, AuditedAdmin):
    list_display = ("name", "township", "kind", "sort_order")
    list_filter = ("township", "kind")


@admin.register(Post)
class PostAdmin(CountyAdminAccess, AuditedAdmin):
    list_display = ("name", "code", "is_paid", "sort_order")


@admin.register(Cadre)
class CadreAdmin(CountyAdminAccess, admin.ModelAdmin):
    """Read-only here: cadre files are written through the pages, whose services audit every change."""

    list_display = ("name", "township", "village", "id_number_masked", "status")
    list_filter = ("township", "status")
    search_fields = ("name",)
    exclude = ("id_number_encrypted", "id_number_hash")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
