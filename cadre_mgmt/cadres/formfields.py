"""Model choice fields that refuse an out-of-range id with the ordinary "invalid choice" message.

Django's ModelChoiceField passes the posted id straight into a query; an id beyond 64 bits makes
SQLite raise OverflowError and PostgreSQL a DataError, i.e. a server error on hostile input. Every
form of the product should use these two instead of Django's (``field_classes`` in a ModelForm's Meta).
"""

from django import forms
from django.core.exceptions import ValidationError

_ID_MAX = 2**63 - 1


def _out_of_range(value):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False  # not a number: Django's own lookup refuses it cleanly
    return not -_ID_MAX - 1 <= number <= _ID_MAX


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if _out_of_range(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(pk)[:30]}
                )
        return super()._check_values(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern): the cleaned value is a list, empty parts left out."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
