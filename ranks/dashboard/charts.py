"""Dashboard charts: the figures as plain data for static/js/dashboard.js (json_script); money as strings."""

from decimal import Decimal

from django.utils.translation import gettext as _

from assessments.models import AnnualReview
from assessments.rules import GRADES

from ..ladder import rules
from ..models import Roster
from .allowance import ROSTER_MONTHS
from .board import Dashboard


def _money(value) -> str:
    return str(Decimal(value).quantize(rules.CENT))


def level_label(level) -> str:
    return _("No level yet") if level is None else _("Level %(level)s") % {"level": level}


def chart_data(board: Dashboard) -> dict:
    """Plain data for static/js/dashboard.js (json_script); money as strings, never floats."""
    levels = board.levels
    # Lowest level on the left, so the bars read as the ladder being climbed.
    shown = levels.shown_rows
    ladder = [row for row in shown if row.level is None] + sorted(
        (row for row in shown if row.level is not None), key=lambda row: -row.level
    )
    data = {
        "levels": {
            "categories": [level_label(row.level) for row in ladder],
            "series": [
                {"name": township.name, "data": [row.counts[index] for row in ladder]}
                for index, township in enumerate(levels.townships)
            ],
            "axis": _("Cadres"),
        }
    }
    allowance = board.allowance
    budget = allowance.budget
    by_month = {m.month: m for m in allowance.rosters}
    this_month = rules.first_of_month(board.today)
    past = [rules.add_months(this_month, offset) for offset in range(1 - ROSTER_MONTHS, 1)]
    ahead = [month for month, _total in budget.projection]
    months = past + ahead

    def roster_value(month, status):
        found = by_month.get(month)
        return _money(found.total) if found is not None and found.status == status else None

    projection = dict(budget.projection)
    data["allowance"] = {
        "categories": [f"{month:%Y-%m}" for month in months],
        "series": [
            {"name": _("Locked roster"), "kind": "locked", "data": [roster_value(m, Roster.Status.LOCKED) for m in months]},
            {"name": _("Draft roster"), "kind": "draft", "data": [roster_value(m, Roster.Status.DRAFT) for m in months]},
            {
                "name": _("Projection at current levels"),
                "kind": "projection",
                "data": [_money(projection[m]) if m in projection else None for m in months],
            },
            {
                "name": _("Next month if all pending changes are approved"),
                "kind": "if_approved",
                "data": [_money(budget.next_month_total_if_approved) if m == budget.next_month else None for m in months],
            },
        ],
        "axis": _("Yuan"),
    }
    if board.assessment_figures:
        data["outcomes"] = {
            "categories": [str(row.year) for row in board.outcomes],
            "series": [
                {"name": _("Initially graded"), "kind": "initial", "data": [row.initially_graded for row in board.outcomes]},
                {"name": _("Graded"), "kind": "graded", "data": [row.graded for row in board.outcomes]},
                {"name": _("Promoted"), "kind": "promoted", "data": [row.promoted for row in board.outcomes]},
                {"name": _("Held"), "kind": "held", "data": [row.held for row in board.outcomes]},
                {"name": _("Demoted"), "kind": "demoted", "data": [row.demoted for row in board.outcomes]},
                {"name": _("Awaiting decision"), "kind": "awaiting", "data": [row.awaiting for row in board.outcomes]},
                {
                    "name": _("Changes outside the review"),
                    "kind": "outside",
                    "data": [row.promoted_outside + row.demoted_outside for row in board.outcomes],
                },
            ],
            "axis": _("Cadres"),
        }
        data["grades"] = {
            "categories": [row.township.name for row in board.grades],
            "series": [
                *(
                    {"name": AnnualReview.Grade(grade).label, "kind": grade, "data": [r.counts[grade] for r in board.grades]}
                    for grade in GRADES
                ),
                {"name": _("Not yet graded"), "kind": "ungraded", "data": [row.ungraded for row in board.grades]},
            ],
            "cap": {"name": _("Excellent places"), "data": [row.places for row in board.grades]},
            "axis": _("Cadres"),
        }
    return data
