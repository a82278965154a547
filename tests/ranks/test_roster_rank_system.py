"""Posts in the rank system (DESIGN §2): only a cadre holding such a post is on the roster; every other cadre
in post is on the roster page's "not on the roster, because …" list; the setting changes from next month."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cadre_mgmt.audit.models import AuditRecord
from cadre_mgmt.cadres.models import Cadre, Post
from cadre_mgmt.cadres.selectors import cadres_in_post_during, cadres_in_rank_system
from ranks.ladder import panels
from ranks.ladder import services as ladder_services
from ranks.rosters import selectors as roster_selectors
from ranks.rosters import services as rosters_services

from ..factories import CadreFactory

pytestmark = pytest.mark.django_db

MAR, APR = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)


def _posts(*codes):
    return [Post.objects.get(code=code) for code in codes]


def _paid(month, approver):
    return set(rosters_services.roster_generate(month=month, user=approver).lines.values_list("cadre_id", flat=True))


def test_default_posts_in_the_rank_system():
    inside = set(Post.objects.filter(in_rank_system=True).values_list("code", flat=True))
    assert inside == {"party_secretary", "director", "deputy_secretary", "member", "accountant"}
    assert set(Post.objects.filter(in_rank_system=False).values_list("code", flat=True)) == {"clerk", "women_chair"}


def test_a_clerk_is_not_on_the_roster_but_on_its_list_with_the_reason(village_x, county_approver):
    clerk = CadreFactory(village=village_x, name="钱立新", posts=_posts("clerk"))
    both = CadreFactory(village=village_x, name="孙文军", posts=_posts("clerk", "accountant"))
    roster = rosters_services.roster_generate(month=MAR, user=county_approver)
    on_roster = set(roster.lines.values_list("cadre_id", flat=True))
    assert both.pk in on_roster and clerk.pk not in on_roster
    missing = roster_selectors.not_on_roster(roster=roster, user=county_approver)
    assert [(item.cadre.pk, item.reason) for item in missing] == [(clerk.pk, "仅任文书（不在职级体系内的职务）。")]


def test_every_cadre_in_post_is_on_the_roster_or_on_its_list(village_x, village_y, county_approver):
    for codes in (["clerk"], ["women_chair"], ["member"], ["clerk", "member"], ["party_secretary", "director"], []):
        CadreFactory(village=village_x, posts=_posts(*codes))
        CadreFactory(village=village_y, posts=_posts(*codes))
    CadreFactory(village=village_x, status="left", left_on=datetime.date(2026, 1, 5))
    roster = rosters_services.roster_generate(month=MAR, user=county_approver)
    on_roster = set(roster.lines.values_list("cadre_id", flat=True))
    listed = {item.cadre.pk for item in roster_selectors.not_on_roster(roster=roster, user=county_approver)}
    in_post = set(cadres_in_post_during(month=MAR).values_list("pk", flat=True))
    assert on_roster | listed == in_post and not on_roster & listed
    assert len(listed) == 6  # clerk, women's chair and no post, in each township


def test_roster_page_lists_the_cadres_not_on_it(client_for, village_x, officer_x, village_y, county_approver):
    CadreFactory(village=village_x, name="钱立新", posts=_posts("clerk"))
    CadreFactory(village=village_y, name="赵小平", posts=_posts("clerk"))
    rosters_services.roster_generate(month=MAR, user=county_approver)
    page = client_for(officer_x).get(reverse("ranks:roster") + "?month=2026-03").content.decode()
    assert "未列入花名册的在职干部及原因" in page
    assert "钱立新" in page and "仅任文书（不在职级体系内的职务）" in page
    assert "赵小平" not in page  # another township's cadre


def test_cadre_file_says_why_instead_of_not_on_any_roster(client_for, village_x, county_admin):
    clerk = CadreFactory(village=village_x, posts=_posts("clerk"))
    panel = panels.cadre_rank_panel(clerk, county_admin)
    assert panel["outside_rank_system"] == "仅任文书（不在职级体系内的职务）。"
    page = client_for(county_admin).get(reverse("cadres:detail", args=[clerk.pk])).content.decode()
    assert "尚未列入花名册。" not in page
    assert "未列入花名册：仅任文书（不在职级体系内的职务）。" in page


def test_taking_a_post_out_applies_from_next_month_and_is_audited(village_x, county_admin, county_approver):
    secretary = CadreFactory(village=village_x, posts=_posts("party_secretary"))
    post = Post.objects.get(code="party_secretary")
    changes = ladder_services.post_rank_system_set(
        user=county_admin, post=post, in_rank_system=False, today=datetime.date(2026, 3, 15)
    )
    assert changes
    post.refresh_from_db()
    assert post.in_rank_system_on(MAR) and not post.in_rank_system_on(APR)
    assert cadres_in_rank_system(Cadre.objects.filter(pk=secretary.pk), month=MAR).exists()
    assert not cadres_in_rank_system(Cadre.objects.filter(pk=secretary.pk), month=APR).exists()
    assert secretary.pk in set(
        rosters_services.roster_generate(month=MAR, user=county_approver).lines.values_list("cadre_id", flat=True)
    )
    assert secretary.pk not in set(
        rosters_services.roster_generate(month=APR, user=county_approver).lines.values_list("cadre_id", flat=True)
    )
    assert AuditRecord.objects.filter(object_type="cadres.Post", object_id=str(post.pk), actor=county_admin).exists()
    # Put back in the same month: nothing changes for either month.
    ladder_services.post_rank_system_set(user=county_admin, post=post, in_rank_system=True, today=datetime.date(2026, 3, 20))
    post.refresh_from_db()
    assert post.in_rank_system_on(MAR) and post.in_rank_system_on(APR)


def test_only_the_county_administrator_changes_the_setting(client_for, county_approver, officer_x):
    post = Post.objects.get(code="clerk")
    with pytest.raises(PermissionDenied):
        ladder_services.post_rank_system_set(user=county_approver, post=post, in_rank_system=True)
    for user in (county_approver, officer_x):
        response = client_for(user).post(reverse("ranks:settings_posts"), {"posts": [post.pk]})
        assert response.status_code == 403
    post.refresh_from_db()
    assert not post.in_rank_system_on(datetime.date(2099, 1, 1))


def test_settings_page_saves_the_ticked_posts(client_for, county_admin):
    clerk = Post.objects.get(code="clerk")
    ticked = [*Post.objects.filter(in_rank_system=True).values_list("pk", flat=True), clerk.pk]
    response = client_for(county_admin).post(reverse("ranks:settings_posts"), {"posts": ticked})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.in_rank_system and clerk.in_rank_system_from is not None and not clerk.was_in_rank_system
    page = client_for(county_admin).get(reverse("ranks:settings")).content.decode()
    assert "职级体系内的职务" in page or "纳入职级体系的职务" in page
