"""Reads of the initial grading: the rule, the computed levels, the cadres still to grade, the gradings to decide."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assessments.selectors import annual_results
from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import scope_for_user, writable_for_user
from cadre_mgmt.cadres.models import Cadre
from cadre_mgmt.cadres.selectors import cadres_in_rank_system, posts_in_rank_system_q, rank_system_exclusions

from ..ladder import rules
from ..ladder.selectors import allowance_schedule
from ..models import InitialGrading, InitialGradingRule, RankChange


def grading_rule() -> InitialGradingRule:
    rule, _created = InitialGradingRule.objects.get_or_create(pk=1)
    return rule


def _basically_competent_recently(cadre_ids: Iterable[int], day: datetime.date) -> set[int]:
    """Cadres graded 基本称职 (county-confirmed) in one of the last three years."""
    years = [day.year - 1, day.year - 2, day.year - 3]
    results = annual_results(cadre_ids=list(cadre_ids), years=years)
    return {
        cadre_id
        for cadre_id, by_year in results.items()
        if any(result.grade == "basically_competent" and result.final for result in by_year.values())
    }


def grading_month(today: datetime.date | None = None) -> datetime.date:
    """The month whose "in the rank system" post settings the initial grading reads (DESIGN §2): the month
    an approval made today takes effect, i.e. the first month the level would be paid."""
    return rules.effective_month_after(today or timezone.localdate())


def _ungraded(today: datetime.date | None = None) -> QuerySet[Cadre]:
    has_history = RankChange.objects.filter(cadre_id=OuterRef("pk"))
    open_grading = InitialGrading.objects.filter(cadre_id=OuterRef("pk"), status__in=["submitted", "approved"])
    qs = Cadre.objects.filter(status=Cadre.Status.IN_POST).filter(~Exists(has_history), ~Exists(open_grading))
    return cadres_in_rank_system(qs, month=grading_month(today)).select_related("township", "village")


def ungraded_cadres_for(*, user: User, today: datetime.date | None = None) -> QuerySet[Cadre]:
    """Cadres in post holding a post in the rank system, with no rank history and no open grading, in the user's scope."""
    return scope_for_user(_ungraded(today), user, township_field="township")


def submittable_cadres_for(*, user: User, today: datetime.date | None = None) -> QuerySet[Cadre]:
    """The ungraded cadres the user may submit a grading for (the batch form's choices)."""
    return writable_for_user(_ungraded(today), user, township_field="township")


def rank_system_refusal(cadre: Cadre, *, today: datetime.date | None = None) -> str:
    """Why ``cadre`` cannot be graded because it holds no post in the rank system ("" when it holds one)."""
    with_posts = Cadre.objects.filter(pk=cadre.pk).prefetch_related("posts")
    return rank_system_exclusions(with_posts, month=grading_month(today)).get(cadre.pk, "")


@dataclass(frozen=True)
class ComputedLevel:
    level: int
    years_served: int
    lowered: bool


def computed_initial_levels(*, cadres: Iterable[Cadre], day: datetime.date | None = None) -> dict[int, ComputedLevel]:
    """The level each cadre would get from years of service (DESIGN §3 default rule)."""
    day = day or timezone.localdate()
    rule = grading_rule()
    cadres = list(cadres)
    lowered = _basically_competent_recently([c.pk for c in cadres], day) if rule.lower_for_basically_competent else set()
    result = {}
    for cadre in cadres:
        years = cadre.prior_service_years + rules.full_years(cadre.first_appointed_on, day)
        level = rules.initial_level(
            years_served=years,
            years_per_level=rule.years_per_level,
            highest_level=rule.highest_level,
            basically_competent_recently=cadre.pk in lowered,
            lower_for_basically_competent=rule.lower_for_basically_competent,
        )
        result[cadre.pk] = ComputedLevel(level=level, years_served=years, lowered=cadre.pk in lowered)
    return result


def gradings_for(*, user: User, status: str = InitialGrading.Status.SUBMITTED) -> QuerySet[InitialGrading]:
    qs = InitialGrading.objects.filter(status=status).select_related("cadre", "cadre__village", "township", "submitted_by")
    return scope_for_user(qs, user, township_field="township")


def can_read_gradings(user: User) -> bool:
    """The initial grading page: the townships that submit and the county that decides."""
    return user.is_authenticated and (user.is_township_staff or user.is_county_approver)


def can_submit_gradings(user: User) -> bool:
    return user.is_authenticated and (user.is_township_staff or user.is_county_admin)


def can_approve_gradings(user: User) -> bool:
    return user.is_authenticated and user.is_county_approver


def ungraded_page_rows(*, user: User, limit: int = 500) -> list[tuple[Cadre, ComputedLevel]]:
    """The page's cadres still to grade (the first ``limit``, in township and village order), each with
    its computed level."""
    ungraded = list(ungraded_cadres_for(user=user).order_by("township__sort_order", "village__sort_order", "name")[:limit])
    computed = computed_initial_levels(cadres=ungraded)
    return [(cadre, computed[cadre.pk]) for cadre in ungraded]


def submitted_gradings(*, ids: Iterable[int]) -> list[InitialGrading]:
    """The submitted gradings among ``ids`` (the approver's selection), with their cadres."""
    return list(InitialGrading.objects.filter(pk__in=ids, status=InitialGrading.Status.SUBMITTED).select_related("cadre"))


def get_submitted_grading(*, pk: int) -> InitialGrading:
    return get_object_or_404(InitialGrading.objects.select_related("cadre"), pk=pk, status=InitialGrading.Status.SUBMITTED)


@dataclass(frozen=True)
class GradingFilter:
    """The approver's filter of the gradings awaiting approval: a township, part of a cadre's name."""

    township_id: int | None = None
    name: str = ""

    def as_query(self) -> dict[str, str]:
        return {key: str(value) for key, value in (("township", self.township_id), ("q", self.name)) if value}


def matching_gradings(*, user: User, matching: GradingFilter) -> QuerySet[InitialGrading]:
    """The submitted gradings on the user's scope that match the filter, in the page's order."""
    qs = gradings_for(user=user)
    if matching.township_id:
        qs = qs.filter(township_id=matching.township_id)
    if matching.name:
        qs = qs.filter(cadre__name__contains=matching.name)
    return qs


@dataclass(frozen=True)
class ApprovalSummary:
    """What "approve all that match" will do: how many, at which levels, what it adds to a month."""

    count: int
    last_id: int  # the confirmation covers the gradings up to this id
    by_level: list[tuple[int, int, int]]  # (level, gradings, of them in a paid post)
    month: datetime.date  # the month the approvals take effect (next month)
    monthly_cost: Decimal  # the allowance those in a paid post gain from that month

    @property
    def paid(self) -> int:
        return sum(paid for _level, _n, paid in self.by_level)


def approval_summary(*, user: User, matching: GradingFilter, today: datetime.date | None = None) -> ApprovalSummary:
    """Counts and monthly cost of approving every grading that matches (two queries and the schedule):
    a cadre without a level is paid as level 13, so the cost is the allowance of the proposed level
    (``ranks.ladder.rules``) for those in a paid post."""
    today = today or timezone.localdate()
    month = rules.effective_month_after(today)
    qs = matching_gradings(user=user, matching=matching).order_by()
    paid_post = Cadre.posts.through.objects.filter(posts_in_rank_system_q(month, prefix="post__"), cadre_id=OuterRef("cadre_id"))
    rows = list(
        qs.values("proposed_level")
        .annotate(n=Count("*"), paid=Count("pk", filter=Q(Exists(paid_post))))
        .order_by("proposed_level")
        .values_list("proposed_level", "n", "paid")
    )
    last_id = qs.aggregate(last=Max("pk"))["last"] or 0
    schedule = allowance_schedule()
    cost = sum((schedule.allowance(level, month) * paid for level, _n, paid in rows), Decimal(0))
    return ApprovalSummary(
        count=sum(n for _level, n, _paid in rows), last_id=last_id, by_level=rows, month=month, monthly_cost=cost
    )
