"""Daily ledger, quarterly performance and annual comprehensive assessment (DESIGN §4).

Figures are entered once and reused: ledger score changes feed the ledger component of the
year, quarter scores feed the quarter mean, and the annual score and grade are computed from
them (``rules.py``), never typed. A quarter closed by its township locks its scores and the
ledger entries dated in it; a finalized year locks its review scores and settings.
"""

from ..evaluation.models import Ballot, EvaluationCode, EvaluationRound, PaperTally, RoundCadre, SlipBatch
from .fields import PERCENT_VALIDATORS, SCORE_VALIDATORS, percent_field, score_field
from .ledger import LedgerCategory, LedgerEntry
from .policy import AssessmentPolicy, DefaultQuarterArea
from .quarters import QuarterArea, QuarterScore, TownshipQuarter
from .years import AnnualReview, TownshipYear

__all__ = [
    "PERCENT_VALIDATORS",
    "SCORE_VALIDATORS",
    "AnnualReview",
    "AssessmentPolicy",
    "Ballot",
    "EvaluationCode",
    "EvaluationRound",
    "PaperTally",
    "RoundCadre",
    "SlipBatch",
    "DefaultQuarterArea",
    "LedgerCategory",
    "LedgerEntry",
    "QuarterArea",
    "QuarterScore",
    "TownshipQuarter",
    "TownshipYear",
    "percent_field",
    "score_field",
]
