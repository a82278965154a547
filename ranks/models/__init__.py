"""The ranks app's tables, one module per DESIGN section (app label ``ranks``, tables ``ranks_*``).

Everything here is written by the services of the section's package; the classes stay importable
from ``ranks.models``.
"""

from .appeals import Appeal, AppealAttachment, AppealSettings, Notice
from .grading import InitialGrading, InitialGradingRule
from .ladder import HIGHEST_LEVEL, LOWEST_LEVEL, AllowanceSchedule, LadderStep, RankChange, level_validators
from .review import PromotionReview, Proposal, ProposalAttachment, ReviewBatch, ReviewSettings
from .rosters import Roster, RosterExport, RosterLine

__all__ = [
    "HIGHEST_LEVEL",
    "LOWEST_LEVEL",
    "AllowanceSchedule",
    "Appeal",
    "AppealAttachment",
    "AppealSettings",
    "InitialGrading",
    "InitialGradingRule",
    "LadderStep",
    "Notice",
    "PromotionReview",
    "Proposal",
    "ProposalAttachment",
    "RankChange",
    "ReviewBatch",
    "ReviewSettings",
    "Roster",
    "RosterExport",
    "RosterLine",
    "level_validators",
]
