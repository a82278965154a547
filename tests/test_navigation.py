"""The header's navigation per role: grouped into dropdowns, no empty or one-entry group, and only links
the role may follow (each answers 200 for that role)."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse

from cadre_mgmt.accounts.context_processors import navigation

ROLES = ["county_admin", "county_approver", "officer_x", "officer_y", "supervisor", "finance"]


def header(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return navigation(request)


def shape(entries):
    """[label] for a link, (group, [labels]) for a dropdown — in the order the header shows them."""
    return [
        (str(entry["group"]), [str(link["label"]) for link in entry["links"]]) if "links" in entry else str(entry["label"])
        for entry in entries
    ]


@pytest.fixture
def person(request):
    return request.getfixturevalue(request.param)


def test_the_county_administrators_header_is_grouped_in_chinese_terms(county_admin):
    assert shape(header(county_admin)["nav_entries"]) == [
        "工作台",
        "村干部",
        ("考核", ["台账", "考核", "村民测评"]),
        ("职级与补贴", ["补贴花名册", "初始定级", "职级阶梯设置"]),
        ("晋升评审", ["评审建议", "评审运行记录", "晋升规则", "申诉"]),
        "激励保障",
        ("人才与党建", ["后备干部", "后备干部库概况", "三会一课", "乡村振兴项目"]),
        "监督制约",
        ("系统", ["审计日志", "系统设置"]),
    ]


def test_a_township_officer_sees_no_county_only_entry(officer_x):
    labels = [str(item["label"]) for item in header(officer_x)["nav_items"]]
    assert "村干部" in labels
    assert not {"审计日志", "系统设置", "职级阶梯设置", "晋升规则"} & set(labels)


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_every_group_has_at_least_two_entries_and_every_entry_is_shown_once(person):
    context = header(person)
    entries = context["nav_entries"]
    assert entries, "every role has a navigation"
    shown = []
    for entry in entries:
        if "links" in entry:
            assert len(entry["links"]) >= 2, entry
            assert all(str(link["group"]) == str(entry["group"]) for link in entry["links"])
            shown += entry["links"]
        else:
            shown.append(entry)
    assert [link["url"] for link in shown] == [item["url"] for item in context["nav_items"]]
    assert len({link["url"] for link in shown}) == len(shown)
    # A group's name is not also a top-level link's (the 考核 dropdown holds the 考核 page).
    top = {str(entry["label"]) for entry in entries if "links" not in entry}
    assert not top & {str(entry["group"]) for entry in entries if "links" in entry}


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_every_link_the_home_page_shows_answers_200_for_that_role(client_for, person, cadre_x, cadre_y):
    if person.is_county_admin:
        person.is_staff = True  # as seed_demo makes the county administrator: the admin site lets them in
        person.save(update_fields=["is_staff"])
    client = client_for(person)
    home = client.get(reverse("home"), follow=True)
    assert home.status_code == 200
    html = home.content.decode()
    nav = html[html.index('id="main-nav"') : html.index("</nav>")]
    hrefs = re.findall(r'<a class="(?:nav-link|dropdown-item)[^"]*" href="([^"]+)"', nav)
    assert hrefs == [item["url"] for item in header(person)["nav_items"]]
    for href in hrefs:
        assert client.get(href).status_code == 200, href
    # Dropdown toggles are buttons, so a journey's "link named X" never means a group.
    assert nav.count('data-bs-toggle="dropdown"') == sum("links" in entry for entry in header(person)["nav_entries"])
    assert not re.search(r'<a[^>]*data-bs-toggle="dropdown"', nav)


def test_an_active_entry_marks_its_dropdown(county_admin):
    entries = header(county_admin, reverse("ranks:roster"))["nav_entries"]
    ranks = next(entry for entry in entries if "links" in entry and str(entry["group"]) == "职级与补贴")
    assert ranks["active"]
    assert [link["active"] for link in ranks["links"]] == [True, False, False]
    assert not any(entry["active"] for entry in entries if entry is not ranks)


def test_signed_out_visitors_get_no_navigation(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'id="main-nav"' not in html


def test_base_links_a_favicon_the_static_finder_resolves(client):
    html = client.get(reverse("accounts:login")).content.decode()
    icons = re.findall(r'<link rel="icon" href="/static/([^"]+)"', html)
    assert "img/favicon.svg" in icons and "img/favicon.ico" in icons
    for icon in icons:
        assert finders.find(icon), icon
    with open(finders.find("img/favicon.ico"), "rb") as handle:
        assert handle.read(4) == b"\0\0\1\0"  # an ICO header


def test_favicon_ico_is_answered_with_the_apps_own_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.ico")


def test_only_the_closest_entry_is_active(officer_x):
    """/incentives/ is the incentives' list: the reserve pool's page below it marks its own entry only."""
    entries = header(officer_x, reverse("incentives:reserve_overview"))["nav_entries"]
    active = [entry for entry in entries if entry["active"]]
    assert [str(entry.get("group") or entry["label"]) for entry in active] == ["人才与党建"]
    links = [link for link in header(officer_x, reverse("incentives:reserve_overview"))["nav_items"] if link["active"]]
    assert [str(link["label"]) for link in links] == ["后备干部库概况"]
