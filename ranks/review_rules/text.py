"""Formatting shared by the evidence texts."""

from decimal import Decimal

from django.utils.translation import pgettext


def number(value: Decimal | int) -> str:
    """A Decimal without trailing zeros and without exponent: 8.00 → "8", 0.50 → "0.5"."""
    if isinstance(value, int):
        return str(value)
    return format(value.normalize(), "f")


def listing(parts) -> str:
    """Items of one list: "2023 称职、2024 优秀"."""
    return pgettext("review rules list separator", ", ").join(parts)


def clauses(parts) -> str:
    """Clauses of one evidence line: "…；…"."""
    return pgettext("review rules clause separator", "; ").join(parts)


def labelled(label: str, text: str) -> str:
    """A label and its text: "基本条件1：…"."""
    return label + pgettext("review rules label separator", ": ") + text
