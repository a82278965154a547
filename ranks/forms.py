from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import LadderStep

LEVEL_CHOICES = [(level, str(level)) for level in range(rules.LOWEST_LEVEL, rules.HIGHEST_LEVEL - 1, -1)]


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month input); cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, for example 2026-03.")}

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return rules.parse_month(value)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)


class GradingForm(forms.Form):
    proposed_level = forms.TypedChoiceField(label=_("Proposed level"), choices=LEVEL_CHOICES, coerce=int)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the level differs from the computed one."),
    )

    def __init__(self, *args, computed_level, **kwargs):
        super().__init__(*args, **kwargs)
        self.computed_level = computed_level

    def clean(self):
        data = super().clean()
        if data.get("proposed_level") not in (None, self.computed_level) and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for a level other than the computed one."))
        return data


class RejectForm(forms.Form):
    comment = forms.CharField(label=_("Reason for the rejection"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class LadderStepForm(forms.ModelForm):
    class Meta:
        model = LadderStep
        fields = ["years_required", "requires_excellent_year", "required_commendation_level"]


LadderFormSet = forms.modelformset_factory(LadderStep, form=LadderStepForm, extra=0, can_delete=False)


class ScheduleForm(forms.Form):
    effective_from = MonthField(label=_("From month"))
    amount_per_level = forms.DecimalField(label=_("Yuan per level per month"), max_digits=12, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class GradingRuleForm(forms.Form):
    years_per_level = forms.IntegerField(label=_("Full years of service per level"), min_value=1, max_value=20)
    highest_level = forms.TypedChoiceField(label=_("Highest level by initial grading"), choices=LEVEL_CHOICES, coerce=int)
    lower_for_basically_competent = forms.BooleanField(
        label=_("One level lower for a basically competent grade in the last 3 years"), required=False
    )
