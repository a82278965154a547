"""The cadre's own file (DESIGN §12): reads from every app below, about this one cadre only.

Never a petition about them, its reporter or an investigation: nothing here reads the supervision app but
the sanctions (a recorded decision the cadre may appeal). No comparison with colleagues (DESIGN §9).
"""

import copy
import datetime
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import AnnualReview, LedgerEntry, TownshipYear
from cadre_mgmt.cadres.models import Cadre
from incentives.models import Commendation, TrainingRecord

from ..ladder import selectors as ladder_selectors
from ..models import Proposal, Roster, RosterLine
from ..review.selectors import explanation_view

ALLOWANCE_MONTHS = 24
# Conditions whose evidence would name an open investigation: the cadre reads the verdict, not the case.
WITHHELD_EVIDENCE = {"basic_integrity", "dq_investigation"}


def own_cadre(user: Any) -> Cadre:
    """The cadre of a cadre account (404 for anyone else: these pages are a cadre's own)."""
    if not (user.is_authenticated and user.is_active and user.is_cadre and user.cadre_id):
        raise Http404
    return Cadre.objects.select_related("township", "village").prefetch_related("posts").get(pk=user.cadre_id)


def months_back(today: datetime.date, months: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 - (months - 1)
    return datetime.date(index // 12, index % 12 + 1, 1)


def allowance_lines(*, cadre: Cadre, today: datetime.date | None = None) -> list[RosterLine]:
    """The last 24 months of the cadre's lines on locked rosters (what was paid), 补发/扣回 lines included."""
    since = months_back(today or timezone.localdate(), ALLOWANCE_MONTHS)
    return list(
        RosterLine.objects.filter(cadre=cadre, roster__status=Roster.Status.LOCKED, roster__month__gte=since)
        .select_related("roster")
        .order_by("-roster__month", "position")
    )


def own_grades(*, cadre: Cadre) -> list[AnnualReview]:
    """Grades of the years the county confirmed, with the score breakdown."""
    return list(
        AnnualReview.objects.filter(cadre=cadre, township_year__status=TownshipYear.Status.CONFIRMED)
        .select_related("township_year")
        .order_by("-year")
    )


def own_level(*, cadre: Cadre) -> dict:
    """The cadre's level now, an approved change not yet in force and the history they come from (1 query)."""
    history = ladder_selectors.cadre_rank_history(cadre=cadre)
    today = timezone.localdate()
    return {
        "state": ladder_selectors.rank_state_from_history(history, day=today),
        # An approved change that takes effect next month (DESIGN §3): the newest record not yet in force.
        "upcoming": next((change for change in history if change.effective_month > today), None),
        "history": history,
    }


def own_proposals(*, cadre: Cadre) -> list[Proposal]:
    return list(Proposal.objects.filter(cadre=cadre).order_by("-year", "-id"))


def own_file(*, cadre: Cadre) -> dict:
    """Everything of the cadre's own file page (one query per section)."""
    return {
        "cadre": cadre,
        **own_level(cadre=cadre),
        "allowances": allowance_lines(cadre=cadre),
        "grades": own_grades(cadre=cadre),
        "ledger": list(LedgerEntry.objects.filter(cadre=cadre).select_related("category").order_by("-date", "-id")[:100]),
        "proposals": own_proposals(cadre=cadre),
        "commendations": list(Commendation.objects.filter(cadre=cadre).order_by("-awarded_on")),
        "trainings": list(TrainingRecord.objects.filter(cadre=cadre).order_by("-trained_on")),
    }


def own_proposal(*, cadre: Cadre, pk: int) -> Proposal:
    try:
        return Proposal.objects.get(cadre=cadre, pk=pk)
    except Proposal.DoesNotExist as exc:
        raise Http404 from exc


def cadre_explanation(explanation: dict) -> dict:
    """The proposal's explanation as the county reads it, except the evidence naming an open case."""
    data = copy.deepcopy(explanation)
    for condition in data.get("conditions", []):
        if condition.get("code") in WITHHELD_EVIDENCE and not condition.get("passed", True):
            condition["evidence"] = [_("Details are held by the county organization department.")]
            condition.get("params", {}).pop("investigation_ids", None)
    return explanation_view(data)
