"""Formula injection (issue 16 item 2): no text a user typed becomes a formula in an exported workbook.

A cadre named ``=HYPERLINK("http://x","y")`` used to become a live link in the petition export. Each entry of
EXPORTS names one Excel the product makes, who downloads it, and the text columns that must carry the hostile
value back as plain text. ``hostile_world`` writes the value into every free-text field of the records the
exports read (names of the township, village and cadre too), so a new export only needs its entry here.

Owners of the other apps add their exports to EXPORTS (ranks roster, assessments templates, cadre list).
"""

import io
from dataclasses import dataclass, field

import pytest
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from supervision import crypto

from ..factories import CadreFactory, TownshipFactory, VillageFactory

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(A1)"]


@dataclass(frozen=True)
class Export:
    url: str  # a URL name (reversed without arguments) or a path
    user: str  # the fixture name of who downloads it
    text_columns: tuple[str, ...]  # headers whose cells must hold the hostile text
    query: str = ""
    extra: dict = field(default_factory=dict)

    def path(self):
        return (self.url if self.url.startswith("/") else reverse(self.url)) + (f"?{self.query}" if self.query else "")


EXPORTS = [
    Export("supervision:petition_export", "officer_x_hostile", ("乡镇", "村", "被反映人", "摘要", "承办")),
    Export(
        "supervision:petition_export", "supervisor", ("乡镇", "村", "被反映人", "摘要", "承办", "举报人", "举报人电话", "全文")
    ),
]


def fill_text(model, hostile, **values):
    """A row of ``model`` whose every free-text field (no choices, editable) holds ``hostile``; ``values`` set the rest."""
    for f in model._meta.concrete_fields:
        is_text = isinstance(f, models.CharField | models.TextField) and not f.choices and f.editable
        if is_text and f.name not in values:
            values[f.name] = hostile[: f.max_length] if f.max_length else hostile
    return model.objects.create(**values)


@pytest.fixture
def hostile_world(request, supervisor, county_admin):
    """One township, village and cadre named ``hostile``, and a record of each kind the exports list."""
    hostile = request.param
    township = TownshipFactory(name=hostile)
    village = VillageFactory(township=township, name=hostile)
    cadre = CadreFactory(village=village, name=hostile, phone=hostile)
    from supervision.models import Petition

    fill_text(
        Petition,
        hostile,
        township=township,
        village=village,
        cadre=cadre,
        channel="letter",
        reporter_encrypted=crypto.encrypt_identity({"name": hostile, "phone": hostile, "address": hostile}),
        received_on="2026-01-05",
        deadline="2026-03-05",
        recorded_by=supervisor,
    )
    return {"hostile": hostile, "township": township, "village": village, "cadre": cadre}


@pytest.fixture
def officer_x_hostile(hostile_world):
    from ..factories import UserFactory

    return UserFactory(username="township_hostile", role="township_staff", township=hostile_world["township"])


def _sheets(content):
    workbook = load_workbook(io.BytesIO(content))
    return [workbook[name] for name in workbook.sheetnames]


@pytest.mark.parametrize("hostile_world", HOSTILE, indirect=True, ids=["hyperlink", "plus", "minus", "at"])
@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: f"{e.url}-{e.user}")
def test_no_exported_text_becomes_a_formula(request, client_for, hostile_world, export):
    hostile = hostile_world["hostile"]
    response = client_for(request.getfixturevalue(export.user)).get(export.path())
    assert response.status_code == 200
    found = set()
    for sheet in _sheets(response.content):
        rows = list(sheet.iter_rows())
        headers = [cell.value for cell in rows[0]] if rows else []
        for row in rows:
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
        for row in rows[1:]:
            for header, cell in zip(headers, row, strict=False):
                if isinstance(cell.value, str) and hostile in cell.value:
                    found.add(header)
    missing = set(export.text_columns) - found
    assert not missing, f"columns without the hostile text (not exported as text?): {missing}"
