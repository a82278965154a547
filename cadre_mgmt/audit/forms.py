from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.cadres.formfields import ModelChoiceField

from .models import AuditRecord
from .selectors import audited_object_types


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _user_label(user):
    name = user.full_name or user.get_full_name()
    return f"{name}（{user.username}）" if name and name != user.username else user.username


class AuditFilterForm(forms.Form):
    actor = ModelChoiceField(label=_("user"), queryset=None, required=False, empty_label=_("All users"))
    action = forms.ChoiceField(label=_("action"), required=False)
    object_type = forms.ChoiceField(label=_("object type"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    q = forms.CharField(label=_("Text or address"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = get_user_model().objects.order_by("username")
        self.fields["actor"].label_from_instance = _user_label
        self.fields["action"].choices = [("", _("All actions")), *AuditRecord.Action.choices]
        self.fields["object_type"].choices = [("", _("All object types")), *audited_object_types()]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data
