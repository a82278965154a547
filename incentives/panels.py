from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum
from django.utils import timezone

from cadre_mgmt import registry

from .models import TrainingRecord
from .selectors import cadre_commendations, pay_components, training_totals


def _figures(user):
    """This year's training hours of the cadre (as training_totals), summed in the query that loads the cadre."""
    hours = (
        TrainingRecord.objects.filter(cadre_id=OuterRef("pk"), trained_on__year=timezone.localdate().year)
        .order_by()
        .values("cadre_id")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return {"incentives_training_hours": Subquery(hours, output_field=DecimalField(max_digits=9, decimal_places=1))}


@registry.with_cadre_figures(_figures)
def pay_panel_context(cadre, user):
    """The cadre file's "待遇" section: this month's base and performance pay, training hours, honours.
    Two queries, and a third for the hours when they did not come with the cadre."""
    today = timezone.localdate()
    month = today.replace(day=1)
    if hasattr(cadre, "incentives_training_hours"):
        hours = cadre.incentives_training_hours or Decimal("0.0")
    else:
        hours = training_totals(cadre_ids=[cadre.pk], year=today.year)[cadre.pk]
    return {
        "month": month,
        "pay": pay_components(cadre=cadre, month=month),
        "training_hours": hours,
        "commendations": cadre_commendations(cadre=cadre, up_to=today),
    }
