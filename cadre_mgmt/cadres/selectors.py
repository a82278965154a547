import calendar
import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from cadre_mgmt.accounts.scoping import scope_for_user, township_allowed_for_user

from . import rules
from .models import Cadre, CadreImport, Post, Township, Village


def townships_for_user(*, user: Any) -> QuerySet[Township]:
    return scope_for_user(Township.objects.all(), user, township_field="pk")


def villages_for_user(*, user: Any) -> QuerySet[Village]:
    return scope_for_user(Village.objects.select_related("township"), user, township_field="township")


def cadres_for_user(*, user: Any) -> QuerySet[Cadre]:
    """Every cadre list, export and API starts here."""
    return scope_for_user(
        Cadre.objects.select_related("township", "village").prefetch_related("posts"), user, township_field="township"
    )


def cadre_search(
    *,
    user: Any,
    q: str = "",
    township: Township | None = None,
    village: Village | None = None,
    post: Post | None = None,
    status: str | None = None,
) -> QuerySet[Cadre]:
    qs = cadres_for_user(user=user)
    q = (q or "").strip()
    if q:
        if q.isdigit() or (q[:-1].isdigit() and q[-1:].upper() == "X"):
            # Digits search the tail of the ID number (the masked form keeps the last four).
            qs = qs.filter(id_number_masked__endswith=q.upper()[-4:])
        else:
            qs = qs.filter(Q(name__contains=q))
    if township is not None:
        qs = qs.filter(township=township)
    if village is not None:
        qs = qs.filter(village=village)
    if post is not None:
        qs = qs.filter(posts=post)
    if status:
        qs = qs.filter(status=status)
    return qs


def can_edit_cadres(user: Any) -> bool:
    """May the user create and import cadre files at all (handed to the pages, never checked in a template)?"""
    return user.can_edit_cadres


def can_edit_cadre(user: Any, cadre: Cadre) -> bool:
    """May the user change this cadre's file (a cadre editor of the cadre's township, or the county administrator)?"""
    return user.can_edit_cadres and township_allowed_for_user(user, cadre.township_id)


def posts_in_rank_system_q(month: datetime.date, *, prefix: str = "") -> Q:
    """Posts in the rank system for the roster of ``month`` (``prefix``: the lookup path to the post, e.g. "post__")."""
    return (
        Q(**{f"{prefix}in_rank_system_from__isnull": True, f"{prefix}in_rank_system": True})
        | Q(**{f"{prefix}in_rank_system_from__lte": month, f"{prefix}in_rank_system": True})
        | Q(**{f"{prefix}in_rank_system_from__gt": month, f"{prefix}was_in_rank_system": True})
    )


def cadres_in_post_during(*, month: datetime.date) -> QuerySet[Cadre]:
    """Cadres in post during ``month`` (a first of month): appointed by its last day, not left before its
    first day. A cadre who leaves in March is paid for March, not April."""
    last_day = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return Cadre.objects.filter(first_appointed_on__lte=last_day).filter(Q(left_on__isnull=True) | Q(left_on__gte=month))


def cadres_in_rank_system(queryset: QuerySet[Cadre], *, month: datetime.date) -> QuerySet[Cadre]:
    """The one rule of DESIGN §2 for every part of the rank system (initial grading, promotion review,
    roster): the cadres of ``queryset`` holding at least one post in the rank system for ``month``
    (a first of month; a setting changed this month counts from next month)."""
    held = Cadre.posts.through.objects.filter(posts_in_rank_system_q(month, prefix="post__"), cadre_id=OuterRef("pk"))
    return queryset.filter(Exists(held))


def cadres_outside_rank_system(queryset: QuerySet[Cadre], *, month: datetime.date) -> QuerySet[Cadre]:
    """The complement of ``cadres_in_rank_system``: cadres holding no post in the rank system for ``month``."""
    held = Cadre.posts.through.objects.filter(posts_in_rank_system_q(month, prefix="post__"), cadre_id=OuterRef("pk"))
    return queryset.filter(~Exists(held))


def rank_system_exclusions(cadres: Iterable[Cadre], *, month: datetime.date) -> dict[int, str]:
    """{cadre id: why the cadre is outside the rank system for ``month``} ("" for a cadre inside it).
    Reads the posts from the cadre selector's prefetch."""
    return {
        cadre.pk: rules.rank_system_exclusion(posts=[(post.name, post.in_rank_system_on(month)) for post in cadre.posts.all()])
        for cadre in cadres
    }


def import_jobs_for_user(*, user: Any) -> QuerySet[CadreImport]:
    """Import jobs a user sees: their own; the county administrator's sees every job."""
    jobs = CadreImport.objects.select_related("requested_by")
    return jobs if user.is_county_admin else jobs.filter(requested_by=user)


def import_job_for_user(*, user: Any, pk: int) -> CadreImport:
    """One import job, or 404 (another person's job ids reveal nothing)."""
    try:
        return import_jobs_for_user(user=user).get(pk=pk)
    except CadreImport.DoesNotExist as exc:
        raise Http404 from exc
