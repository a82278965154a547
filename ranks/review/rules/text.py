"""Formatting shared by the evidence texts, and the translation lookups the rules use.

A review run writes the same few dozen sentences for every cadre. Django's ``gettext`` looks the active
language up on every call (an ``asgiref`` context-local read, then the catalogue), a good part of a
100,000-cadre run. Inside ``memoized_texts()`` (``evaluate_many`` enters it) each text is looked up
once per run and then read from a dict; outside it ``tr`` is plain ``gettext``.
The memo belongs to the current context (a ``ContextVar``), so threads and requests never share one.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.utils.translation import gettext, pgettext

_memo: ContextVar[dict | None] = ContextVar("review_rules_texts", default=None)


def tr(message: str) -> str:
    """``gettext``, looked up once per ``memoized_texts()`` block."""
    memo = _memo.get()
    if memo is None:
        return gettext(message)
    try:
        return memo[message]
    except KeyError:
        memo[message] = text = gettext(message)
        return text


def _separator(key: str, lookup) -> str:
    """A separator's translation, looked up once per ``memoized_texts()`` block (the ``pgettext`` calls
    stay literal below so that ``makemessages`` finds them)."""
    memo = _memo.get()
    if memo is None:
        return lookup()
    memo_key = ("separator", key)
    try:
        return memo[memo_key]
    except KeyError:
        memo[memo_key] = text = lookup()
        return text


@contextmanager
def memoized_texts():
    """Look each text up once inside the block (the language must not change inside it)."""
    if _memo.get() is not None:  # already inside one: share it
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def number(value: Decimal | int) -> str:
    """A Decimal without trailing zeros and without exponent: 8.00 → "8", 0.50 → "0.5"."""
    if isinstance(value, int):
        return str(value)
    return format(value.normalize(), "f")


def listing(parts) -> str:
    """Items of one list: "2023 称职、2024 优秀"."""
    return _separator("list", lambda: pgettext("review rules list separator", ", ")).join(parts)


def clauses(parts) -> str:
    """Clauses of one evidence line: "…；…"."""
    return _separator("clause", lambda: pgettext("review rules clause separator", "; ")).join(parts)


def labelled(label: str, text: str) -> str:
    """A label and its text: "基本条件1：…"."""
    return label + _separator("label", lambda: pgettext("review rules label separator", ": ")) + text
