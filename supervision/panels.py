from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from cadre_mgmt import registry

from .models import Petition
from .selectors import cadre_supervision_summary, can_read_supervision


def _figures(user):
    """The number of petitions about the cadre, counted in the query that loads the cadre."""
    if not can_read_supervision(user):
        return {}
    petitions = Petition.objects.filter(cadre_id=OuterRef("pk")).order_by().values("cadre_id").annotate(n=Count("pk")).values("n")
    return {"supervision_petition_count": Subquery(petitions)}


@registry.with_cadre_figures(_figures)
def supervision_panel_context(cadre, user):
    """Context of the cadre file's supervision section: empty (nothing shown) for users who may not read it."""
    # Counted with the cadre on the cadre file; counted by the summary when the cadre came some other way.
    counted = (cadre.supervision_petition_count or 0) if hasattr(cadre, "supervision_petition_count") else None
    return {"supervision": cadre_supervision_summary(cadre=cadre, user=user, on=timezone.localdate(), petition_count=counted)}
