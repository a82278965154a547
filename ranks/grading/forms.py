"""Forms of the initial grading pages and of the grading rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.cadres.formfields import ModelChoiceField
from cadre_mgmt.cadres.selectors import townships_for_user

from ..ladder.forms import LEVEL_CHOICES
from .selectors import GradingFilter


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


class GradingFilterForm(forms.Form):
    """The filter of the gradings awaiting approval (GET), carried unchanged to "approve all that match"."""

    township = ModelChoiceField(label=_("township"), queryset=None, required=False, empty_label=_("All townships"))
    q = forms.CharField(label=_("Name contains"), max_length=50, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships_for_user(user=user).order_by("sort_order", "name")
        self.fields["township"].widget.attrs["class"] = "form-select"
        self.fields["q"].widget.attrs["class"] = "form-control"

    @property
    def filter_valid(self) -> bool:
        self.is_valid()
        return not {"township", "q"} & set(self.errors)

    def matching(self) -> GradingFilter:
        """The filter's valid fields (a township outside the scope or a too long name is left out; the page
        shows the error, and "approve all" refuses to act on it: ``filter_valid``)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        township = data.get("township")
        return GradingFilter(township_id=township.pk if township else None, name=(data.get("q") or "").strip())


class ApproveAllForm(GradingFilterForm):
    """The confirmation's POST: the filter, and what the approver confirmed (count and last id)."""

    expected = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    last_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
