from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.cadres import formfields
from cadre_mgmt.cadres.forms import DateInput

from .models import BranchMeeting, RevitalizationProject
from .selectors import village_cadres, writable_villages


class VillageForm(forms.Form):
    """The first step of both record screens: the village whose branch (or project) it is."""

    village = formfields.ModelChoiceField(label=_("village"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = writable_villages(user)
        self.fields["village"].label_from_instance = lambda v: f"{v.township.name} · {v.name}"


class MeetingForm(forms.ModelForm):
    """One screen: the meeting and the checklist of the village's cadres who attended."""

    attendees = formfields.ModelMultipleChoiceField(
        label=_("attendees"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = BranchMeeting
        fields = ("held_on", "kind", "topic", "attendees")
        widgets = {"held_on": DateInput()}

    def __init__(self, *args, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = village_cadres(village)
        self.initial.setdefault("held_on", timezone.localdate())


class ProjectForm(forms.ModelForm):
    responsible = formfields.ModelMultipleChoiceField(
        label=_("cadres responsible"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = RevitalizationProject
        fields = ("name", "kind", "starts_on", "ends_on", "budget", "progress", "responsible")
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "progress": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = village_cadres(village)


class BranchFilterForm(forms.Form):
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)
