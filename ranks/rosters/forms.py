"""The month picker of the roster pages (and of the allowance schedule form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..ladder import rules


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month input); cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, for example 2026-03.")}

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return rules.parse_month(value)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
