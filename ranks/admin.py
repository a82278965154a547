"""Read-only views for the county administrator. Ladder and schedule are edited on the ranks
settings page (audited services); rank history and locked rosters are append-only."""

from django.contrib import admin

from .appeals.services import appeal_settings_save
from .models import (
    AllowanceSchedule,
    AppealSettings,
    InitialGrading,
    InitialGradingRule,
    LadderStep,
    PromotionReview,
    Proposal,
    RankChange,
    ReviewBatch,
    ReviewSettings,
    Roster,
    RosterExport,
    RosterLine,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_county_admin


@admin.register(LadderStep)
class LadderStepAdmin(ReadOnlyAdmin):
    list_display = ("from_level", "years_required", "requires_excellent_year", "required_commendation_level")


@admin.register(AllowanceSchedule)
class AllowanceScheduleAdmin(ReadOnlyAdmin):
    list_display = ("effective_from", "amount_per_level", "note", "created_by", "created_at")


@admin.register(InitialGradingRule)
class InitialGradingRuleAdmin(ReadOnlyAdmin):
    list_display = ("years_per_level", "highest_level", "lower_for_basically_competent")


@admin.register(RankChange)
class RankChangeAdmin(ReadOnlyAdmin):
    list_display = ("cadre", "kind", "from_level", "to_level", "effective_month", "approved_by", "approved_at", "source")
    list_filter = ("kind", "effective_month")
    search_fields = ("cadre__name", "reason", "source")
    list_select_related = ("cadre", "approved_by")


@admin.register(InitialGrading)
class InitialGradingAdmin(ReadOnlyAdmin):
    list_display = ("cadre", "township", "computed_level", "proposed_level", "status", "submitted_at", "decided_at")
    list_filter = ("status", "township")
    list_select_related = ("cadre", "township")


@admin.register(Roster)
class RosterAdmin(ReadOnlyAdmin):
    list_display = ("month", "status", "line_count", "total_amount", "generated_at", "locked_at", "locked_by")


@admin.register(RosterLine)
class RosterLineAdmin(ReadOnlyAdmin):
    list_display = ("roster", "position", "township_name", "village_name", "cadre_name", "kind", "level", "amount")
    list_filter = ("roster", "kind")
    list_select_related = ("roster",)


@admin.register(RosterExport)
class RosterExportAdmin(ReadOnlyAdmin):
    list_display = ("roster", "requested_by", "status", "progress", "total_rows", "created_at", "finished_at")


# Promotion review: runs, proposals and rule settings are written by the review services (audited) and
# edited on the review pages; here the county administrator only reads them.


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(ReadOnlyAdmin):
    list_display = ("updated_by", "updated_at")


@admin.register(PromotionReview)
class PromotionReviewAdmin(ReadOnlyAdmin):
    list_display = ("year", "dry_run", "trigger", "state", "batches_done", "batches_total", "started_by", "created_at")
    list_filter = ("year", "dry_run", "state", "trigger")
    list_select_related = ("started_by",)


@admin.register(ReviewBatch)
class ReviewBatchAdmin(ReadOnlyAdmin):
    list_display = ("review", "township", "state", "attempts", "finished_at")
    list_filter = ("state",)
    list_select_related = ("review", "township")
    exclude = ("results",)


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("year", "cadre", "township", "outcome", "from_level", "to_level", "status", "decided_by", "decided_at")
    list_filter = ("year", "status", "outcome", "township")
    search_fields = ("cadre__name",)
    list_select_related = ("cadre", "township", "decided_by")


@admin.register(AppealSettings)
class AppealSettingsAdmin(admin.ModelAdmin):
    """The three appeal deadlines (DESIGN §12): the county administrator changes them here, audited."""

    list_display = ("filing_days", "comment_days", "decision_days", "updated_at")
    fields = ("filing_days", "comment_days", "decision_days")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_county_admin

    has_view_permission = has_change_permission = lambda self, request, obj=None: self.has_module_permission(request)  # noqa: E731

    def has_add_permission(self, request):
        return self.has_module_permission(request) and not AppealSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        appeal_settings_save(user=request.user, settings=obj, changed=form.changed_data)
