"""Forms of the ladder settings page (the ladder steps, the allowance schedule) and the month field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.cadres.formfields import ModelMultipleChoiceField
from cadre_mgmt.cadres.models import Post

from ..models import LadderStep
from . import rules

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


class LadderStepForm(forms.ModelForm):
    class Meta:
        model = LadderStep
        fields = ["years_required", "requires_excellent_year", "required_commendation_level"]


LadderFormSet = forms.modelformset_factory(LadderStep, form=LadderStepForm, extra=0, can_delete=False)


class ScheduleForm(forms.Form):
    effective_from = MonthField(label=_("From month"))
    amount_per_level = forms.DecimalField(label=_("Yuan per level per month"), max_digits=12, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RankSystemPostsForm(forms.Form):
    """The county's posts in the rank system (DESIGN §2): a ticked post is in it from next month's roster."""

    posts = ModelMultipleChoiceField(
        label=_("Posts in the rank system"),
        queryset=Post.objects.order_by("sort_order", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ReversalForm(forms.Form):
    """The correction's confirmation step: the reason is required and the approver ticks the confirmation."""

    reason = forms.CharField(label=_("Reason for the correction"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label=_("I have checked the figures above and reverse this rank change."))
