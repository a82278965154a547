"""The pool overview's chart figures and its Excel export (columns defined once, from the overview's)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadre_mgmt.listexport import Column, ListExport

from .selectors import PoolOverview


def chart_data(overview: PoolOverview) -> dict:
    """Open reserves (registered, in cultivation) per township (the county's view) or per village, and the
    minimum per village (villages) or the number of villages below it (townships)."""
    by_township = overview.townships is not None
    groups: dict[str, list[int]] = {}
    for row in overview.townships or []:
        groups[row.township.name] = [row.cells[0], row.cells[1], row.below]  # statuses come first
    for row in overview.villages:
        groups[row.village.name] = [row.cells[0], row.cells[1], 1 if row.below else 0]
    return {
        "categories": list(groups),
        "series": [
            {"name": _("Registered"), "data": [values[0] for values in groups.values()]},
            {"name": _("In cultivation"), "data": [values[1] for values in groups.values()]},
        ],
        "below": [values[2] for values in groups.values()],
        "below_name": _("Villages below the minimum"),
        "minimum": None if by_township else overview.minimum,
        "minimum_name": _("Minimum per village"),
        "axis": _("persons"),
        "villages_axis": _("number of villages"),
    }


def _cell(index):
    return lambda row: row.cells[index]


def overview_export(overview: PoolOverview) -> ListExport:
    columns = (
        Column(gettext_lazy("township"), lambda row: row.village.township.name, 10),
        Column(gettext_lazy("village"), lambda row: row.village.name, 12),
        Column(gettext_lazy("open reserves"), lambda row: row.open, 10),
        Column(gettext_lazy("below the minimum"), lambda row: _("yes") if row.below else "", 10),
        *(Column(label, _cell(index), 10) for index, (_group, _key, label) in enumerate(overview.columns)),
    )
    return ListExport(
        name="reserve-pool",
        sheet=gettext_lazy("Reserve pool"),
        object_type="incentives.Reserve",
        summary=gettext_lazy("Exported the reserve pool overview: %(count)s villages"),
        columns=columns,
    )
