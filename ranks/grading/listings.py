"""The Excel export of the initial-grading list page (cadre_mgmt.listexport)."""

from operator import attrgetter

from django.utils.translation import gettext_lazy as _

from cadre_mgmt.listexport import Column, ListExport, cadre_columns

GRADINGS = ListExport(
    name="initial-gradings",
    sheet=_("Initial gradings"),
    object_type="ranks.InitialGrading",
    summary=_("Exported initial gradings: %(count)s"),
    columns=(
        *cadre_columns(),
        Column(_("full years served"), attrgetter("years_served"), 8),
        Column(_("computed level"), attrgetter("computed_level"), 8),
        Column(_("proposed level"), attrgetter("proposed_level"), 8),
        Column(_("reason"), attrgetter("reason"), 30),
        Column(_("status"), lambda g: g.get_status_display(), 10),
        Column(_("submitted by"), lambda g: str(g.submitted_by) if g.submitted_by else "", 10),
        Column(_("submitted at"), lambda g: f"{g.submitted_at:%Y-%m-%d %H:%M}", 16),
    ),
)
