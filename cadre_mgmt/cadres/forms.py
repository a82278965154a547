from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.accounts.scoping import writable_for_user

from . import idnumbers
from .formfields import ModelChoiceField, ModelMultipleChoiceField
from .models import Cadre, Post
from .selectors import townships_for_user, villages_for_user


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CadreFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or ID tail"), required=False, max_length=30)
    township = ModelChoiceField(label=_("township"), queryset=None, required=False, empty_label=_("All townships"))
    village = ModelChoiceField(label=_("village"), queryset=None, required=False, empty_label=_("All villages"))
    post = ModelChoiceField(label=_("post"), queryset=Post.objects.all(), required=False, empty_label=_("All posts"))
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("All statuses")), *Cadre.Status.choices], initial=Cadre.Status.IN_POST
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships_for_user(user=user)
        villages = villages_for_user(user=user)
        if user.sees_all_townships:
            # One option per village of the county grows with the county (2,000 villages: 70 kB of options,
            # ~100 ms to render, measured by `make bench`): county users choose the township, then its villages.
            township = self.data.get("township") if self.is_bound else None
            valid_id = str(township or "").isdigit() and int(township) < 2**63  # a bigint, never an overflow
            villages = villages.filter(township_id=township) if valid_id else villages.none()
        self.fields["village"].queryset = villages
        if not user.sees_all_townships:
            del self.fields["township"]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class CadreForm(forms.ModelForm):
    id_number = forms.CharField(label=_("Resident ID number"), max_length=18, min_length=18)

    class Meta:
        model = Cadre
        fields = [
            "village",
            "name",
            "id_number",
            "ethnicity",
            "phone",
            "political_status",
            "education",
            "posts",
            "first_appointed_on",
            "prior_service_years",
        ]
        widgets = {"first_appointed_on": DateInput(), "posts": forms.CheckboxSelectMultiple}
        field_classes = {"village": ModelChoiceField, "posts": ModelMultipleChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The villages the user may write to (``writable_for_user``: the county administrator every one).
        self.fields["village"].queryset = writable_for_user(villages_for_user(user=user), user)
        self.fields["village"].label_from_instance = lambda v: f"{v.township.name} · {v.name}"
        if self.instance.pk:
            self.initial["id_number"] = self.instance.id_number

    def clean_id_number(self):
        try:
            facts = idnumbers.parse_id_number(self.cleaned_data["id_number"])
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from exc
        clash = Cadre.objects.filter(id_number_hash=idnumbers.hash_id_number(facts.number))
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("A cadre with this resident ID number already exists."))
        return facts.number

    def _post_clean(self):
        # The model is written by the service, not by ModelForm.save(); skip the instance round trip.
        pass

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        return {
            "village": data.pop("village"),
            "id_number": data.pop("id_number"),
            "posts": list(data.pop("posts")),
            **data,
        }


class CadreLeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200)
