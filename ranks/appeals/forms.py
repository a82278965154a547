from django import forms
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.cadres.formfields import MultipleFileField

from ..models import Appeal


class AppealForm(forms.Form):
    reasons = forms.CharField(label=_("Why the decision is wrong"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(label=_("Attachments (PDF, JPG, PNG, Word or Excel; at most 5)"), required=False)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Township comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Appeal.Outcome.choices)
    reasons = forms.CharField(label=_("Reasons for the decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    remedy = forms.ChoiceField(label=_("What follows"), choices=Appeal.Remedy.choices, required=False)

    def __init__(self, *args, remedies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remedy"].choices = [choice for choice in Appeal.Remedy.choices if choice[0] in ("", *remedies)]
