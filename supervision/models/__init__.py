"""Supervision (监督制约, DESIGN §7): petitions, inspections, affairs disclosure, warning education,
sanctions, investigations, one-vote vetoes and dismissals.

Sanctions, investigations and vetoes are the inputs of disqualifiers 2–4 and of the demotion
triggers; the promotion review reads them through ``supervision.selectors.review_facts``.
"""

from .config import SupervisionSettings
from .disclosure import AffairsDisclosure, DisclosureFlag
from .dismissal import Dismissal
from .education import WarningEducationSession
from .inspections import Inspection, RectificationItem
from .petitions import Petition, PetitionStep
from .sanctions import Investigation, Sanction, VetoEvent

__all__ = [
    "SupervisionSettings",
    "Petition",
    "PetitionStep",
    "Inspection",
    "RectificationItem",
    "AffairsDisclosure",
    "DisclosureFlag",
    "WarningEducationSession",
    "Sanction",
    "Investigation",
    "VetoEvent",
    "Dismissal",
]
