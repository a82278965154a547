"""Issue 17 #10: no English or code words in the admin (系统设置) and the cadre list."""

from pathlib import Path

import pytest
from django.urls import reverse

from cadre_mgmt.accounts.models import User

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for):
    user = UserFactory(username="county_admin", role=User.Role.COUNTY_ADMIN, is_staff=True, full_name="王管理")
    return client_for(user)


def test_the_admin_greets_by_name_and_says_修改_not_变化(admin_client):
    page = admin_client.get(reverse("admin:index")).text
    assert "当前用户：王管理" in page and "css/admin.css" in page
    assert "欢迎" not in page and "COUNTY_ADMIN" not in page
    assert ">修改<" in page and "变化" not in page


def test_the_admin_stylesheet_keeps_the_greeting_in_its_own_case():
    from django.contrib.staticfiles import finders

    assert "#user-tools { text-transform: none; }" in Path(finders.find("css/admin.css")).read_text(encoding="utf-8")


def test_the_new_user_form_speaks_chinese(admin_client):
    page = admin_client.get(reverse("admin:accounts_user_add")).text
    assert "After you" not in page
    assert "保存后即可填写姓名、角色和所属乡镇" in page


def test_the_cadre_list_heads_the_persons_column_姓名(client_for, officer_x, cadre_x):
    page = client_for(officer_x).get(reverse("cadres:list")).text
    assert "<th>姓名</th>" in page and "<th>名称</th>" not in page
