"""Demo data for supervision: invented petitions, inspections, disclosures, sanctions and events.

Idempotent: each section is skipped when its first record exists. Dates are relative to the day of
the first run, so the pages always show a believable mix (one petition overdue, one disclosure late).
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from cadre_mgmt.cadres.models import Cadre, Township, Village

from . import rules, services
from .models import AffairsDisclosure, Dismissal, Inspection, Petition, Sanction, VetoEvent, WarningEducationSession
from .selectors import supervision_settings

PETITIONS = [
    # (township, cadre index or None, village or None, channel, anonymous, reporter, summary, days ago, steps)
    ("X镇", 0, None, "letter", False, ("周桂兰", "13907410001"), "反映村道硬化工程款使用不公开", 5, []),
    ("Y镇", None, "枫林村", "online", True, None, "匿名反映低保评定优亲厚友", 20, ["assigned"]),
    ("X镇", 3, None, "visit", False, ("何德顺", "13907410003"), "反映宅基地审批收取好处费", 95, ["assigned", "investigating"]),
    ("Y镇", 2, None, "phone", False, ("韦春燕", "13907410004"), "反映村委会换届拉票", 30, ["assigned", "investigating"]),
    (
        "X镇",
        5,
        None,
        "referred",
        False,
        ("邓立新", "13907410005"),
        "反映虚报冒领产业补贴",
        120,
        ["assigned", "investigating", "concluded:substantiated"],
    ),
    (
        "Y镇",
        4,
        None,
        "letter",
        False,
        ("钱晓东", "13907410006"),
        "反映村干部参与赌博",
        200,
        ["assigned", "investigating", "concluded:unfounded", "closed"],
    ),
    (
        "X镇",
        None,
        "南山村",
        "visit",
        False,
        ("孔玉梅", "13907410007"),
        "反映集体土地流转未经村民代表会议",
        300,
        ["assigned", "investigating", "concluded:partly", "closed"],
    ),
    ("Y镇", 6, None, "phone", False, ("卢国庆", "13907410008"), "反映危房改造名单不公示", 2, []),
]


def _full_text(reporter, summary):
    """The full text as received: it names the reporter, as real letters do. Only supervisors read it;
    the township reads the summary, which never names the reporter."""
    who = f"举报人{reporter[0]}（电话{reporter[1]}）" if reporter else "匿名来信人"
    return f"{who}反映：{summary.removeprefix('匿名').removeprefix('反映')}。来件内容为演示数据，人物与事件均为虚构。"


def _cadre(township_name, index):
    return Cadre.objects.filter(township__name=township_name).order_by("pk")[index]


def seed_supervision(stdout):
    User = get_user_model()
    supervisor = User.objects.get(username="supervisor")
    officers = {"X镇": User.objects.get(username="township_x"), "Y镇": User.objects.get(username="township_y")}
    today = timezone.localdate()
    created = 0

    if not Petition.objects.filter(summary=PETITIONS[0][6]).exists():
        for township, index, village_name, channel, anonymous, reporter, summary, days, steps in PETITIONS:
            cadre = _cadre(township, index) if index is not None else None
            village = Village.objects.get(township__name=township, name=village_name) if village_name else None
            petition = services.petition_create(
                user=supervisor,
                channel=channel,
                summary=summary,
                content=_full_text(reporter, summary),
                received_on=today - datetime.timedelta(days=days),
                cadre=cadre,
                village=village,
                anonymous=anonymous,
                reporter_name=reporter[0] if reporter else "",
                reporter_phone=reporter[1] if reporter else "",
            )
            for step in steps:
                status, _sep, conclusion = step.partition(":")
                services.petition_transition(
                    user=supervisor, petition=petition, to_status=status, assigned_to=f"{township}纪委", conclusion=conclusion
                )
            created += 1
        services.petitions_flag_overdue(today=today)

    if not Sanction.objects.exists():
        substantiated = Petition.objects.get(summary=PETITIONS[4][6])
        services.sanction_record(
            user=supervisor,
            cadre=_cadre("X镇", 1),
            severity="admonition",
            decided_on=today - datetime.timedelta(days=60),
            decided_by_body="X镇党委",
            description="村级财务报账不及时，诫勉谈话",
        )
        services.sanction_record(
            user=supervisor,
            cadre=_cadre("Y镇", 1),
            severity="gov_warning",
            decided_on=today - datetime.timedelta(days=400),
            decided_by_body="县监委",
            description="防汛值班脱岗，政务警告",
        )
        services.sanction_record(
            user=supervisor,
            cadre=substantiated.cadre,
            severity="party_serious_warning",
            decided_on=today - datetime.timedelta(days=40),
            decided_by_body="县纪委",
            description="虚报冒领产业补贴，党内严重警告",
            petition=substantiated,
        )
        created += 3

    if not VetoEvent.objects.filter(year=2025).exists():
        services.veto_record(
            user=supervisor,
            cadre=_cadre("X镇", 2),
            year=2025,
            occurred_on=datetime.date(2025, 8, 3),
            kind=VetoEvent.Kind.SAFETY_ACCIDENT,
            reason="村办砖厂发生一起较大安全生产事故（演示数据）",
        )
        open_case = Petition.objects.get(summary=PETITIONS[2][6])
        services.investigation_open(
            user=supervisor,
            cadre=open_case.cadre,
            opened_on=today - datetime.timedelta(days=30),
            description="涉嫌在宅基地审批中收受好处费，立案审查",
            petition=open_case,
        )
        created += 2

    if not Inspection.objects.exists():
        for township_name, villages, team, findings, items in [
            (
                "X镇",
                ["东岭村", "西河村", "南山村"],
                "县委第二巡察组",
                "村务公开不及时；集体资产台账不全；个别村干部坐班制度落实不到位。",
                [
                    ("补建集体资产台账", 30, "done"),
                    ("村务公开栏按季度更新", 45, "in_progress"),
                    ("完善坐班值班记录", -10, "open"),
                ],
            ),
            (
                "Y镇",
                ["白鹭村", "枫林村"],
                "县委第三巡察组",
                "惠民资金发放公示不全；会议记录缺失。",
                [("补充惠民资金公示", 20, "open"), ("规范“三会一课”记录", 60, "open")],
            ),
        ]:
            township = Township.objects.get(name=township_name)
            inspected_on = today - datetime.timedelta(days=75)
            inspection = services.inspection_create(
                user=supervisor,
                township=township,
                villages=Village.objects.filter(township=township, name__in=villages),
                inspected_on=inspected_on,
                team=team,
                findings=findings,
            )
            for description, days_left, status in items:
                item = services.rectification_item_add(
                    user=supervisor,
                    inspection=inspection,
                    description=description,
                    deadline=today + datetime.timedelta(days=days_left),
                    village=inspection.villages.order_by("sort_order").first(),
                )
                if status != "open":
                    services.rectification_item_set_status(user=officers[township_name], item=item, status="in_progress")
                if status == "done":
                    services.rectification_item_set_status(
                        user=officers[township_name], item=item, status="done", done_on=today - datetime.timedelta(days=3)
                    )
        created += 2

    if not WarningEducationSession.objects.exists():
        township = Township.objects.get(name="X镇")
        services.warning_session_create(
            user=supervisor,
            township=township,
            held_on=today - datetime.timedelta(days=45),
            title="以案为鉴 警钟长鸣——村干部警示教育大会",
            location="X镇党群服务中心",
            content="通报近年村干部违纪违法典型案例，观看警示教育片。",
            attendees=Cadre.objects.filter(township=township, status=Cadre.Status.IN_POST).order_by("pk")[:12],
        )
        created += 1

    created += _seed_disclosures(officers, today)
    services.disclosures_flag(today=today)

    if not Dismissal.objects.exists():
        cadre = _cadre("Y镇", 9)
        if cadre.is_in_post:
            services.dismissal_record(
                user=officers["Y镇"],
                cadre=cadre,
                dismissed_on=max(today - datetime.timedelta(days=100), cadre.first_appointed_on),
                reason="长期不在岗履职，经村党组织和镇党委研究予以清退（演示数据）",
            )
            created += 1
    stdout.write(f"  监督：新建 {created} 组记录")


def _seed_disclosures(officers, today):
    """Four past periods for every village: all on time, except one missing and one late in the latest."""
    conf = supervision_settings()
    months, due_days = conf.disclosure_period_months, conf.disclosure_due_days
    periods = rules.periods_due_by(today, months, due_days, 4)
    if AffairsDisclosure.objects.filter(period_start=periods[-1]).exists():
        return 0
    missing = ("Y镇", "云岗村", "finance")
    late = ("X镇", "青石村", "major_decisions")
    for period in periods:
        due_on = rules.disclosure_due_on(period, months, due_days)
        for village in Village.objects.filter(township__name__in=officers).select_related("township").order_by("pk"):
            for category in AffairsDisclosure.Category.values:
                key = (village.township.name, village.name, category)
                published_on = due_on - datetime.timedelta(days=5)
                if period == periods[0] and key == missing:
                    continue
                if period == periods[0] and key == late:
                    published_on = min(due_on + datetime.timedelta(days=6), today)
                services.disclosure_record(
                    user=officers[village.township.name],
                    village=village,
                    period_start=period,
                    category=category,
                    published_on=published_on,
                    note="村务公开栏、微信群同步公开",
                )
    return 1
