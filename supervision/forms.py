from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.accounts.scoping import writable_for_user
from cadre_mgmt.cadres import formfields
from cadre_mgmt.cadres.forms import DateInput
from cadre_mgmt.cadres.models import Cadre, Village
from cadre_mgmt.cadres.selectors import cadres_for_user, townships_for_user, villages_for_user

from .models import AffairsDisclosure, Petition, RectificationItem, Sanction, VetoEvent
from .models.petitions import SUMMARY_WARNING
from .selectors import petitions_for_user, sanctions_for_user


def _cadre_label(cadre):
    return f"{cadre.township.name} · {cadre.village.name} · {cadre.name}"


def _village_label(village):
    return f"{village.township.name} · {village.name}"


def _in_post_cadres(user):
    """In-post cadres the user may read. The supervisors' forms offer these: a supervisor records about any
    cadre of the county (the services check the role); ``writable_for_user`` knows no supervisor."""
    return cadres_for_user(user=user).filter(status=Cadre.Status.IN_POST).prefetch_related(None)


def _writable_in_post_cadres(user):
    """In-post cadres the user may write to (township staff: their township; the county administrator: all)."""
    return writable_for_user(Cadre.objects.select_related("township", "village").filter(status=Cadre.Status.IN_POST), user)


class PetitionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("status"), required=False, choices=[("", _("All statuses")), *Petition.Status.choices])
    township = formfields.ModelChoiceField(label=_("township"), queryset=None, required=False, empty_label=_("All townships"))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships_for_user(user=user)
        if not user.sees_all_townships:
            del self.fields["township"]


class PetitionForm(forms.Form):
    cadre = formfields.ModelChoiceField(label=_("subject cadre"), queryset=None, required=False)
    village = formfields.ModelChoiceField(label=_("village"), queryset=None, required=False)
    channel = forms.ChoiceField(label=_("channel"), choices=Petition.Channel.choices)
    anonymous = forms.BooleanField(label=_("anonymous"), required=False)
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=50, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=30, required=False)
    reporter_address = forms.CharField(label=_("Reporter's address"), max_length=100, required=False)
    summary = forms.CharField(label=_("summary"), max_length=200, help_text=SUMMARY_WARNING)
    content = forms.CharField(
        label=_("full text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Seen by the discipline inspection commission only."),
    )
    received_on = forms.DateField(label=_("received on"), widget=DateInput())
    deadline = forms.DateField(
        label=_("deadline"), widget=DateInput(), required=False, help_text=_("Leave empty for the default (60 days).")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = _in_post_cadres(user)
        self.fields["cadre"].label_from_instance = _cadre_label
        self.fields["village"].queryset = villages_for_user(user=user)
        self.fields["village"].label_from_instance = _village_label
        self.initial.setdefault("received_on", timezone.localdate())

    def clean(self):
        data = super().clean()
        if not data.get("cadre") and not data.get("village"):
            raise forms.ValidationError(_("Name the subject cadre or village of the petition."))
        if not data.get("anonymous") and not (data.get("reporter_name") or "").strip():
            self.add_error("reporter_name", _("Give the reporter's name, or mark the petition anonymous."))
        return data


class PetitionStepForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Next status"), choices=Petition.Status.choices)
    assigned_to = forms.CharField(label=_("assigned to"), max_length=100, required=False)
    conclusion = forms.ChoiceField(label=_("conclusion"), required=False, choices=[("", "—"), *Petition.Conclusion.choices])
    note = forms.CharField(label=_("note"), max_length=500, required=False)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["to_status"].choices = choices


class InspectionForm(forms.Form):
    township = formfields.ModelChoiceField(label=_("township"), queryset=None)
    villages = formfields.ModelMultipleChoiceField(label=_("villages"), queryset=None, widget=forms.CheckboxSelectMultiple)
    inspected_on = forms.DateField(label=_("inspected on"), widget=DateInput())
    team = forms.CharField(label=_("team"), max_length=100)
    findings = forms.CharField(label=_("findings"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships_for_user(user=user)
        self.fields["villages"].queryset = villages_for_user(user=user)
        self.fields["villages"].label_from_instance = _village_label


class RectificationItemForm(forms.Form):
    village = formfields.ModelChoiceField(label=_("village"), queryset=None, required=False)
    description = forms.CharField(label=_("rectification item"), max_length=300)
    deadline = forms.DateField(label=_("deadline"), widget=DateInput())

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = inspection.villages.all()


class RectificationStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=RectificationItem.Status.choices)
    done_on = forms.DateField(label=_("rectified on"), widget=DateInput(), required=False)


class DisclosureForm(forms.Form):
    village = formfields.ModelChoiceField(label=_("village"), queryset=None)
    period_start = forms.DateField(label=_("period"), widget=DateInput(), help_text=_("Any day in the period."))
    category = forms.ChoiceField(label=_("category"), choices=AffairsDisclosure.Category.choices)
    published_on = forms.DateField(label=_("published on"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = writable_for_user(Village.objects.select_related("township"), user)
        self.fields["village"].label_from_instance = _village_label


class PeriodForm(forms.Form):
    period = forms.DateField(label=_("period"), widget=DateInput(), required=False)


class WarningSessionForm(forms.Form):
    township = formfields.ModelChoiceField(label=_("township"), queryset=None)
    held_on = forms.DateField(label=_("held on"), widget=DateInput())
    title = forms.CharField(label=_("title"), max_length=200)
    location = forms.CharField(label=_("location"), max_length=100, required=False)
    content = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    attendees = formfields.ModelMultipleChoiceField(
        label=_("attendees"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 12})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships_for_user(user=user)
        self.fields["attendees"].queryset = _in_post_cadres(user)
        self.fields["attendees"].label_from_instance = _cadre_label


class SanctionForm(forms.Form):
    cadre = formfields.ModelChoiceField(label=_("cadre"), queryset=None)
    severity = forms.ChoiceField(label=_("type"), choices=Sanction.Severity.choices)
    decided_on = forms.DateField(label=_("decided on"), widget=DateInput())
    effective_until = forms.DateField(
        label=_("effective until"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty for the default effect period of the sanction type."),
    )
    decided_by_body = forms.CharField(label=_("deciding authority"), max_length=100, required=False)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}))
    petition = formfields.ModelChoiceField(label=_("linked petition"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres_for_user(user=user).prefetch_related(None)
        self.fields["cadre"].label_from_instance = _cadre_label
        self.fields["petition"].queryset = petitions_for_user(user=user)


class InvestigationForm(forms.Form):
    cadre = formfields.ModelChoiceField(label=_("cadre"), queryset=None)
    opened_on = forms.DateField(label=_("opened on"), widget=DateInput())
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}))
    suspended = forms.BooleanField(label=_("suspended from post"), required=False)
    petition = formfields.ModelChoiceField(label=_("linked petition"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = _in_post_cadres(user)
        self.fields["cadre"].label_from_instance = _cadre_label
        self.fields["petition"].queryset = petitions_for_user(user=user)


class InvestigationCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("concluded on"), widget=DateInput())
    conclusion = forms.CharField(label=_("conclusion"), widget=forms.Textarea(attrs={"rows": 3}))


class VetoForm(forms.Form):
    cadre = formfields.ModelChoiceField(label=_("cadre"), queryset=None)
    year = forms.IntegerField(label=_("assessment year"), min_value=2000, max_value=2100)
    occurred_on = forms.DateField(label=_("occurred on"), widget=DateInput())
    kind = forms.ChoiceField(label=_("kind"), choices=VetoEvent.Kind.choices)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres_for_user(user=user).prefetch_related(None)
        self.fields["cadre"].label_from_instance = _cadre_label
        self.initial.setdefault("year", timezone.localdate().year)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("reason for revoking"), max_length=200)


class DismissalForm(forms.Form):
    cadre = formfields.ModelChoiceField(label=_("cadre"), queryset=None)
    dismissed_on = forms.DateField(label=_("dismissed on"), widget=DateInput())
    reason = forms.CharField(label=_("reason"), max_length=300)
    sanction = formfields.ModelChoiceField(label=_("linked sanction"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = _writable_in_post_cadres(user)
        self.fields["cadre"].label_from_instance = _cadre_label
        self.fields["sanction"].queryset = sanctions_for_user(user=user)
