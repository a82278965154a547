"""Formula injection (issue 16 item 2): every text cell of the roster workbook (page export and API export),
the township subtotal rows included, is written as text."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ranks.rosters import services as rosters_services

from ..factories import CadreFactory, TownshipFactory, VillageFactory

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://x","y")'


def _formula_cells(content):
    ws = load_workbook(io.BytesIO(content)).active
    return [cell.coordinate for row in ws.iter_rows() for cell in row if cell.data_type == "f"]


def test_no_text_of_the_roster_export_becomes_a_formula(grade, county_approver, client_for):
    township = TownshipFactory(name=HOSTILE)
    village = VillageFactory(township=township, name=HOSTILE + "村")
    cadre = CadreFactory(village=village, name=HOSTILE[:30])
    grade(cadre, 12)
    roster = rosters_services.roster_generate(month=datetime.date(2026, 2, 1), user=county_approver)
    client = client_for(county_approver)
    page = client.get(reverse("ranks:roster_export", args=[roster.pk]))
    api = client.get(reverse("api:roster-export", args=["2026-02"]))
    assert page.status_code == api.status_code == 200
    for content in (page.content, api.content):
        ws = load_workbook(io.BytesIO(content)).active
        assert not _formula_cells(content)
        texts = [cell.value for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)]
        assert texts.count(HOSTILE) >= 2  # the line's 乡镇 cell and the township subtotal, as text
