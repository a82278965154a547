"""The admin (系统设置) of the county administrator: the audit log, read-only, and the access rule every
settings admin shares.

The county administrator is not a superuser and holds no Django model permissions; ``CountyAdminAccess``
lets that role (and superusers) see and use an admin, and no one else. ``AuditedAdmin`` writes an audit
record for every save and delete made through an admin. The periodic tasks of django-celery-beat are
registered again with both, under the name the README gives them (定时任务).
"""

from django.apps import apps
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy

from .models import AuditRecord
from .selectors import object_type_name
from .services import audit_record


def is_county_admin(request) -> bool:
    """Asked of signed-out visitors too (the admin's login page): they are no one's administrator."""
    return bool(getattr(request.user, "is_county_admin", False))


class CountyAdminAccess:
    """Admin permissions by role: the county administrator (or a superuser) only. A subclass may refuse more."""

    def has_module_permission(self, request):
        return is_county_admin(request)

    def has_view_permission(self, request, obj=None):
        return is_county_admin(request)

    def has_change_permission(self, request, obj=None):
        return is_county_admin(request)

    def has_add_permission(self, request):
        return is_county_admin(request)

    def has_delete_permission(self, request, obj=None):
        return is_county_admin(request)


class AuditedAdmin(admin.ModelAdmin):
    """Every save and delete in this admin writes an audit record in the same transaction."""

    audit_summary = gettext_lazy("Settings changed in the admin")

    def save_model(self, request, obj, form, change):
        changes = {name: [form.initial.get(name), form.cleaned_data.get(name)] for name in form.changed_data}
        action = AuditRecord.Action.UPDATE if change else AuditRecord.Action.CREATE
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(actor=request.user, action=action, obj=obj, summary=str(self.audit_summary), changes=changes)

    def delete_model(self, request, obj):
        self.delete_queryset(request, type(obj).objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit_record(actor=request.user, action=AuditRecord.Action.DELETE, obj=obj, summary=str(self.audit_summary))
            queryset.delete()

    def get_actions(self, request):
        # Bulk actions write without a form: only the audited delete is offered.
        return {name: action for name, action in super().get_actions(request).items() if name == "delete_selected"}


@admin.register(AuditRecord)
class AuditRecordAdmin(CountyAdminAccess, admin.ModelAdmin):
    """Append-only: visible to the county administrator, never editable."""

    list_display = ("at", "actor_name", "ip_address", "action", "object_type_display", "object_repr", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "object_repr", "summary", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("object type"), ordering="object_type")
    def object_type_display(self, record):
        return object_type_name(record.object_type)


def _register_periodic_tasks():
    """django-celery-beat's admins, for the county administrator and audited (this app loads after it)."""
    if not apps.is_installed("django_celery_beat"):
        return
    config = apps.get_app_config("django_celery_beat")
    config.verbose_name = gettext_lazy("Scheduled jobs")
    for model in config.get_models():
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            continue
        admin.site.unregister(model)
        name = f"County{type(model_admin).__name__}"
        admin.site.register(model, type(name, (CountyAdminAccess, AuditedAdmin, type(model_admin)), {}))


_register_periodic_tasks()
