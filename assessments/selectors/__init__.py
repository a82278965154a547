"""Reads of assessment data. Every township-scoped queryset goes through ``scope_for_user``.

By topic: ``policy`` (the county's settings and a township year's weights), ``access`` (who may read
and write what, handed to the pages), ``ledger`` (entries, locks and the ledger sum), ``quarters``
(task areas, scores, the quarter score), ``years`` (the road from ledger, quarters and review to the
annual score and grade) and ``panel`` (the overview and the cadre file). Each rule is computed in one
function that every page, export, API and job calls.

The contract functions used by the promotion review are ``annual_results``, ``confirmed_results`` and
``attendance_facts``; they take many cadres at once and run a fixed number of queries whatever their number.
"""

from .access import (
    can_confirm_year,
    can_read_assessments,
    can_return_year,
    can_write_ledger,
    can_write_quarter,
    can_write_year,
)
from .ledger import (
    CADRE_SEARCH_LIMIT,
    LEDGER_PAGE_SIZE,
    AttendanceFacts,
    active_categories,
    attendance_facts,
    cadre_choices,
    closed_quarters,
    date_is_locked,
    ledger_changes,
    ledger_entries_for_user,
    ledger_filtered,
    ledger_page,
    ledger_sums,
    score_change_totals,
)
from .panel import QuarterStatus, cadre_panel, overview
from .policy import (
    assessed_cadres,
    bands_of,
    current_policy,
    default_year_values,
    shares_of,
    township_year_or_default,
    weights_of,
)
from .quarters import (
    QuarterRow,
    proposed_areas,
    quarter_grid,
    quarter_or_none,
    quarter_score_if_complete,
    quarter_scores_by_cadre,
)
from .years import AnnualResult, YearRow, annual_breakdown_of, annual_result, annual_results, confirmed_results, year_sheet

__all__ = [
    "CADRE_SEARCH_LIMIT",
    "LEDGER_PAGE_SIZE",
    "AnnualResult",
    "AttendanceFacts",
    "QuarterRow",
    "QuarterStatus",
    "YearRow",
    "active_categories",
    "annual_breakdown_of",
    "annual_result",
    "annual_results",
    "assessed_cadres",
    "attendance_facts",
    "bands_of",
    "cadre_choices",
    "cadre_panel",
    "can_confirm_year",
    "can_read_assessments",
    "can_return_year",
    "can_write_ledger",
    "can_write_quarter",
    "can_write_year",
    "closed_quarters",
    "confirmed_results",
    "current_policy",
    "date_is_locked",
    "default_year_values",
    "ledger_changes",
    "ledger_entries_for_user",
    "ledger_filtered",
    "ledger_page",
    "ledger_sums",
    "overview",
    "proposed_areas",
    "quarter_grid",
    "quarter_or_none",
    "quarter_score_if_complete",
    "quarter_scores_by_cadre",
    "score_change_totals",
    "shares_of",
    "township_year_or_default",
    "weights_of",
    "year_sheet",
]
