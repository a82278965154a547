from django.utils import timezone

from .selectors import cadre_commendations, pay_components, training_totals


def pay_panel_context(cadre, user):
    """The cadre file's "待遇" section: this month's base and performance pay, training hours, honours. Three queries."""
    today = timezone.localdate()
    month = today.replace(day=1)
    return {
        "month": month,
        "pay": pay_components(cadre=cadre, month=month),
        "training_hours": training_totals(cadre_ids=[cadre.pk], year=today.year)[cadre.pk],
        "commendations": cadre_commendations(cadre=cadre, up_to=today),
    }
