"""The villagers' ballot pages: no account, no JavaScript, a few kilobytes (templates/evaluation/).

Wrong codes are counted per address with django-ratelimit in the project's cache; past the limit the
page refuses every code from that address for a while, with a Chinese message.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from cadre_mgmt.audit.middleware import client_ip

from . import rules, selectors, services
from .forms import BallotForm, CodeForm

GROUP = "evaluation-wrong-code"


def _address(group, request):
    return client_ip(request) or "unknown"


def _limited(request) -> bool:
    """Has this address used up its wrong codes (EVALUATION_WRONG_CODE_RATE, e.g. 10/h)?"""
    usage = get_usage(request, group=GROUP, key=_address, rate=settings.EVALUATION_WRONG_CODE_RATE, method=ALL)
    return usage is not None and usage["count"] >= usage["limit"]


def _count_wrong(request) -> None:
    get_usage(request, group=GROUP, key=_address, rate=settings.EVALUATION_WRONG_CODE_RATE, method=ALL, increment=True)


def _refusal(request, message, status):
    return render(request, "evaluation/ballot_refused.html", {"message": message}, status=status)


def _too_many(request):
    return _refusal(request, _("Too many wrong codes from this address. Try again in an hour."), 429)


@never_cache
def ballot_start(request):
    """Type the code from the slip (for a phone that cannot scan the QR code)."""
    if _limited(request):
        return _too_many(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            return redirect("evaluation_ballot", code=form.cleaned_data["code"])
        _count_wrong(request)
    return render(request, "evaluation/ballot_start.html", {"form": form}, status=400 if form.errors else 200)


def _checked(request, code):
    """(the normalized code, its row, None) when it may vote; (code, None, the refusal page) otherwise."""
    normalized = rules.normalize_code(code)
    try:
        if normalized is None:
            raise ValidationError("", code="unknown")
        return normalized, services.ballot_round(code=normalized), None
    except ValidationError as exc:
        unknown = exc.error_list[0].code == "unknown"
        if unknown:
            _count_wrong(request)
        message = _("This code is not valid. Check it against your slip.") if unknown else exc.messages[0]
        return normalized, None, _refusal(request, message, 404 if unknown else 403)


@never_cache
def ballot(request, code):
    if _limited(request):
        return _too_many(request)
    normalized, row, refused = _checked(request, code)
    if refused is not None:
        return refused
    subjects = selectors.ballot_cadres(row.round_id)
    form = BallotForm(request.POST or None, subjects=subjects)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_cast(code=normalized, ratings=form.ratings(), comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            return _refusal(request, exc.messages[0], 403)
        return redirect("evaluation_thanks")
    context = {"form": form, "round": row.round, "code": rules.display_code(normalized)}
    return render(request, "evaluation/ballot.html", context, status=400 if form.errors else 200)


def ballot_thanks(request):
    return render(request, "evaluation/ballot_thanks.html")
