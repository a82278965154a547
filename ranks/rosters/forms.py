"""The month picker of the roster pages (and of the allowance schedule form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..ladder.forms import MonthField


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
