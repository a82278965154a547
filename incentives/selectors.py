"""Reads of incentives data: the facts the promotion review reads (commendations, points table) and pay."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import scope_for_user, township_allowed_for_user
from cadre_mgmt.cadres.models import Cadre
from cadre_mgmt.lookups import ids_in

from . import rules
from .models import (
    Commendation,
    CommendationLevel,
    CommendationPoints,
    HardshipAid,
    InsuranceEnrolment,
    PayScale,
    PoliticalRecommendation,
    TrainingRecord,
)

DEFAULT_POINTS = {"county": Decimal("2"), "city": Decimal("4"), "province": Decimal("6"), "national": Decimal("10")}
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CommendationFact:
    id: int
    level: str  # "county", "city", "province", "national"
    title: str
    awarded_on: datetime.date
    collective: bool
    honour_key: str


def _fact(commendation: Commendation, *, collective: bool) -> CommendationFact:
    return CommendationFact(
        id=commendation.id,
        level=commendation.level,
        title=commendation.title,
        awarded_on=commendation.awarded_on,
        collective=collective,
        honour_key=rules.honour_key(commendation.title, commendation.awarded_on.year),
    )


def commendations_for(*, cadre_ids: Iterable[int], up_to: datetime.date) -> dict[int, list[CommendationFact]]:
    """Honours of each cadre awarded on or before ``up_to``, oldest first; four queries for any number of cadres.

    A collective honour of a village is listed (collective=True) for the cadres of that village who
    hold the post of Party branch secretary or village committee director (their current posts).
    """
    cadre_ids = list(cadre_ids)
    result: dict[int, list[CommendationFact]] = {cadre_id: [] for cadre_id in cadre_ids}
    if not cadre_ids:
        return result
    own = Commendation.objects.filter(ids_in("cadre_id", cadre_ids), awarded_on__lte=up_to).order_by("awarded_on", "id")
    for commendation in own:
        if commendation.cadre_id is not None:  # always: filtered by cadre
            result[commendation.cadre_id].append(_fact(commendation, collective=False))
    holders: defaultdict[int | None, set[int]] = defaultdict(
        set
    )  # village id → ids of its secretary/director among the cadres asked for
    holding = Cadre.objects.filter(ids_in("id", cadre_ids), posts__code__in=rules.COLLECTIVE_HONOUR_POSTS).order_by()
    for cadre_id, village_id in holding.values_list("pk", "village_id").distinct():
        holders[village_id].add(cadre_id)
    if holders:
        collective = Commendation.objects.filter(village_id__in=list(holders), awarded_on__lte=up_to).order_by("awarded_on", "id")
        for commendation in collective:
            for cadre_id in sorted(holders[commendation.village_id]):
                result[cadre_id].append(_fact(commendation, collective=True))
        for facts in result.values():
            facts.sort(key=lambda fact: (fact.awarded_on, fact.id))
    return result


def cadre_commendations(*, cadre: Cadre, up_to: datetime.date, limit: int = 10) -> list[CommendationFact]:
    """The cadre file's honours, newest first, in one query (the cadre's posts are prefetched on that page)."""
    holds_post = any(post.code in rules.COLLECTIVE_HONOUR_POSTS for post in cadre.posts.all())
    who = Q(cadre=cadre) | Q(village_id=cadre.village_id) if holds_post else Q(cadre=cadre)
    rows = Commendation.objects.filter(who, awarded_on__lte=up_to).order_by("-awarded_on", "-id")[:limit]
    return [_fact(row, collective=row.village_id is not None) for row in rows]


def commendation_points_table() -> dict[str, Decimal]:
    """Points per commendation level as the county keeps them (DESIGN §5 defaults for missing rows)."""
    table = dict(DEFAULT_POINTS)
    table.update(dict(CommendationPoints.objects.values_list("level", "points")))
    return table


def training_totals(*, cadre_ids: Iterable[int], year: int) -> dict[int, Decimal]:
    """Training hours of each cadre in ``year`` (0 for none); one query."""
    cadre_ids = list(cadre_ids)
    totals = {cadre_id: Decimal("0.0") for cadre_id in cadre_ids}
    rows = (
        TrainingRecord.objects.filter(cadre_id__in=cadre_ids, trained_on__year=year)
        .values("cadre_id")
        .annotate(total=Sum("hours"))
        .values_list("cadre_id", "total")
    )
    totals.update(dict(rows))
    return totals


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def pay_components(*, cadre: Cadre, month: datetime.date) -> dict:
    """Base and performance pay of a cadre for a month, as the county's pay scale sets them.

    The month is paid if the cadre is in post on its first day or joins during it (a cadre who left
    in month M is paid for M, not M+1); only the paid posts ("三职") count, and for a cadre holding
    several the best-paid post applies. Two queries.
    Returns {"base_pay", "performance_pay", "total" (Decimal), "post" (name or ""), "effective_from" (date or None),
    "in_post" (bool)}.
    """
    month = _month_start(month)
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    nothing = {"base_pay": ZERO, "performance_pay": ZERO, "total": ZERO, "post": "", "effective_from": None, "in_post": False}
    if cadre.left_on is not None and cadre.left_on < month:
        return nothing
    if cadre.first_appointed_on >= next_month:
        return nothing
    posts = [post for post in cadre.posts.all() if post.is_paid]
    if not posts:
        return {**nothing, "in_post": True}
    rows = PayScale.objects.filter(effective_from__lte=month).filter(Q(post__in=posts) | Q(post__isnull=True))
    latest: dict[int | None, PayScale] = {}
    for scale in rows.order_by("effective_from", "id"):
        latest[scale.post_id] = scale
    best = None
    for post in posts:
        candidate = latest.get(post.pk) or latest.get(None)
        if candidate is not None and (
            best is None or candidate.base_pay + candidate.performance_pay > best[1].base_pay + best[1].performance_pay
        ):
            best = (post, candidate)
    if best is None:
        return {**nothing, "in_post": True}
    post, row = best
    return {
        "base_pay": row.base_pay,
        "performance_pay": row.performance_pay,
        "total": row.base_pay + row.performance_pay,
        "post": post.name,
        "effective_from": row.effective_from,
        "in_post": True,
    }


# --- Who may do what -----------------------------------------------------------------------------


def can_read_incentives(user: User) -> bool:
    """County roles, township staff (their township) and finance; supervisors work in supervision."""
    return user.is_authenticated and (user.is_county_approver or user.is_township_staff or user.is_finance)


def can_record_incentives(user: User) -> bool:
    """Township staff keep their cadres' records; the county administrator may record anything."""
    return user.is_authenticated and (user.is_township_staff or user.is_county_admin)


def can_change_pay_scale(user: User) -> bool:
    """The pay scale is the county administrator's (in the admin)."""
    return user.is_authenticated and user.is_county_admin


def aid_can_take(user: User, aid: HardshipAid, to_status: str) -> bool:
    """May this user take the step to ``to_status``? (Not whether the step is in order: see the rules.)"""
    stage = rules.AID_STAGE.get(to_status)
    if stage == "township":
        return township_allowed_for_user(user, aid.cadre.township_id)
    if stage == "county":
        return user.is_county_approver
    if stage == "payment":
        return user.is_county_approver or (user.is_finance and (user.township_id in (None, aid.cadre.township_id)))
    return False


def aid_step_choices(*, user: User, aid: HardshipAid) -> list[tuple[str, str]]:
    """The next steps of the case this user may take, as form choices."""
    steps = [status for status in rules.AID_TRANSITIONS[aid.status] if aid_can_take(user, aid, status)]
    return [(status, str(HardshipAid.Status(status).label)) for status in steps]


def recommendations_decidable(
    recommendations: Iterable[PoliticalRecommendation], *, user: User
) -> Iterable[PoliticalRecommendation]:
    """Mark each recommendation of a page with ``can_decide``: still open, and of a township the user writes to."""
    for recommendation in recommendations:
        can_decide = recommendation.status == PoliticalRecommendation.Status.RECOMMENDED and (
            township_allowed_for_user(user, recommendation.cadre.township_id)
        )
        setattr(recommendation, "can_decide", can_decide)  # noqa: B010 - an attribute for the template
    return recommendations


# --- Page lists (all scoped) ----------------------------------------------------------------------


def commendations_for_user(*, user: User) -> QuerySet[Commendation]:
    if not can_read_incentives(user):
        return Commendation.objects.none()
    return scope_for_user(
        Commendation.objects.select_related("township", "cadre", "cadre__village", "village"), user, township_field="township"
    )


def trainings_for_user(*, user: User) -> QuerySet[TrainingRecord]:
    if not can_read_incentives(user):
        return TrainingRecord.objects.none()
    return scope_for_user(
        TrainingRecord.objects.select_related("cadre", "cadre__township", "cadre__village"),
        user,
        township_field="cadre__township",
    )


def training_year_totals(*, user: User, year: int) -> QuerySet[TrainingRecord, dict[str, Any]]:
    """Per-cadre totals of a year for the training page: rows of (cadre fields, hours, courses)."""
    return (
        trainings_for_user(user=user)
        .filter(trained_on__year=year)
        .values("cadre_id", "cadre__name", "cadre__township__name", "cadre__village__name")
        .annotate(total=Sum("hours"), courses=Count("id"))
        .order_by("-total", "cadre__name")
    )


def insurances_for_user(*, user: User) -> QuerySet[InsuranceEnrolment]:
    if not can_read_incentives(user):
        return InsuranceEnrolment.objects.none()
    return scope_for_user(
        InsuranceEnrolment.objects.select_related("cadre", "cadre__township", "cadre__village", "updated_by"),
        user,
        township_field="cadre__township",
    )


def recommendations_for_user(*, user: User) -> QuerySet[PoliticalRecommendation]:
    if not can_read_incentives(user):
        return PoliticalRecommendation.objects.none()
    return scope_for_user(
        PoliticalRecommendation.objects.select_related("cadre", "cadre__township", "cadre__village"),
        user,
        township_field="cadre__township",
    )


def aids_for_user(*, user: User) -> QuerySet[HardshipAid]:
    if not can_read_incentives(user):
        return HardshipAid.objects.none()
    return scope_for_user(
        HardshipAid.objects.select_related("cadre", "cadre__township", "cadre__village"), user, township_field="cadre__township"
    )


def pay_scale_rows() -> QuerySet[PayScale]:
    return PayScale.objects.select_related("post", "created_by").order_by("-effective_from", "post__sort_order")


def levels_with_points() -> list[tuple[str, str, Decimal | None]]:
    table = commendation_points_table()
    return [(value, str(label), table.get(value)) for value, label in CommendationLevel.choices]
