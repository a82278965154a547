from django.utils import timezone

from .selectors import cadre_branch_records, can_read_branches


def branch_panel_context(cadre, user):
    """The cadre file's "党建与振兴" section: this year's branch attendance and the projects in charge."""
    if not can_read_branches(user):
        return {"branch_hidden": True}
    return cadre_branch_records(cadre=cadre, year=timezone.localdate().year)
