"""Settings the county administrator edits (policy, ledger categories, default task areas), audited;
the assessment records themselves are written through the pages and read-only here."""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext as _

from cadre_mgmt.audit.admin import CountyAdminAccess
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.audit.services import audit_record

from .models import (
    AnnualReview,
    AssessmentPolicy,
    DefaultQuarterArea,
    LedgerCategory,
    LedgerEntry,
    QuarterArea,
    QuarterScore,
    TownshipQuarter,
    TownshipYear,
)


class AuditedSettingsAdmin(CountyAdminAccess, admin.ModelAdmin):
    """Settings rows: every save and delete in the admin writes an audit record in the same transaction."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=AuditRecord.Action.UPDATE if change else AuditRecord.Action.CREATE,
                obj=obj,
                summary=_("Assessment settings changed in the admin"),
                changes={name: [form.initial.get(name), form.cleaned_data.get(name)] for name in form.changed_data},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action=AuditRecord.Action.DELETE,
                obj=obj,
                summary=_("Assessment settings changed in the admin"),
            )
            super().delete_model(request, obj)


@admin.register(AssessmentPolicy)
class AssessmentPolicyAdmin(AuditedSettingsAdmin):
    list_display = ("__str__", "excellent_min", "competent_min", "basically_competent_min", "excellent_cap_percent", "updated_at")
    fieldsets = (
        (
            _("Year-end review weights"),
            {"fields": ("default_political_weight", "default_business_weight", "default_mass_weight")},
        ),
        (
            _("Composition of the annual score"),
            {"fields": ("default_ledger_share", "default_quarters_share", "default_review_share")},
        ),
        (_("Township discretion"), {"fields": ("weight_tolerance",)}),
        (_("Grades"), {"fields": ("excellent_min", "competent_min", "basically_competent_min", "excellent_cap_percent")}),
        (_("Ledger rule"), {"fields": ("ledger_base_score",)}),
    )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not AssessmentPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerCategory)
class LedgerCategoryAdmin(AuditedSettingsAdmin):
    list_display = ("name", "code", "kind", "is_active", "sort_order")
    list_editable = ("is_active", "sort_order")

    def has_delete_permission(self, request, obj=None):
        # A category in use is kept (switch it off instead); entries point at it.
        return False


@admin.register(DefaultQuarterArea)
class DefaultQuarterAreaAdmin(AuditedSettingsAdmin):
    list_display = ("name", "weight", "sort_order")


class ReadOnlyAdmin(CountyAdminAccess, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("date", "township", "cadre", "category", "score_change", "recorded_by")
    list_filter = ("township", "category")
    raw_id_fields = ("cadre",)
    show_full_result_count = False


@admin.register(TownshipQuarter)
class TownshipQuarterAdmin(ReadOnlyAdmin):
    list_display = ("township", "year", "quarter", "status", "closed_at")
    list_filter = ("township", "year", "status")


@admin.register(TownshipYear)
class TownshipYearAdmin(ReadOnlyAdmin):
    list_display = ("township", "year", "status", "excellent_cap", "finalized_at", "confirmed_at")
    list_filter = ("township", "year", "status")


admin.site.register(QuarterArea, ReadOnlyAdmin)
admin.site.register(QuarterScore, ReadOnlyAdmin)
admin.site.register(AnnualReview, ReadOnlyAdmin)
