"""Reads of the promotion review for its pages: runs, dry-run results, proposals, explanations, history."""

import datetime
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadre_mgmt.accounts.models import User
from cadre_mgmt.accounts.scoping import get_object_for_user, scope_for_user, writable_for_user
from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres.models import Cadre, Township
from cadre_mgmt.lookups import ids_in

from ..ladder import rules as ladder_rules
from ..ladder.selectors import BudgetFigures, allowance_schedule, budget_figures
from ..models import PromotionReview, Proposal, ProposalAttachment, ReviewBatch
from . import rules as review_rules
from .rules.labels import rule_label

RECENT_RUNS = 30


def can_read_reviews(user: User) -> bool:
    """The review runs and their counts across townships: the county's approvers and administrators."""
    return user.is_authenticated and user.is_county_approver


def can_read_proposals(user: User) -> bool:
    return user.is_authenticated and (user.is_township_staff or user.is_county_approver)


def can_start_reviews(user: User) -> bool:
    """Starting and resuming runs, and the rule settings: the county administrator."""
    return user.is_authenticated and user.is_county_admin


can_change_rules = can_start_reviews


def can_submit_proposals(user: User) -> bool:
    return user.is_authenticated and (user.is_township_staff or user.is_county_admin)


def can_decide_proposals(user: User) -> bool:
    return user.is_authenticated and user.is_county_approver


def can_resume_review(user: User, review: PromotionReview) -> bool:
    return can_start_reviews(user) and review.state != PromotionReview.State.DONE


def proposal_permissions(user: User, proposal: Proposal) -> dict:
    """What the proposal page offers this user: {"can_submit", "can_decide", "can_resubmit"}. A returned
    (rejected) proposal is resubmitted or closed by its township's staff only."""
    open_for_township = proposal.needs_decision and proposal.status in (Proposal.Status.PENDING, Proposal.Status.SUBMITTED)
    return {
        "can_submit": open_for_township and can_submit_proposals(user),
        "can_decide": can_decide_proposals(user) and proposal.status == Proposal.Status.SUBMITTED,
        "can_resubmit": proposal.is_returned
        and user.is_authenticated
        and user.is_township_staff
        and user.township_id == proposal.township_id,
    }


def review_budget(*, user: User, review: PromotionReview) -> BudgetFigures | None:
    """What next month's allowances come to if every proposal of a finished run awaiting the county is
    approved; None for a dry run or a run still going."""
    if review.dry_run or review.state != PromotionReview.State.DONE:
        return None
    return budget_figures(user=user, extra_pending=pending_proposal_changes(user=user, year=review.year))


def dry_run_filters(query: Mapping[str, str]) -> tuple[int | None, str]:
    """The dry-run table's (township id, outcome) filters from the query string; junk is ignored."""
    township = query.get("township", "")
    return (int(township) if township.isdigit() and len(township) < 12 else None), query.get("outcome", "")


# The township's to-do on the proposals page: to check, and returned by the county (resubmit or close).
TOWNSHIP_TODO = "todo"
TOWNSHIP_TODO_STATUSES = (Proposal.Status.PENDING, Proposal.Status.REJECTED)


def default_proposal_status(user: User) -> str:
    return Proposal.Status.SUBMITTED if user.is_county_approver else TOWNSHIP_TODO


def returned_proposals_for_user(*, user: User) -> QuerySet[Proposal]:
    """Proposals the county rejected and returned to the user's township, awaiting its resubmission or
    closure (the township's to-do list and dashboard). Township staff only: others get none."""
    if not (user.is_authenticated and user.is_township_staff):
        return Proposal.objects.none()
    return writable_for_user(Proposal.objects.filter(status=Proposal.Status.REJECTED), user, township_field="township")


def returned_proposal_count(*, user: User) -> int:
    return returned_proposals_for_user(user=user).count()


def proposal_todo_count(*, user: User) -> int:
    """The township's proposal to-do: to check and submit (pending, a change proposed), plus returned."""
    if not (user.is_authenticated and user.is_township_staff):
        return 0
    qs = writable_for_user(Proposal.objects.filter(status__in=TOWNSHIP_TODO_STATUSES), user, township_field="township")
    return qs.count()


def open_proposals_for_user(*, user: User) -> QuerySet[Proposal]:
    """The proposals the user may still submit (or submit again): the batch form's choices."""
    open_ones = Proposal.objects.filter(status__in=[Proposal.Status.PENDING, Proposal.Status.SUBMITTED])
    return writable_for_user(open_ones, user, township_field="township")


def submitted_proposals_for_user(*, user: User) -> QuerySet[Proposal]:
    return proposals_for_user(user=user).filter(status=Proposal.Status.SUBMITTED)


def reviews_for_user(*, user: User | None) -> QuerySet[PromotionReview]:
    """Every run, newest first (the run list page's order): no township's data but counts over all."""
    return PromotionReview.objects.select_related("started_by").order_by("-created_at", "-id")


def recent_reviews(*, user: User | None = None, limit: int = RECENT_RUNS) -> list[PromotionReview]:
    return list(reviews_for_user(user=user)[:limit])


def active_review(*, year: int) -> PromotionReview | None:
    return PromotionReview.objects.filter(year=year, dry_run=False, state__in=["queued", "running"]).first()


# Dry-run results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DryRunRow:
    cadre_id: int
    name: str
    village: str
    township: str
    outcome: str
    outcome_label: str
    from_level: int
    to_level: int
    failed: list  # labels of the conditions that failed (or the demotion triggers that fired)
    points_used: Decimal


def dry_run_rows(*, review: PromotionReview, township_id: int | None = None, outcome: str = "") -> list:
    """The flat result list of a dry run (cadre id order within township order), filtered."""
    batches = review.batches.order_by("township__sort_order", "township__name").values_list("township_id", "results")
    rows: list[list] = []
    for batch_township, results in batches:
        if township_id is not None and batch_township != township_id:
            continue
        rows.extend(row for row in results if not outcome or row[1] == outcome)
    return rows


def dry_run_page_rows(rows: list) -> list[DryRunRow]:
    """Names and villages for one page of dry-run rows (one query)."""
    cadres = {c.pk: c for c in Cadre.objects.filter(pk__in=[row[0] for row in rows]).select_related("village", "township")}
    result = []
    for cadre_id, outcome, from_level, to_level, failed, points_used in rows:
        cadre = cadres.get(cadre_id)
        result.append(
            DryRunRow(
                cadre_id=cadre_id,
                name=cadre.name if cadre else f"#{cadre_id}",
                village=cadre.village.name if cadre else "",
                township=cadre.township.name if cadre else "",
                outcome=outcome,
                outcome_label=review_rules.outcome_label(outcome),
                from_level=from_level,
                to_level=to_level,
                failed=[rule_label(code) for code in failed],
                points_used=Decimal(points_used),
            )
        )
    return result


def review_batches(*, review: PromotionReview) -> list[ReviewBatch]:
    return list(review.batches.select_related("township").defer("results").order_by("township__sort_order", "township__name"))


# Proposals ---------------------------------------------------------------------------------------


def proposals_for_user(*, user: User) -> QuerySet[Proposal]:
    """Every proposal list starts here: township staff see their township's only."""
    return scope_for_user(Proposal.objects.all(), user, township_field="township")


def proposal_listing(*, user: User) -> QuerySet[Proposal]:
    """The caller's proposals (scoped by ``proposals_for_user``), latest year first, then in the proposals
    page's order, with what a listing shows."""
    return (
        proposals_for_user(user=user)
        .select_related(
            "cadre", "cadre__village", "township", "submitted_by", "decided_by", "rank_change__cadre", "rank_change__approved_by"
        )
        .order_by("-year", "township__sort_order", "township__name", "cadre__village__sort_order", "cadre__name", "id")
    )


def get_proposal_for_user(*, user: User, pk: int) -> Proposal:
    qs = proposals_for_user(user=user).select_related(
        "cadre", "cadre__village", "township", "review", "submitted_by", "decided_by", "rank_change"
    )
    return get_object_for_user(qs, user, township_field="township", pk=pk)


def latest_year(*, user: User) -> int | None:
    return proposals_for_user(user=user).aggregate(year=Max("year"))["year"]


def proposal_search(
    *, user: User, year: int, township: Township | None = None, status: str = "", outcome: str = "", level: int | None = None
) -> QuerySet[Proposal]:
    qs = proposals_for_user(user=user).filter(year=year)
    if township is not None:
        qs = qs.filter(township=township)
    if status == TOWNSHIP_TODO:
        qs = qs.filter(status__in=TOWNSHIP_TODO_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if level is not None:
        qs = qs.filter(from_level=level)
    return qs.select_related("cadre", "cadre__village", "township", "submitted_by", "decided_by").order_by(
        "township__sort_order", "township__name", "cadre__village__sort_order", "cadre__name", "id"
    )


@dataclass(frozen=True)
class TownshipSummary:
    township_id: int
    name: str
    by_status: dict
    total: int


def proposal_summary(*, user: User, year: int) -> list[TownshipSummary]:
    """Proposals per township and status for ``year``, for the county's overview. Two queries: the counts
    from the proposals alone (an index-only scan of proposal_page_idx; joining the townships into it
    made PostgreSQL read all 100,000 rows of a provincial year), then the townships' names."""
    rows = proposals_for_user(user=user).filter(year=year).order_by().values_list("township_id", "status").annotate(n=Count("*"))
    counts_by_township: dict[int, dict[str, int]] = {}
    for township_id, status, n in rows:
        counts_by_township.setdefault(township_id, {})[status] = n
    townships = Township.objects.filter(ids_in("id", counts_by_township)).order_by("sort_order", "name", "id")
    return [
        TownshipSummary(
            township_id=township.pk,
            name=township.name,
            by_status=counts_by_township[township.pk],
            total=sum(counts_by_township[township.pk].values()),
        )
        for township in townships.only("id", "name", "sort_order")
    ]


def pending_proposal_changes(*, user: User, year: int | None = None) -> list[tuple[int, int]]:
    """(cadre id, level) of every proposal awaiting the county, for ``ranks.ladder.selectors.budget_figures``."""
    qs = proposals_for_user(user=user).filter(status=Proposal.Status.SUBMITTED)
    if year is not None:
        qs = qs.filter(year=year)
    return list(qs.values_list("cadre_id", "to_level"))


# Batch decisions: the summary shown before a batch acts -----------------------------------------


@dataclass(frozen=True)
class BatchSummary:
    action: str  # "approve" or "reject"
    proposals: list
    promotions: int
    out_of_turn: int
    demotions: int
    effective_month: datetime.date
    # Sum over the selection of (allowance at the new level − at the current level) per month, under the
    # allowance schedule in force in the effective month; what approving them adds to each month's roster.
    monthly_cost: Decimal
    fingerprint: str


def selection_fingerprint(proposals: list[Proposal]) -> str:
    """What the summary showed, in a few characters: the proposals with their status and verdict. The
    confirming request carries it; a proposal decided or re-evaluated since changes it."""
    parts = sorted(f"{p.pk}:{p.status}:{p.outcome}:{p.from_level}:{p.to_level}:{p.digest}" for p in proposals)
    return hashlib.blake2b("|".join(parts).encode(), digest_size=12).hexdigest()


def batch_summary(*, proposals: list[Proposal], action: str, today: datetime.date | None = None) -> BatchSummary:
    """How many promotions, out-of-turn promotions and demotions a batch decision covers and, for an
    approval, the monthly cost from the month the changes take effect (two queries)."""
    month = ladder_rules.effective_month_after(today or timezone.localdate())
    schedule = allowance_schedule()
    by_outcome = {outcome: sum(1 for p in proposals if p.outcome == outcome) for outcome in Proposal.Outcome.values}
    cost = sum(
        (schedule.allowance(p.to_level, month) - schedule.allowance(p.from_level, month) for p in proposals), Decimal("0.00")
    )
    return BatchSummary(
        action=action,
        proposals=list(proposals),
        promotions=by_outcome[Proposal.Outcome.PROMOTE],
        out_of_turn=by_outcome[Proposal.Outcome.OUT_OF_TURN],
        demotions=by_outcome[Proposal.Outcome.DEMOTE],
        effective_month=month,
        monthly_cost=cost,
        fingerprint=selection_fingerprint(proposals),
    )


# Explanation -------------------------------------------------------------------------------------

KIND_TITLES = {
    review_rules.BASIC: gettext_noop("Basic conditions"),
    review_rules.DISQUALIFIER: gettext_noop("Disqualifiers"),
    review_rules.BONUS: gettext_noop("Points and out-of-turn promotion"),
    review_rules.DEMOTION: gettext_noop("Demotion triggers"),
}


@dataclass(frozen=True)
class ExplainedCondition:
    label: str
    mark: str
    verdict: str
    passed: bool
    enabled: bool
    evidence: tuple


def explanation_view(explanation: dict) -> dict:
    """The frozen explanation as the proposal page shows it: the outcome line, then each group of
    conditions with its verdict and evidence, then the points items."""
    evaluation = review_rules.Evaluation.from_dict(explanation)
    groups = []
    for kind, title in KIND_TITLES.items():
        items = []
        for condition in evaluation.conditions:
            if condition.kind != kind:
                continue
            mark, verdict = review_rules.verdict(kind, condition.passed, condition.enabled)
            items.append(
                ExplainedCondition(condition.label, mark, verdict, condition.passed, condition.enabled, condition.evidence)
            )
        if items:
            groups.append((_(title), items))
    lines = evaluation.explain_lines()
    return {
        "lines": lines,
        "outcome_line": lines[0],
        "groups": groups,
        "points": evaluation.points,
        "points_used": evaluation.points_used,
        "dismissal_recommended": evaluation.dismissal_recommended,
    }


def get_proposal_attachment_for_user(*, user: User, pk: int) -> ProposalAttachment:
    """A round's document, through the proposal's scope: another township's is a 404."""
    qs = ProposalAttachment.objects.filter(step__proposal__in=proposals_for_user(user=user))
    return get_object_or_404(qs, pk=pk)


def proposal_steps(*, proposal: Proposal) -> list:
    """The proposal's 办理记录: every step in order, round by round, with the person's name (one query)."""
    return list(proposal.steps.select_related("by").prefetch_related("attachments").order_by("at", "id"))


def proposal_history(*, proposal: Proposal) -> list[AuditRecord]:
    """Who did what to the proposal, and when (its audit records, oldest first; one query)."""
    return list(AuditRecord.objects.filter(object_type=Proposal._meta.label, object_id=str(proposal.pk)).order_by("at", "id"))


# Cadre file panel ----------------------------------------------------------------------------------


def cadre_review_panel(cadre: Cadre, user: User) -> dict:
    """The cadre's proposals and decisions, newest year first (one query), and whether the user may open
    a proposal's page (``can_read_proposals``): finance and the supervisor read the years as plain text."""
    proposals = list(
        Proposal.objects.filter(cadre=cadre)
        .select_related("submitted_by", "decided_by", "rank_change")
        .order_by("-year", "-id")[:10]
    )
    return {"proposals": proposals, "can_read_proposals": can_read_proposals(user)}
