from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.accounts.scoping import writable_for_user
from cadre_mgmt.cadres import formfields
from cadre_mgmt.cadres.forms import DateInput
from cadre_mgmt.cadres.models import Cadre, Village

from .models import CommendationLevel, HardshipAid, InsuranceEnrolment, PoliticalRecommendation


def _cadre_label(cadre):
    return f"{cadre.township.name} · {cadre.village.name} · {cadre.name}"


def _recordable_cadres(user):
    """In-post cadres the user may write records for: their township's (all, for the county administrator)."""
    return writable_for_user(Cadre.objects.select_related("township", "village").filter(status=Cadre.Status.IN_POST), user)


class CadreChoiceMixin:
    def _setup_cadre(self, user, field="cadre"):
        self.fields[field].queryset = _recordable_cadres(user)
        self.fields[field].label_from_instance = _cadre_label


class CommendationForm(CadreChoiceMixin, forms.Form):
    cadre = formfields.ModelChoiceField(label=_("cadre"), queryset=None, required=False)
    village = formfields.ModelChoiceField(
        label=_("village (collective honour)"),
        queryset=None,
        required=False,
        help_text=_("For an honour given to the village: it counts for its Party secretary and director."),
    )
    level = forms.ChoiceField(label=_("commendation level"), choices=CommendationLevel.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    issuer = forms.CharField(label=_("issuer"), max_length=100)
    awarded_on = forms.DateField(label=_("awarded on"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_cadre(user)
        self.fields["village"].queryset = writable_for_user(Village.objects.select_related("township"), user)
        self.fields["village"].label_from_instance = lambda v: f"{v.township.name} · {v.name}"

    def clean(self):
        data = super().clean()
        if bool(data.get("cadre")) == bool(data.get("village")):
            raise forms.ValidationError(_("A commendation goes to one cadre or to one village (collective honour)."))
        return data


class TrainingForm(CadreChoiceMixin, forms.Form):
    cadre = formfields.ModelChoiceField(label=_("cadre"), queryset=None)
    course = forms.CharField(label=_("course"), max_length=200)
    organizer = forms.CharField(label=_("organizer"), max_length=100)
    hours = forms.DecimalField(label=_("hours"), max_digits=5, decimal_places=1, min_value=Decimal("0.5"))
    trained_on = forms.DateField(label=_("date"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_cadre(user)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)


class InsuranceForm(CadreChoiceMixin, forms.Form):
    cadre = formfields.ModelChoiceField(label=_("cadre"), queryset=None)
    scheme = forms.ChoiceField(label=_("scheme"), choices=InsuranceEnrolment.Scheme.choices)
    start_month = forms.DateField(label=_("start month"), widget=DateInput(), help_text=_("Any day of the month."))
    status = forms.ChoiceField(label=_("status"), choices=InsuranceEnrolment.Status.choices)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_cadre(user)


class RecommendationForm(CadreChoiceMixin, forms.Form):
    cadre = formfields.ModelChoiceField(label=_("cadre"), queryset=None)
    kind = forms.ChoiceField(label=_("recommended as"), choices=PoliticalRecommendation.Kind.choices)
    level = forms.ChoiceField(label=_("recommendation level"), choices=PoliticalRecommendation.Level.choices)
    recommended_on = forms.DateField(label=_("recommended on"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_cadre(user)


class RecommendationOutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("outcome"), choices=[c for c in PoliticalRecommendation.Status.choices if c[0] != "recommended"]
    )


class AidForm(CadreChoiceMixin, forms.Form):
    cadre = formfields.ModelChoiceField(label=_("cadre"), queryset=None)
    reason = forms.CharField(label=_("reason"), max_length=300)
    amount_requested = forms.DecimalField(label=_("amount requested"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    supporting_note = forms.CharField(label=_("supporting note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_cadre(user)


class AidStepForm(forms.Form):
    to_status = forms.ChoiceField(label=_("decision"), choices=HardshipAid.Status.choices)
    amount_granted = forms.DecimalField(
        label=_("amount granted"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"), required=False
    )
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices
        values = {value for value, _label in choices}
        if "county_approved" not in values:
            del self.fields["amount_granted"]
        if "paid" not in values:
            del self.fields["paid_on"]
        else:
            self.initial.setdefault("paid_on", timezone.localdate())
