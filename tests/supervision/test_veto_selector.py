import datetime

from django.utils import timezone

from supervision.models import VetoEvent
from supervision.selectors import cadre_ids_with_veto


def _veto(cadre, user, year, **extra):
    return VetoEvent.objects.create(
        cadre=cadre, year=year, occurred_on=datetime.date(year, 6, 1), reason="安全事故", recorded_by=user, **extra
    )


def test_cadre_with_veto_in_the_year_is_listed_and_others_are_not(cadre_x, cadre_y, supervisor):
    _veto(cadre_x, supervisor, 2025)
    _veto(cadre_y, supervisor, 2024)

    assert cadre_ids_with_veto(year=2025) == {cadre_x.id}
    assert cadre_ids_with_veto(year=2024) == {cadre_y.id}
    assert cadre_ids_with_veto(year=2026) == set()


def test_veto_selector_limits_to_the_given_cadres(cadre_x, cadre_y, supervisor):
    _veto(cadre_x, supervisor, 2025)
    _veto(cadre_y, supervisor, 2025)

    assert cadre_ids_with_veto(year=2025, cadre_ids=[cadre_y.id]) == {cadre_y.id}
    assert cadre_ids_with_veto(year=2025, cadre_ids=[]) == set()


def test_revoked_veto_no_longer_counts(cadre_x, supervisor):
    _veto(cadre_x, supervisor, 2025, revoked_at=timezone.now(), revoked_by=supervisor, revoke_reason="误录")

    assert cadre_ids_with_veto(year=2025) == set()


def test_veto_selector_runs_one_query(cadre_x, supervisor, django_assert_num_queries):
    _veto(cadre_x, supervisor, 2025)
    with django_assert_num_queries(1):
        cadre_ids_with_veto(year=2025, cadre_ids=range(1, 5000))
