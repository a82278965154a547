"""Writes of the supervision area. Every function runs in one transaction and writes its audit record."""

from ..selectors import can_update_rectification
from ._common import PETITION_AUDITED
from .config import SETTINGS_FIELDS, supervision_settings_update
from .disclosure import DISCLOSURE_PERIODS_CHECKED, disclosure_record, disclosures_flag
from .dismissal import dismissal_record
from .education import warning_session_create
from .inspections import inspection_create, rectification_item_add, rectification_item_set_status
from .petitions import petition_create, petition_transition, petitions_flag_overdue
from .sanctions import investigation_close, investigation_open, sanction_record, veto_record, veto_revoke

__all__ = [
    "PETITION_AUDITED",
    "can_update_rectification",
    "petition_create",
    "petition_transition",
    "petitions_flag_overdue",
    "inspection_create",
    "rectification_item_add",
    "rectification_item_set_status",
    "disclosure_record",
    "DISCLOSURE_PERIODS_CHECKED",
    "disclosures_flag",
    "warning_session_create",
    "sanction_record",
    "investigation_open",
    "investigation_close",
    "veto_record",
    "veto_revoke",
    "dismissal_record",
    "SETTINGS_FIELDS",
    "supervision_settings_update",
]
