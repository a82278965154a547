"""Pages of the ledger, quarters, years and the overview. Thin: access helper → form → one service call → redirect.

Township staff work in their own township; county users read every township (``?township=<id>``) and
the county administrator may also write. Another township's ids are a 404. By topic: ``ledger``,
``quarters`` and ``years`` (with the overview); ``common`` holds what they share.
"""

from ..selectors import can_read_assessments
from .ledger import (
    ledger,
    ledger_attachment,
    ledger_cadres,
    ledger_entry_delete,
    ledger_entry_edit,
    ledger_export,
    ledger_workspace,
)
from .quarters import quarter_areas, quarter_close, quarter_detail, quarter_import, quarter_open, quarter_template
from .years import overview, year_confirm, year_detail, year_export, year_finalize, year_return, year_settings

__all__ = [
    "can_read_assessments",
    "ledger",
    "ledger_attachment",
    "ledger_cadres",
    "ledger_entry_delete",
    "ledger_entry_edit",
    "ledger_export",
    "ledger_workspace",
    "overview",
    "quarter_areas",
    "quarter_close",
    "quarter_detail",
    "quarter_import",
    "quarter_open",
    "quarter_template",
    "year_confirm",
    "year_detail",
    "year_export",
    "year_finalize",
    "year_return",
    "year_settings",
]
