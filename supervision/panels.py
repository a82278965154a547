from django.utils import timezone

from .selectors import cadre_supervision_summary


def supervision_panel_context(cadre, user):
    """Context of the cadre file's supervision section: empty (nothing shown) for users who may not read it."""
    return {"supervision": cadre_supervision_summary(cadre=cadre, user=user, on=timezone.localdate())}
