"""ids_in: the id-list filter the promotion review reads its facts with."""

import pytest

from cadre_mgmt.cadres.models import Cadre
from cadre_mgmt.lookups import ids_in
from ranks.models import RankChange

from .factories import CadreFactory

pytestmark = pytest.mark.django_db


def test_ids_in_selects_the_same_rows_as_in_on_keys_and_foreign_keys(django_assert_num_queries):
    cadres = [CadreFactory() for _ in range(4)]
    wanted = [cadres[0].pk, cadres[2].pk, cadres[2].pk, 999_999]
    assert set(Cadre.objects.filter(ids_in("id", wanted))) == set(Cadre.objects.filter(pk__in=wanted)) == {cadres[0], cadres[2]}
    assert set(Cadre.objects.filter(ids_in("village_id", [cadres[1].village_id]))) == {cadres[1]}
    assert list(RankChange.objects.filter(ids_in("cadre_id", wanted))) == list(RankChange.objects.filter(cadre_id__in=wanted))


def test_an_empty_list_matches_nothing_without_a_query(django_assert_num_queries):
    CadreFactory()
    with django_assert_num_queries(0):
        assert list(Cadre.objects.filter(ids_in("id", []))) == []


def test_only_integers_are_taken():
    with pytest.raises((ValueError, TypeError)):
        list(Cadre.objects.filter(ids_in("id", ["1; DROP TABLE cadres_cadre"])))


def test_posted_ids_keep_only_ids_a_bigint_can_hold():
    from cadre_mgmt.lookups import posted_ids

    assert posted_ids(["1", "42", str(2**63 - 1)]) == [1, 42, 2**63 - 1]
    assert posted_ids([str(2**63), "0", "-1", "١٢", "x", "", "3"]) == [3]
