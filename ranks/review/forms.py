from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.attachments import check_attachment
from cadre_mgmt.cadres.formfields import ModelChoiceField, ModelMultipleChoiceField, MultipleFileField

from ..models import Proposal
from . import rules as review_rules
from .rules.config import PARAMETER_BOUNDS
from .rules.facts import COMMENDATION_LEVELS, GOV_SEVERITIES, PARTY_SEVERITIES, SEVERITIES
from .rules.labels import commendation_level_label, parameter_label, rule_label, severity_label

LEVEL_CHOICES = [("", _("Any level"))] + [(str(level), str(level)) for level in range(13, 0, -1)]


class ReviewStartForm(forms.Form):
    year = forms.IntegerField(label=_("Assessment year"))
    dry_run = forms.BooleanField(
        label=_("Dry run: show the result without writing proposals"),
        required=False,
        help_text=_("What the review would decide if it ran today; nothing is written."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        # The year just ended by default; the current year only makes sense as a dry run ("if it ran today").
        self.fields["year"] = forms.IntegerField(label=_("Assessment year"), min_value=2000, max_value=this_year)
        self.initial.setdefault("year", this_year - 1)


class ProposalFilterForm(forms.Form):
    """Filters of the proposals page. ``status`` "all" shows every status; empty means the role's default."""

    year = forms.IntegerField(label=_("Assessment year"), min_value=2000, max_value=2100, required=False)
    township = ModelChoiceField(label=_("Township"), queryset=None, required=False, empty_label=_("All townships"))
    status = forms.ChoiceField(label=_("Status"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    level = forms.TypedChoiceField(label=_("Current level"), choices=LEVEL_CHOICES, coerce=int, required=False, empty_value=None)

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        self.fields["status"].choices = [("", _("To do")), ("all", _("All statuses")), *Proposal.Status.choices]
        self.fields["outcome"].choices = [("", _("Any outcome")), *Proposal.Outcome.choices]


class ProposalSubmitForm(forms.Form):
    remarks = forms.CharField(label=_("Township remarks"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Supporting notes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Facts the county should know: what was checked, documents seen, anything the figures do not show."),
    )


class ProposalResubmitForm(forms.Form):
    """A returned proposal: the township answers the rejection and adds material, then resubmits or closes."""

    RESUBMIT, CLOSE = "resubmit", "close"

    action = forms.ChoiceField(choices=[(RESUBMIT, _("Resubmit to the county")), (CLOSE, _("Close the proposal"))])
    remarks = forms.CharField(
        label=_("Answer to the rejection"),
        max_length=300,
        required=False,
        help_text=_("For a resubmission: what was checked or added. For a closure: why the township closes it."),
    )
    material = forms.CharField(
        label=_("Added material"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Added to the supporting notes: documents seen, facts the county asked for."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Optional, up to 5 files: PDF, JPG, PNG, Word or Excel."),
    )

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        for upload in files:
            try:
                check_attachment(upload)
            except ValidationError as exc:
                raise ValidationError(f"{upload.name}: {exc.messages[0]}") from exc
        return files


class ProposalApproveForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), max_length=200, required=False)


class ProposalRejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the rejection"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class ProposalBatchSubmitForm(forms.Form):
    proposal = ModelMultipleChoiceField(
        queryset=Proposal.objects.none(), error_messages={"required": _("Select at least one proposal.")}
    )
    remarks = forms.CharField(label=_("Township remarks"), max_length=300, required=False)

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals


class ProposalBatchDecideForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"

    proposal = ModelMultipleChoiceField(
        queryset=Proposal.objects.none(), error_messages={"required": _("Select at least one proposal.")}
    )
    action = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))])
    reason = forms.CharField(label=_("Reason or comment"), max_length=300, required=False)
    # The second step: the summary was shown and the approver confirms what it said (``fingerprint``).
    confirm = forms.BooleanField(required=False)
    fingerprint = forms.CharField(max_length=64, required=False)

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the rejection."))
        if data.get("confirm") and not data.get("fingerprint"):
            self.add_error(None, _("Confirm the batch from its summary page."))
        return data


# The rule settings page: one switch and the parameters of each rule, built from the rules' description list.

HELP = {
    "years_grace_months": _(
        "A promotion approved in January takes effect in February. With 1 grace month (the default) a year at the "
        "level that is one month short still counts as a full year; with 0, a 2-year step would need almost 3 "
        "calendar years."
    ),
}
# Kept by the incentives area (its commendation points table), shown here for reference only.
READ_ONLY = ("commendation_points",)


def _choice_field(label, codes, labeller, multiple=False):
    choices = [(code, labeller(code)) for code in codes]
    if multiple:
        return forms.MultipleChoiceField(label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple)
    return forms.ChoiceField(label=label, choices=choices)


def _parameter_field(name, default):
    label = parameter_label(name)
    if name == "out_of_turn_min_level":
        return _choice_field(label, COMMENDATION_LEVELS, commendation_level_label)
    if name == "heavy_party_min":
        return _choice_field(label, PARTY_SEVERITIES, severity_label)
    if name == "heavy_gov_min":
        return _choice_field(label, GOV_SEVERITIES, severity_label)
    if name == "dismissal_severities":
        return _choice_field(label, SEVERITIES, severity_label, multiple=True)
    low, high = PARAMETER_BOUNDS.get(name, (None, None))
    if isinstance(default, bool):
        return forms.BooleanField(label=label, required=False)
    if isinstance(default, int):
        return forms.IntegerField(label=label, min_value=low, max_value=high, help_text=HELP.get(name, ""))
    return forms.DecimalField(label=label, min_value=low, max_value=high, max_digits=6, decimal_places=2)


class ReviewSettingsForm(forms.Form):
    """Built from ``review_rules.rule_descriptions()``: a new rule or parameter appears without a change here."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = review_rules.RuleSettings()
        self.rules = review_rules.rule_descriptions()
        for rule in self.rules:
            self.fields[rule.switch] = forms.BooleanField(label=_("Apply this rule"), required=False)
            for name in rule.params:
                if name not in READ_ONLY:
                    self.fields[name] = _parameter_field(name, getattr(defaults, name))

    def grouped(self):
        """[(rule code, label, kind, switch field, [parameter fields], [read-only parameter names])] for the template."""
        return [
            (
                rule.code,
                rule_label(rule.code),
                rule.kind,
                self[rule.switch],
                [self[name] for name in rule.params if name not in READ_ONLY],
                [name for name in rule.params if name in READ_ONLY],
            )
            for rule in self.rules
        ]

    def values(self) -> dict:
        """The cleaned values as the settings JSON stores them."""
        values = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, list | tuple):
                value = list(value)
            values[name] = value
        return values

    @classmethod
    def initial_from(cls, stored: dict) -> dict:
        return {name: (list(value) if isinstance(value, list | tuple) else value) for name, value in stored.items()}
