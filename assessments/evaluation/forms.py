from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.accounts.scoping import writable_for_user
from cadre_mgmt.cadres.formfields import ModelChoiceField
from cadre_mgmt.cadres.forms import DateInput
from cadre_mgmt.cadres.models import Village

from . import rules
from .models import MAX_SLIPS_PER_VILLAGE, Ballot


class RoundOpenForm(forms.Form):
    village = ModelChoiceField(label=_("village"), queryset=Village.objects.none())
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    closes_on = forms.DateField(label=_("closes on"), widget=DateInput())
    min_ballots = forms.IntegerField(
        label=_("fewest ballots to show a result"),
        min_value=rules.LOWEST_THRESHOLD,
        max_value=100,
        initial=5,
        help_text=_("A cadre rated by fewer ballots shows 'too few ballots'. Never below 3."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = writable_for_user(Village.objects.select_related("township"), user)
        self.fields["year"].initial = timezone.localdate().year


class SlipsForm(forms.Form):
    FORMATS = (("pdf", _("Printable slips (PDF)")), ("xlsx", _("List of codes (Excel)")))
    count = forms.IntegerField(label=_("number of slips"), min_value=1, max_value=MAX_SLIPS_PER_VILLAGE)
    file_format = forms.ChoiceField(label=_("file"), choices=FORMATS, initial="pdf", widget=forms.RadioSelect)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)


class PaperTallyForm(forms.Form):
    cadre = forms.TypedChoiceField(label=_("cadre"), coerce=int)
    satisfied = forms.IntegerField(label=_("satisfied"), min_value=0, max_value=100000)
    basically = forms.IntegerField(label=_("basically satisfied"), min_value=0, max_value=100000)
    dissatisfied = forms.IntegerField(label=_("dissatisfied"), min_value=0, max_value=100000)

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].choices = [(s.cadre_id, s.cadre.name) for s in subjects]


class OverrideForm(PaperTallyForm):
    satisfied = basically = dissatisfied = None
    score = forms.DecimalField(label=_("score"), max_digits=5, decimal_places=2, min_value=Decimal("0"), max_value=Decimal("100"))
    reason = forms.CharField(label=_("reason"), max_length=200)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Evaluation code"), max_length=20)

    def clean_code(self):
        code = rules.normalize_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(_("This code is not valid. Check it against your slip."))
        return code


class BallotForm(forms.Form):
    """One radio group per cadre (a cadre may be left unrated) and an optional comment for the county."""

    comment = forms.CharField(
        label=_("Comment (optional, read by the county only)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.cadre_fields = []
        for subject in subjects:
            name = f"c{subject.cadre_id}"
            self.fields[name] = forms.ChoiceField(
                label=subject.cadre.name, choices=Ballot.Rating.choices, required=False, widget=forms.RadioSelect
            )
            self.cadre_fields.append((subject.cadre_id, name))
        self.order_fields([name for _id, name in self.cadre_fields] + ["comment"])

    def rows(self) -> list[tuple[str, str, list[tuple[str, str, bool]]]]:
        """(field name, cadre name, [(value, label, checked)]) for the template's own radio buttons: the
        page renders dozens of them, and Django's per-widget templates were most of its time."""
        choices = [(value, str(label)) for value, label in Ballot.Rating.choices]
        picked = self.data if self.is_bound else {}
        return [
            (name, self.fields[name].label, [(value, label, picked.get(name) == value) for value, label in choices])
            for _cadre_id, name in self.cadre_fields
        ]

    def ratings(self) -> dict[int, str]:
        return {cadre_id: self.cleaned_data[name] for cadre_id, name in self.cadre_fields if self.cleaned_data.get(name)}

    def clean(self):
        data = super().clean()
        if not self.errors and not self.ratings():
            raise forms.ValidationError(_("Rate at least one cadre of this village."))
        return data
