from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre_mgmt.accounts.scoping import writable_for_user
from cadre_mgmt.cadres.formfields import ModelChoiceField, ModelMultipleChoiceField
from cadre_mgmt.cadres.forms import DateInput
from cadre_mgmt.cadres.models import Cadre, Village

from .attachments import check_attachment
from .models import LedgerCategory, TownshipYear
from .selectors import active_categories
from .services.ledger import check_appointed

SCORE_KWARGS = {"max_digits": 5, "decimal_places": 2, "min_value": Decimal("0"), "max_value": Decimal("100"), "required": False}


class LedgerFieldsMixin(forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput())
    category = ModelChoiceField(label=_("category"), queryset=LedgerCategory.objects.none())
    description = forms.CharField(label=_("description"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(label=_("outcome"), max_length=300, required=False)
    score_change = forms.DecimalField(
        label=_("score change"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("-100"),
        max_value=Decimal("100"),
        required=False,
        help_text=_("Optional, e.g. 2 or -1; added to the ledger base score of the year."),
    )
    leave_days = forms.IntegerField(
        label=_("days of leave"), min_value=1, max_value=366, required=False, help_text=_("Only for a leave entry.")
    )
    attachment = forms.FileField(
        label=_("attachment"), required=False, help_text=_("Optional: PDF, JPG, PNG, Word or Excel. No photo is required.")
    )

    def _setup_categories(self):
        self.fields["category"].queryset = active_categories()

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise ValidationError(_("The date is in the future."))
        return day

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_attachment(upload)
        return upload or None

    def clean(self):
        data = super().clean()
        category = data.get("category")
        if category is not None:
            if category.kind == LedgerCategory.Kind.LEAVE and not data.get("leave_days"):
                self.add_error("leave_days", _("Give the number of days of leave."))
            if category.kind != LedgerCategory.Kind.LEAVE and data.get("leave_days"):
                self.add_error("leave_days", _("Days of leave belong only to a leave entry."))
        return data

    def entry_kwargs(self):
        data = self.cleaned_data
        return {
            "category": data["category"],
            "date": data["date"],
            "description": data["description"],
            "outcome": data.get("outcome", ""),
            "score_change": data.get("score_change"),
            "leave_days": data.get("leave_days"),
            "attachment": data.get("attachment"),
        }


class LedgerEntryForm(LedgerFieldsMixin):
    """The ledger page form: one cadre or several of a village at once."""

    field_order = ["village", "date", "category", "description", "outcome", "score_change", "leave_days", "attachment"]

    village = ModelChoiceField(
        label=_("village"), queryset=Village.objects.none(), required=False, empty_label=_("All villages (find by name)")
    )
    cadres = ModelMultipleChoiceField(
        label=_("cadres"),
        queryset=Cadre.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Choose at least one cadre.")},
    )

    def __init__(self, *args, user, township, cadres_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_categories()
        # Only villages and cadres the user may write to (``writable_for_user``) of this township can be chosen.
        self.fields["village"].queryset = writable_for_user(Village.objects.filter(township=township), user)
        # Choosing a village lists its cadres (htmx), keeping the ones already ticked of that village. The swap
        # is named: inherited from the form it would be outerHTML and remove #cadre-choices itself.
        self.fields["village"].widget.attrs.update(
            {
                "hx-get": cadres_url,
                "hx-trigger": "change",
                "hx-target": "#cadre-choices",
                "hx-swap": "innerHTML",
                "hx-include": "#cadre-choices, #cadre-search",
                # The village list and the search share one queue: a newer request replaces one still under
                # way, so a slow, stale answer can never overwrite the list of the village now chosen.
                "hx-sync": "#cadre-choices:replace",
            }
        )
        self.fields["cadres"].queryset = writable_for_user(Cadre.objects.all(), user).filter(township=township)

    def clean(self):
        data = super().clean()
        day = data.get("date")
        try:
            for cadre in data.get("cadres") or [] if day else []:
                check_appointed(cadre, day)
        except ValidationError as exc:
            self.add_error(None, exc)
        return data


class LedgerFilterForm(forms.Form):
    """The ledger list's filters (GET, prefix ``f``: the entry form on the same page has its own village and
    category). An invalid filter is ignored, with its message on the form."""

    village = ModelChoiceField(label=_("village"), queryset=Village.objects.none(), required=False, empty_label=_("All villages"))
    name = forms.CharField(label=_("cadre"), max_length=30, required=False)
    category = ModelChoiceField(
        label=_("category"), queryset=LedgerCategory.objects.all(), required=False, empty_label=_("All categories")
    )
    date_from = forms.DateField(label=_("from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("to"), required=False, widget=DateInput())

    def __init__(self, data, *, township):
        super().__init__(data, prefix="f")
        self.fields["village"].queryset = Village.objects.filter(township=township)
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select form-select-sm" if is_select else "form-control form-control-sm"

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self):
        """The valid filters, as ``selectors.ledger_filtered`` takes them."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")} if self.is_valid() else {}


class LedgerEntryEditForm(LedgerFieldsMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_categories()


class AreaForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("task area"), max_length=40)
    weight = forms.DecimalField(
        label=_("weight (%)"), max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("100")
    )


AreaFormSet = forms.formset_factory(AreaForm, extra=1, can_delete=True, max_num=12, validate_max=True)


class QuarterAreasForm(forms.Form):
    """The task areas formset as one form: valid when every row is, with the rows as ``areas`` (the service's
    argument), and a refused save shown on it like on any form."""

    def __init__(self, data=None, *, initial):
        super().__init__(data)
        self.formset = AreaFormSet(data, initial=initial, prefix="areas")

    def is_valid(self):
        return self.formset.is_valid() and super().is_valid()

    def clean(self):
        data = super().clean()
        if not self.formset.is_valid():
            return data  # the formset's own errors are shown; no list of areas from half-valid rows
        data["areas"] = [
            {
                "id": f.cleaned_data.get("id"),
                "name": f.cleaned_data["name"],
                "weight": f.cleaned_data["weight"],
                "delete": f.cleaned_data.get("DELETE"),
            }
            for f in self.formset.forms
            if f.cleaned_data and f.cleaned_data.get("name")
        ]
        return data


class QuarterGridForm(forms.Form):
    """One score field per cadre × task area, named s-<cadre id>-<area id>."""

    def __init__(self, *args, areas, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas, self.rows = areas, rows
        for row in rows:
            for area in areas:
                name = f"s-{row.cadre.pk}-{area.pk}"
                self.fields[name] = forms.DecimalField(
                    label=f"{row.cadre.name} {area.name}",
                    initial=row.scores.get(area.pk),
                    widget=forms.NumberInput(
                        attrs={"step": "0.01", "min": "0", "max": "100", "class": "form-control form-control-sm"}
                    ),
                    **SCORE_KWARGS,
                )

    def grid(self):
        """(row, [(column label, field)]): the label heads the column, and each field on a phone."""
        return [(row, [(area.name, self[f"s-{row.cadre.pk}-{area.pk}"]) for area in self.areas]) for row in self.rows]

    def scores(self):
        return {
            (row.cadre.pk, area.pk): self.cleaned_data.get(f"s-{row.cadre.pk}-{area.pk}")
            for row in self.rows
            for area in self.areas
        }


class ReviewGridForm(forms.Form):
    """Political, business and mass scores per cadre, named r-<cadre id>-<part>."""

    PARTS = ("political", "business", "mass")

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            for part in self.PARTS:
                self.fields[f"r-{row.cadre.pk}-{part}"] = forms.DecimalField(
                    label=f"{row.cadre.name} {part}",
                    initial=getattr(row.review, f"{part}_score") if row.review else None,
                    widget=forms.NumberInput(
                        attrs={"step": "0.01", "min": "0", "max": "100", "class": "form-control form-control-sm"}
                    ),
                    **SCORE_KWARGS,
                )

    def grid(self):
        """(row, [(column label, field)]): the label heads the column, and each field on a phone."""
        labels = [_("political performance"), _("business ability"), _("mass evaluation")]
        return [
            (row, [(label, self[f"r-{row.cadre.pk}-{part}"]) for label, part in zip(labels, self.PARTS, strict=True)])
            for row in self.rows
        ]

    def scores(self):
        return {
            row.cadre.pk: tuple(self.cleaned_data.get(f"r-{row.cadre.pk}-{part}") for part in self.PARTS) for row in self.rows
        }


class YearSettingsForm(forms.ModelForm):
    class Meta:
        model = TownshipYear
        fields = ["political_weight", "business_weight", "mass_weight", "ledger_share", "quarters_share", "review_share"]

    def _post_clean(self):
        # The service validates against the county's bounds and writes; no instance round trip here.
        pass


class FinalizeForm(forms.Form):
    tie_choice = forms.MultipleChoiceField(
        label=_("Who takes the tied excellent places"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, tied_rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tie_choice"].choices = [
            (str(row.cadre.pk), f"{row.cadre.village.name} {row.cadre.name} ({row.breakdown.score})") for row in tied_rows
        ]
        if not tied_rows:
            del self.fields["tie_choice"]

    def tie_ids(self):
        return {int(value) for value in self.cleaned_data.get("tie_choice", [])}


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), max_length=200)

    def reason_or_refusal(self):
        """The reason given, or the refusal the county user sees when it is missing or too long."""
        if not self.is_valid():
            raise ValidationError(_("Give the reason for returning the grades."))
        return self.cleaned_data["reason"]
