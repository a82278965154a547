"""Supervision in the admin: read-only for the county administrator, except the settings row.

Records are written through the supervision pages, whose services check roles and audit every
change. The reporter of a petition never appears here: it is stored encrypted (not an editable
field) and only ``Petition.reporter_for`` reveals it, on the supervisor's pages.
"""

from django.contrib import admin

from cadre_mgmt.admin import CountyAdminReadOnly, is_county_admin

from . import services
from .models import (
    AffairsDisclosure,
    DisclosureFlag,
    Dismissal,
    Inspection,
    Investigation,
    Petition,
    PetitionStep,
    RectificationItem,
    Sanction,
    SupervisionSettings,
    VetoEvent,
    WarningEducationSession,
)


@admin.register(SupervisionSettings)
class SupervisionSettingsAdmin(CountyAdminReadOnly):
    """The one row the county administrator edits here (through the audited settings service)."""

    list_display = ("__str__", "petition_deadline_days", "disclosure_period_months", "disclosure_due_days")

    def has_change_permission(self, request, obj=None):
        return is_county_admin(request)

    def has_add_permission(self, request):
        return is_county_admin(request) and not SupervisionSettings.objects.exists()

    def save_model(self, request, obj, form, change):
        services.supervision_settings_update(
            user=request.user, **{name: form.cleaned_data[name] for name in services.SETTINGS_FIELDS}
        )


@admin.register(Petition)
class PetitionAdmin(CountyAdminReadOnly):
    list_display = ("received_on", "summary", "township", "village", "cadre", "channel", "anonymous", "status", "deadline")
    list_filter = ("status", "township", "channel", "anonymous")
    search_fields = ("summary",)
    # The full text is for supervisors only (Petition.content_for); the county administrator is not one.
    exclude = ("reporter_encrypted", "content")


@admin.register(PetitionStep)
class PetitionStepAdmin(CountyAdminReadOnly):
    list_display = ("petition", "from_status", "to_status", "by", "at")
    list_filter = ("to_status",)


@admin.register(Inspection)
class InspectionAdmin(CountyAdminReadOnly):
    list_display = ("inspected_on", "township", "team")
    list_filter = ("township",)


@admin.register(RectificationItem)
class RectificationItemAdmin(CountyAdminReadOnly):
    list_display = ("description", "inspection", "village", "deadline", "status", "done_on")
    list_filter = ("status",)


@admin.register(AffairsDisclosure)
class AffairsDisclosureAdmin(CountyAdminReadOnly):
    list_display = ("village", "period_start", "category", "published_on")
    list_filter = ("category", "period_start")


@admin.register(DisclosureFlag)
class DisclosureFlagAdmin(CountyAdminReadOnly):
    list_display = ("village", "period_start", "category", "kind", "due_on", "flagged_on")
    list_filter = ("kind", "period_start")


@admin.register(WarningEducationSession)
class WarningEducationSessionAdmin(CountyAdminReadOnly):
    list_display = ("held_on", "township", "title")


@admin.register(Sanction)
class SanctionAdmin(CountyAdminReadOnly):
    list_display = ("cadre", "severity", "decided_on", "effective_until")
    list_filter = ("severity",)


@admin.register(Investigation)
class InvestigationAdmin(CountyAdminReadOnly):
    list_display = ("cadre", "opened_on", "closed_on", "suspended")


@admin.register(VetoEvent)
class VetoEventAdmin(CountyAdminReadOnly):
    list_display = ("cadre", "year", "occurred_on", "kind", "revoked_at")
    list_filter = ("year", "kind")


@admin.register(Dismissal)
class DismissalAdmin(CountyAdminReadOnly):
    list_display = ("cadre", "dismissed_on", "reason")
