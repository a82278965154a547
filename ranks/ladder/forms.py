"""Forms of the ladder settings page: the ladder steps and the allowance schedule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import LadderStep
from ..rosters.forms import MonthField
from . import rules

LEVEL_CHOICES = [(level, str(level)) for level in range(rules.LOWEST_LEVEL, rules.HIGHEST_LEVEL - 1, -1)]


class LadderStepForm(forms.ModelForm):
    class Meta:
        model = LadderStep
        fields = ["years_required", "requires_excellent_year", "required_commendation_level"]


LadderFormSet = forms.modelformset_factory(LadderStep, form=LadderStepForm, extra=0, can_delete=False)


class ScheduleForm(forms.Form):
    effective_from = MonthField(label=_("From month"))
    amount_per_level = forms.DecimalField(label=_("Yuan per level per month"), max_digits=12, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
