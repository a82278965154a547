"""Incentives in the admin: the county administrator keeps the points table and the pay scale here
(through audited services); the other records are read-only (they are written on the pages)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from cadre_mgmt.admin import CountyAdminReadOnly, is_county_admin

from . import services
from .models import (
    Commendation,
    CommendationPoints,
    HardshipAid,
    HardshipAidStep,
    InsuranceEnrolment,
    PayScale,
    PoliticalRecommendation,
    TrainingRecord,
)


class PayScaleForm(forms.ModelForm):
    class Meta:
        model = PayScale
        fields = ("effective_from", "post", "base_pay", "performance_pay", "note")

    def _post_clean(self):
        super()._post_clean()
        try:
            services.pay_scale_validate(scale=self.instance)
        except ValidationError as exc:
            self.add_error(None, exc)


@admin.register(CommendationPoints)
class CommendationPointsAdmin(CountyAdminReadOnly):
    list_display = ("level", "points", "updated_at")
    fields = ("level", "points")
    readonly_fields = ("level",)

    def has_change_permission(self, request, obj=None):
        return is_county_admin(request)

    def save_model(self, request, obj, form, change):
        services.commendation_points_save(user=request.user, level=obj.level, points=form.cleaned_data["points"])


@admin.register(PayScale)
class PayScaleAdmin(CountyAdminReadOnly):
    """Effective-dated: add a row from a later month; a row already in force cannot be changed or deleted."""

    list_display = ("effective_from", "post", "base_pay", "performance_pay", "note", "created_by")
    fields = ("effective_from", "post", "base_pay", "performance_pay", "note")

    def has_add_permission(self, request):
        return is_county_admin(request)

    def has_change_permission(self, request, obj=None):
        return is_county_admin(request)

    def save_model(self, request, obj, form, change):
        services.pay_scale_save(user=request.user, scale=obj)

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = PayScaleForm
        return super().get_form(request, obj, **kwargs)


@admin.register(Commendation)
class CommendationAdmin(CountyAdminReadOnly):
    list_display = ("awarded_on", "title", "level", "cadre", "village", "township")
    list_filter = ("level", "township")


@admin.register(TrainingRecord)
class TrainingRecordAdmin(CountyAdminReadOnly):
    list_display = ("trained_on", "cadre", "course", "hours")


@admin.register(InsuranceEnrolment)
class InsuranceEnrolmentAdmin(CountyAdminReadOnly):
    list_display = ("cadre", "scheme", "start_month", "status")
    list_filter = ("scheme", "status")


@admin.register(PoliticalRecommendation)
class PoliticalRecommendationAdmin(CountyAdminReadOnly):
    list_display = ("cadre", "kind", "level", "recommended_on", "status")


@admin.register(HardshipAid)
class HardshipAidAdmin(CountyAdminReadOnly):
    list_display = ("cadre", "reason", "amount_requested", "amount_granted", "status", "paid_on")
    list_filter = ("status",)


@admin.register(HardshipAidStep)
class HardshipAidStepAdmin(CountyAdminReadOnly):
    list_display = ("aid", "from_status", "to_status", "amount", "by", "at")
