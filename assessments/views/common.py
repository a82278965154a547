"""What every assessment page shares: the township and village it is about, the year check, the query string."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.http import urlencode

from cadre_mgmt.accounts.scoping import require
from cadre_mgmt.cadres.models import Village
from cadre_mgmt.cadres.selectors import townships_for_user

from ..selectors import can_read_assessments


def require_reader(user):
    require(can_read_assessments(user))


def township_for(request):
    """The township the page is about: township staff their own; county users pick one (default the first)."""
    user = request.user
    require_reader(user)
    if user.is_township_staff:
        return user.township
    townships = townships_for_user(user=user)
    raw = request.POST.get("township") or request.GET.get("township")
    if raw:
        if not str(raw).isdigit():
            raise Http404
        return get_object_or_404(townships, pk=int(raw))
    township = townships.first()
    if township is None:
        raise Http404
    return township


def check_year(year, quarter=None):
    if not 2000 <= year <= 2100 or (quarter is not None and quarter not in (1, 2, 3, 4)):
        raise Http404


def village_for(request, township, *, remember=None):
    villages = Village.objects.filter(township=township)
    raw = request.POST.get("village") or request.GET.get("village") or (request.session.get(remember) if remember else None)
    if raw and str(raw).isdigit():
        village = villages.filter(pk=int(raw)).first()
        if village is not None:
            return village
    return villages.order_by("sort_order", "name").first()


def township_query(request, township, **extra):
    params = {} if request.user.is_township_staff else {"township": township.pk}
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return f"?{urlencode(params)}" if params else ""


def posted(request, *, files=False):
    """Form data for a POST (even an empty one: a POST with nothing ticked is still a submission)."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def township_picker(request, township):
    if request.user.is_township_staff:
        return None
    return {"townships": townships_for_user(user=request.user), "current": township}


def page_context(request, township, **extra):
    """The context every township page starts from."""
    return {
        "township": township,
        "picker": township_picker(request, township),
        "township_query": township_query(request, township),
        **extra,
    }
