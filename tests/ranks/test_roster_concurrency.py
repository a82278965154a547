import datetime
import threading

import pytest
from django.db import connection

from ranks.models import Roster, RosterLine
from ranks.rosters import services as rosters_services

from ..factories import CadreFactory


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_generations_of_the_same_month_at_once_make_one_roster(village_x):
    for _ in range(20):
        CadreFactory(village=village_x)
    month = datetime.date(2026, 5, 1)
    barrier = threading.Barrier(2)
    errors = []

    def generate():
        try:
            barrier.wait()
            rosters_services.roster_generate(month=month)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=generate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Roster.objects.filter(month=month).count() == 1
    assert RosterLine.objects.filter(roster__month=month).count() == 20
