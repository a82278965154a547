"""Forms of the initial grading pages and of the grading rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..ladder.forms import LEVEL_CHOICES


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


class GradingRuleForm(forms.Form):
    years_per_level = forms.IntegerField(label=_("Full years of service per level"), min_value=1, max_value=20)
    highest_level = forms.TypedChoiceField(label=_("Highest level by initial grading"), choices=LEVEL_CHOICES, coerce=int)
    lower_for_basically_competent = forms.BooleanField(
        label=_("One level lower for a basically competent grade in the last 3 years"), required=False
    )
