from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.cadres import formfields, idnumbers
from cadre_mgmt.cadres.forms import DateInput
from cadre_mgmt.cadres.models import Post

from ..training_fields import TrainingFields
from .models import Reserve, ReserveAssessment, ReserveTraining
from .selectors import mentor_choices, writable_villages


def _mentor_label(cadre):
    return f"{cadre.village.name} · {cadre.name}"


class ReserveFilterForm(forms.Form):
    name = forms.CharField(label=_("name"), required=False, max_length=30)
    status = forms.ChoiceField(label=_("status"), required=False, choices=[("", _("All statuses")), *Reserve.Status.choices])


class ReserveEditForm(forms.ModelForm):
    class Meta:
        model = Reserve
        fields = ("name", "phone", "political_status", "education", "source", "target_post", "mentor")
        field_classes = {"target_post": formfields.ModelChoiceField, "mentor": formfields.ModelChoiceField}

    def __init__(self, *args, user, village_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        village_id = village_id or self.instance.village_id
        self.fields["mentor"].queryset = mentor_choices(user, village_id)
        self.fields["mentor"].label_from_instance = _mentor_label
        self.fields["target_post"].queryset = Post.objects.all()


class ReserveRegisterForm(ReserveEditForm):
    village = formfields.ModelChoiceField(label=_("village"), queryset=None)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=18, min_length=18)
    registered_on = forms.DateField(label=_("registered on"), widget=DateInput())

    field_order = ["village", "name", "id_number"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["village"].queryset = writable_villages(user)
        self.fields["village"].label_from_instance = lambda v: f"{v.township.name} · {v.name}"
        self.fields["mentor"].queryset = mentor_choices(user)
        self.fields["mentor"].help_text = _("A cadre in post of the same village.")
        self.initial.setdefault("registered_on", timezone.localdate())

    def clean_id_number(self):
        try:
            return idnumbers.parse_id_number(self.cleaned_data["id_number"]).number
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class StepForm(forms.Form):
    on = forms.DateField(label=_("date"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class WithdrawForm(forms.Form):
    on = forms.DateField(label=_("date of withdrawal"), widget=DateInput())
    reason = forms.CharField(label=_("reason for withdrawal"), max_length=200)


class AppointForm(forms.Form):
    posts = formfields.ModelMultipleChoiceField(
        label=_("posts"), queryset=Post.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    appointed_on = forms.DateField(label=_("appointed on"), widget=DateInput())


class ReserveTrainingForm(forms.ModelForm):
    class Meta:
        model = ReserveTraining
        fields = ("kind", *(f.name for f in TrainingFields._meta.get_fields()))
        widgets = {"trained_on": DateInput()}

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours < Decimal("0.5"):
            raise ValidationError(_("At least half an hour."))
        return hours


class ReserveAssessmentForm(forms.ModelForm):
    class Meta:
        model = ReserveAssessment
        fields = ("year", "grade", "comment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].min_value = 2000
        self.initial.setdefault("year", timezone.localdate().year)


class PoolMinimumForm(forms.Form):
    minimum_per_village = forms.IntegerField(label=_("minimum reserves per village"), min_value=0, max_value=50)
