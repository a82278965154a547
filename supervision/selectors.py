"""Reads of supervision data that other areas rely on (assessments, the promotion review)."""

from .models import VetoEvent


def cadre_ids_with_veto(*, year, cadre_ids=None) -> set[int]:
    """Ids of cadres with a (not revoked) one-vote veto charged to ``year``; one query."""
    vetoes = VetoEvent.objects.filter(year=year, revoked_at__isnull=True)
    if cadre_ids is not None:
        vetoes = vetoes.filter(cadre_id__in=list(cadre_ids))
    return set(vetoes.values_list("cadre_id", flat=True).distinct())
