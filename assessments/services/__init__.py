"""Writes of the ledger, quarters and years. Each runs in one transaction and writes its audit record.

By topic: ``ledger`` (entries), ``quarters`` (task areas, scores, closing) and ``years`` (weights,
review scores, finalizing, the county's confirmation). Locks: a ledger entry dated in a closed quarter,
a closed quarter's areas and scores, and a finalized year's settings and review scores are refused here
(not only hidden in the pages).
"""

from .ledger import LEDGER_FIELDS, ledger_entry_create, ledger_entry_delete, ledger_entry_update
from .quarters import quarter_areas_save, quarter_close, quarter_open, quarter_scores_save
from .years import (
    FINAL_FIELDS,
    REVIEW_FIELDS,
    YEAR_FIELDS,
    FinalizePreview,
    annual_confirm,
    annual_finalize,
    annual_finalize_preview,
    annual_return,
    annual_reviews_save,
    township_year_settings_save,
)

__all__ = [
    "FINAL_FIELDS",
    "LEDGER_FIELDS",
    "REVIEW_FIELDS",
    "YEAR_FIELDS",
    "FinalizePreview",
    "annual_confirm",
    "annual_finalize",
    "annual_finalize_preview",
    "annual_return",
    "annual_reviews_save",
    "ledger_entry_create",
    "ledger_entry_delete",
    "ledger_entry_update",
    "quarter_areas_save",
    "quarter_close",
    "quarter_open",
    "quarter_scores_save",
    "township_year_settings_save",
]
