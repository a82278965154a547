"""Correction (DESIGN §3): a county approver reverses a wrong approved change with a new record naming it;
the roster settles the months already paid as a recovery/back-payment line in the next unlocked month."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cadre_mgmt.audit.models import AuditRecord
from ranks.ladder import services as ladder_services
from ranks.models import RankChange, RosterLine
from ranks.rosters import services as rosters_services

from ..conftest import at

pytestmark = pytest.mark.django_db

FEB, MAR, APR, MAY = (datetime.date(2026, m, 1) for m in (2, 3, 4, 5))


def _promote(cadre, approver, to_level, day):
    return ladder_services.rank_change_record(
        cadre=cadre, kind="promotion", to_level=to_level, approved_by=approver, approved_at=day, reason="晋升"
    )


def _lock(month, approver):
    return rosters_services.roster_lock(roster=rosters_services.roster_generate(month=month, user=approver), user=approver)


def test_reversing_a_promotion_paid_in_locked_months_recovers_exactly_what_was_overpaid(grade, cadre_x, county_approver):
    grade(cadre_x, 12, approved=at(2025, 12, 1))
    promotion = _promote(cadre_x, county_approver, 11, at(2026, 2, 10))  # paid from March
    for month in (MAR, APR):
        _lock(month, county_approver)
    paid = RosterLine.objects.filter(cadre=cadre_x, roster__month__in=[MAR, APR]).values_list("amount", flat=True)
    assert list(paid) == [Decimal("200.00"), Decimal("200.00")]

    correction = ladder_services.rank_change_reverse(change=promotion, approved_by=county_approver, reason="误录的晋升")
    assert correction.kind == RankChange.Kind.CORRECTION and correction.reverses_id == promotion.pk
    assert correction.effective_month == MAR and (correction.from_level, correction.to_level) == (11, 12)

    may = rosters_services.roster_generate(month=MAY, user=county_approver)
    lines = list(may.lines.filter(cadre=cadre_x).order_by("position"))
    regular = [line for line in lines if line.kind == RosterLine.Kind.REGULAR]
    recovery = [line for line in lines if line.kind == RosterLine.Kind.RECOVERY]
    assert regular[0].level == 12 and regular[0].amount == Decimal("100.00")
    assert len(recovery) == 1 and recovery[0].amount == Decimal("-200.00")
    assert recovery[0].months_detail == {"2026-03": "-100.00", "2026-04": "-100.00"}
    assert "扣回" in recovery[0].remarks and "更正" in recovery[0].remarks
    # Audited as a decision naming the reversed record.
    record = AuditRecord.objects.get(object_type="ranks.RankChange", object_id=str(correction.pk))
    assert record.action == AuditRecord.Action.DECIDE and record.changes["after"]["reverses"] == str(promotion.pk)


def test_a_change_is_reversed_once_and_a_correction_is_not_reversed(grade, cadre_x, county_approver):
    grade(cadre_x, 12, approved=at(2025, 12, 1))
    promotion = _promote(cadre_x, county_approver, 11, at(2026, 2, 10))
    correction = ladder_services.rank_change_reverse(change=promotion, approved_by=county_approver, reason="误录")
    with pytest.raises(ValidationError, match="已被更正"):
        ladder_services.rank_change_reverse(change=promotion, approved_by=county_approver, reason="再次")
    with pytest.raises(ValidationError, match="更正记录本身不能再更正"):
        ladder_services.rank_change_reverse(change=correction, approved_by=county_approver, reason="撤销更正")
    # The database keeps the rule too (rank_change_reversed_once).
    with pytest.raises(IntegrityError), transaction.atomic():
        RankChange.objects.create(
            cadre=cadre_x,
            kind="correction",
            from_level=12,
            to_level=11,
            approved_by=county_approver,
            approved_at=at(2026, 3, 1),
            effective_month=MAR,
            reason="x",
            reverses=promotion,
        )


def test_a_change_followed_by_a_later_one_is_not_reversed_first(grade, cadre_x, county_approver):
    first = grade(cadre_x, 12, approved=at(2025, 12, 1))
    _promote(cadre_x, county_approver, 11, at(2026, 2, 10))
    with pytest.raises(ValidationError, match="请先更正较晚的那条"):
        ladder_services.rank_change_reverse(change=first, approved_by=county_approver, reason="x")


def test_only_a_county_approver_reverses(grade, cadre_x, supervisor, finance, officer_x, county_approver, client_for):
    grade(cadre_x, 12, approved=at(2025, 12, 1))
    promotion = _promote(cadre_x, county_approver, 11, at(2026, 2, 10))
    for user in (supervisor, finance, officer_x):
        with pytest.raises(PermissionDenied):
            ladder_services.rank_change_reverse(change=promotion, approved_by=user, reason="x")
        client = client_for(user)
        url = reverse("ranks:rank_change_reverse", args=[promotion.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 403
    assert not RankChange.objects.filter(reverses=promotion).exists()


def test_the_confirmation_page_then_the_reversal(grade, cadre_x, county_approver, client_for):
    grade(cadre_x, 12, approved=at(2025, 12, 1))
    promotion = _promote(cadre_x, county_approver, 11, at(2026, 1, 10))  # paid from February
    _lock(FEB, county_approver)
    client = client_for(county_approver)
    file_page = client.get(reverse("cadres:detail", args=[cadre_x.pk])).content.decode()
    url = reverse("ranks:rank_change_reverse", args=[promotion.pk])
    assert url in file_page
    page = client.get(url).content.decode()
    assert "-100.00" in page and "扣回" in page
    # Without the reason and the tick: refused, nothing written.
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
    assert not RankChange.objects.filter(reverses=promotion).exists()
    response = client.post(url, {"reason": "复核撤销", "confirm": "on"})
    assert response.status_code == 302
    assert RankChange.objects.get(reverses=promotion).reason == "复核撤销"
    # A second attempt shows the refusal and no form.
    page = client.get(url).content.decode()
    assert "已被更正" in page and 'name="reason"' not in page
    response = client.post(url, {"reason": "再次", "confirm": "on"})
    assert "已被更正" in response.content.decode()
    assert RankChange.objects.filter(reverses=promotion).count() == 1
