"""Evidence shown beside the scores, computing no score (DESIGN §13): the Party-branch attendance on the
year-end page (next to political performance) and the revitalization projects on the quarter page."""

from incentives.branches.rules import Attendance
from incentives.branches.selectors import attendance_for, projects_by_cadre

from . import rules


def year_attendance(rows, year: int) -> dict[int, Attendance]:
    """Each row's cadre's attendance of its village branch in ``year``: two queries."""
    return attendance_for(cadres=[row.cadre for row in rows], year=year)


def quarter_projects(rows, year: int, quarter: int) -> dict:
    """The projects each row's cadre is responsible for during the quarter: one query."""
    first, last = rules.quarter_bounds(year, quarter)
    return projects_by_cadre(cadre_ids=[row.cadre.pk for row in rows], first=first, last=last)
