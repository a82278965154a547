from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cadre_mgmt.accounts.scoping import scope_for_user, township_allowed_for_user

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
