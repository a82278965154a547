"""The dashboard: the first page after signing in. Every signed-in user has one, on their own scope."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .board import dashboard_for
from .charts import chart_data


def _grade_year(request):
    """?year=YYYY for the grade chart; anything else is ignored (the latest graded year is shown)."""
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


@login_required
def dashboard(request):
    board = dashboard_for(user=request.user, grade_year=_grade_year(request))
    return render(request, "ranks/dashboard.html", {"board": board, "charts": chart_data(board)})
