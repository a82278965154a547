"""The database refuses to edit the rank history and locked rosters (ranks migration 0010, PostgreSQL).

The services never do these writes; these tests prove that nothing else (a shell, a raw ORM call,
a future bug) can either, while the app's own writes to draft rosters still pass.
"""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from ranks.ladder import services as ladder_services
from ranks.models import RankChange, RosterLine
from ranks.rosters import services as roster_services

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only triggers exist on PostgreSQL only"),
]

JAN, FEB = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)


def refused():
    """The database error of a refused write, inside a savepoint so the test can go on."""
    return pytest.raises(IntegrityError, match="cannot be changed or deleted")


@pytest.fixture
def change(grade, cadre_x):
    return grade(cadre_x, 12)


@pytest.fixture
def locked_line(change, county_approver):
    roster = roster_services.roster_generate(month=JAN, user=county_approver)
    roster_services.roster_lock(roster=roster, user=county_approver)
    return RosterLine.objects.get(roster=roster)


def test_a_rank_change_cannot_be_updated(change):
    with refused(), transaction.atomic():
        RankChange.objects.filter(pk=change.pk).update(to_level=1)
    change.refresh_from_db()
    assert change.to_level == 12


def test_a_rank_change_cannot_be_saved_again(change):
    change.reason = "forged"
    with refused(), transaction.atomic():
        change.save()
    assert RankChange.objects.get(pk=change.pk).reason == "初始定级"


def test_a_rank_change_cannot_be_deleted(change):
    with refused(), transaction.atomic():
        RankChange.objects.filter(pk=change.pk).delete()
    with refused(), transaction.atomic():
        change.delete()
    assert RankChange.objects.filter(pk=change.pk).exists()


def test_new_rank_changes_are_still_recorded(change, cadre_x, county_approver):
    ladder_services.rank_change_record(
        cadre=cadre_x,
        kind=RankChange.Kind.CORRECTION,
        to_level=11,
        approved_by=county_approver,
        approved_at=change.approved_at,
        reason="更正",
    )
    assert RankChange.objects.filter(cadre=cadre_x).count() == 2


def test_a_locked_roster_line_cannot_be_updated(locked_line):
    with refused(), transaction.atomic():
        RosterLine.objects.filter(pk=locked_line.pk).update(amount=9999)
    amount = locked_line.amount
    locked_line.amount = 9999
    with refused(), transaction.atomic():
        locked_line.save()
    assert RosterLine.objects.get(pk=locked_line.pk).amount == amount


def test_a_locked_roster_line_cannot_be_deleted(locked_line):
    with refused(), transaction.atomic():
        RosterLine.objects.filter(pk=locked_line.pk).delete()
    with refused(), transaction.atomic():
        locked_line.delete()
    with refused(), transaction.atomic():
        locked_line.roster.delete()  # the cascade reaches the lines
    assert RosterLine.objects.filter(pk=locked_line.pk).exists()


def test_a_draft_line_cannot_be_moved_into_a_locked_roster(locked_line, county_approver):
    draft = roster_services.roster_generate(month=FEB, user=county_approver)
    line = RosterLine.objects.get(roster=draft)
    with refused(), transaction.atomic():
        RosterLine.objects.filter(pk=line.pk).update(roster=locked_line.roster)


def test_draft_roster_lines_stay_free(change, county_approver):
    roster = roster_services.roster_generate(month=JAN, user=county_approver)
    roster_services.roster_generate(month=JAN, user=county_approver)  # regenerating deletes and rewrites the lines
    RosterLine.objects.filter(roster=roster).update(remarks="draft note")
    RosterLine.objects.filter(roster=roster).delete()
    assert not RosterLine.objects.filter(roster=roster).exists()
