"""Formula injection (issue 16 item 2): no text a user typed becomes a formula in an exported workbook.

A cadre named ``=HYPERLINK("http://x","y")`` used to become a live link in the petition export. Each entry of
EXPORTS names one Excel the product makes, who downloads it, and the text columns that must carry the hostile
value back as plain text. ``hostile_world`` writes the value into every free-text field of the records the
exports read (names of the township, village and cadre too), so a new export only needs its entry here.

Owners of the other apps add their exports to EXPORTS (ranks roster, assessments templates, cadre list).
"""

import datetime
import io
from dataclasses import dataclass, field

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from supervision import crypto

from ..factories import CadreFactory, TownshipFactory, UserFactory, VillageFactory

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


CADRE = ("乡镇", "村（社区）", "村干部")
PETITION_TEXT = ("乡镇", "村", "被反映人", "摘要", "承办")

EXPORTS = [
    Export("supervision:petition_export", "officer_x_hostile", PETITION_TEXT),
    Export("supervision:petition_export", "supervisor", (*PETITION_TEXT, "举报人", "举报人电话", "全文")),
    Export("supervision:inspection_export", "supervisor", ("乡镇", "村（社区）", "巡察组", "发现的问题")),
    Export("supervision:disclosure_export", "officer_x_hostile", ("乡镇", "村（社区）", "备注"), query="period=2026-01-05"),
    Export("supervision:session_export", "supervisor", ("乡镇", "名称", "地点", "内容")),
    Export("supervision:sanction_export", "supervisor", (*CADRE, "决定机关", "情况说明")),
    Export("supervision:investigation_export", "supervisor", (*CADRE, "情况说明", "办理结论")),
    Export("supervision:veto_export", "supervisor", (*CADRE, "原因", "撤销人", "撤销原因")),
    Export("supervision:dismissal_export", "officer_x_hostile", (*CADRE, "原因", "登记人")),
    Export("incentives:commendation_export", "officer_x_hostile", ("乡镇", "村（社区）", "授予对象", "名称", "授予机关")),
    Export("incentives:training_export", "officer_x_hostile", (*CADRE, "培训课程", "主办单位")),
    Export("incentives:insurance_export", "county_admin", (*CADRE, "备注")),
    Export("incentives:recommendation_export", "county_admin", (*CADRE, "备注")),
    Export("incentives:aid_export", "officer_x_hostile", (*CADRE, "原因", "证明材料说明")),
    Export("incentives:pay_scale_export", "officer_x_hostile", ("备注",)),
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
    from incentives import models as inc
    from supervision import models as sup
    from supervision.rules import period_start_for
    from supervision.selectors import supervision_settings

    hostile = request.param
    township = TownshipFactory(name=hostile)
    village = VillageFactory(township=township, name=hostile)
    cadre = CadreFactory(village=village, name=hostile, phone=hostile[:20])
    clerk = UserFactory(username="hostile_clerk", full_name=hostile, role="supervisor")
    day = datetime.date(2026, 1, 5)
    identity = crypto.encrypt_identity({"name": hostile, "phone": hostile, "address": hostile})
    petition = {"channel": "letter", "reporter_encrypted": identity, "received_on": day, "deadline": day}
    fill_text(sup.Petition, hostile, township=township, village=village, cadre=cadre, recorded_by=clerk, **petition)
    inspection = fill_text(sup.Inspection, hostile, township=township, inspected_on=day, recorded_by=clerk)
    inspection.villages.set([village])
    period = period_start_for(day, supervision_settings().disclosure_period_months)
    fill_text(
        sup.AffairsDisclosure,
        hostile,
        village=village,
        period_start=period,
        category="finance",
        published_on=day,
        recorded_by=clerk,
    )
    fill_text(sup.WarningEducationSession, hostile, township=township, held_on=day, recorded_by=clerk)
    fill_text(sup.Sanction, hostile, cadre=cadre, severity="admonition", decided_on=day, recorded_by=clerk)
    fill_text(sup.Investigation, hostile, cadre=cadre, opened_on=day, closed_on=day, recorded_by=clerk)
    veto = {"year": 2025, "occurred_on": day, "revoked_at": timezone.now(), "revoked_by": clerk}
    fill_text(sup.VetoEvent, hostile, cadre=cadre, recorded_by=clerk, **veto)
    fill_text(sup.Dismissal, hostile, cadre=cadre, dismissed_on=day, decided_by=clerk)
    fill_text(inc.Commendation, hostile, township=township, cadre=cadre, level="county", awarded_on=day, recorded_by=clerk)
    this_year = timezone.localdate().replace(month=1, day=2)
    fill_text(inc.TrainingRecord, hostile, cadre=cadre, hours=2, trained_on=this_year, recorded_by=clerk)
    fill_text(inc.InsuranceEnrolment, hostile, cadre=cadre, scheme="pension", start_month=day.replace(day=1), updated_by=clerk)
    fill_text(
        inc.PoliticalRecommendation,
        hostile,
        cadre=cadre,
        kind="party_congress",
        level="county",
        recommended_on=day,
        recorded_by=clerk,
    )
    fill_text(inc.HardshipAid, hostile, cadre=cadre, amount_requested=100, applied_by=clerk)
    fill_text(inc.PayScale, hostile, effective_from=day.replace(day=1), base_pay=1, performance_pay=1, created_by=clerk)
    return {"hostile": hostile, "township": township, "village": village, "cadre": cadre}


@pytest.fixture
def officer_x_hostile(hostile_world):
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
