"""The COPY / batched-INSERT helper the roster and the promotion review write with."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from cadre_mgmt.bulkinsert import insert_rows
from cadre_mgmt.cadres.models import Township, Village
from ranks.models import PromotionReview, Proposal

from .factories import CadreFactory

pytestmark = pytest.mark.django_db


def test_omitted_columns_take_their_defaults_and_text_survives_as_typed():
    names = ['甲镇, "东片"', "乙镇\n新区\r", "丙\t镇\\N\\", "\\N", ""]
    assert insert_rows(Township, ("name",), [(name,) for name in names]) == 5
    assert sorted(Township.objects.values_list("name", "sort_order")) == sorted((name, 0) for name in names)
    township = Township.objects.get(name=names[0])
    insert_rows(Village, ("township_id", "name"), [(township.pk, "河湾村")])
    assert Village.objects.get().kind == Village.Kind.VILLAGE


def test_json_text_dates_decimals_and_nulls_are_stored_as_values(county_admin):
    cadre = CadreFactory()
    review = PromotionReview.objects.create(
        year=2025, trigger=PromotionReview.Trigger.COMMAND, review_date=datetime.date(2025, 12, 31), parameters={}
    )
    row = (review.pk, 2025, cadre.pk, cadre.township_id, "promote", 12, 11, Decimal("4.50"), False)
    row += (
        datetime.date(2025, 12, 31),
        '{"a":"引号\\"与,逗号","b":[1,null]}',
        "d" * 32,
        "pending",
        datetime.datetime.now(datetime.UTC),
    )
    columns = ("review_id", "year", "cadre_id", "township_id", "outcome", "from_level", "to_level", "points_used")
    columns += ("dismissal_recommended", "review_date", "explanation", "digest", "status", "evaluated_at")
    insert_rows(Proposal, columns, [row])
    proposal = Proposal.objects.get()
    assert proposal.explanation == {"a": '引号"与,逗号', "b": [1, None]}
    assert proposal.points_used == Decimal("4.50") and proposal.review_date == datetime.date(2025, 12, 31)
    assert (proposal.township_remarks, proposal.reject_reason, proposal.submitted_by_id, proposal.rank_change_id) == (
        "",
        "",
        None,
        None,
    )
    assert proposal.created_at is not None


def test_the_database_still_checks_constraints_and_nothing_is_half_written():
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Township, ("name",), [("丙镇",), ("丙镇",)])
    assert not Township.objects.exists()


def test_an_unknown_column_is_refused_before_writing():
    with pytest.raises(ValueError, match="no columns"):
        insert_rows(Township, ("name", "mayor"), [("丁镇", "x")])
    assert not Township.objects.exists()


def test_rows_may_come_from_a_generator_read_while_they_are_written():
    produced = []

    def rows():
        for index in range(3):
            produced.append(index)
            yield (f"{index}号镇",)

    assert insert_rows(Township, ("name",), rows()) == 3
    assert produced == [0, 1, 2] and Township.objects.count() == 3
    assert insert_rows(Township, ("name",), iter(())) == 0
