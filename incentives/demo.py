"""Demo data for incentives: invented honours, training, insurance, recommendations, hardship aid and a pay scale.

Idempotent: each section is skipped when its records exist.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from cadre_mgmt.cadres.models import Cadre, Post, Village

from . import services
from .models import Commendation, HardshipAid, InsuranceEnrolment, PayScale, PoliticalRecommendation, TrainingRecord

COMMENDATIONS = [
    # (township, cadre index, level, title, issuer, date)
    ("X镇", 0, "county", "全县优秀村党组织书记", "中共示范县委", datetime.date(2024, 6, 28)),
    ("X镇", 0, "city", "全市优秀村党组织书记", "中共示范市委", datetime.date(2024, 6, 30)),
    ("X镇", 8, "province", "全省脱贫攻坚先进个人", "省委、省政府", datetime.date(2023, 2, 25)),
    ("X镇", 16, "county", "全县防汛抢险先进个人", "示范县人民政府", datetime.date(2025, 8, 20)),
    ("X镇", 24, "county", "全县人居环境整治先进个人", "示范县人民政府", datetime.date(2025, 12, 10)),
    ("Y镇", 0, "county", "全县优秀共产党员", "中共示范县委", datetime.date(2025, 6, 30)),
    ("Y镇", 8, "city", "全市乡村振兴先进个人", "示范市人民政府", datetime.date(2025, 11, 18)),
    ("Y镇", 16, "county", "全县人民调解能手", "示范县司法局", datetime.date(2024, 12, 5)),
    ("Y镇", 24, "county", "全县优秀人大代表", "示范县人大常委会", datetime.date(2025, 3, 8)),
    ("Y镇", 3, "county", "全县信访工作先进个人", "示范县信访联席会议", datetime.date(2026, 3, 20)),
]
COURSES = [
    ("村党组织书记示范培训班", "县委组织部", Decimal("24.0")),
    ("乡村振兴政策专题培训", "县农业农村局", Decimal("8.0")),
    ("村级财务管理培训", "县财政局", Decimal("6.0")),
    ("基层矛盾纠纷调解实务", "县司法局", Decimal("4.5")),
]


def _cadre(township_name, index):
    return Cadre.objects.filter(township__name=township_name).order_by("pk")[index]


def seed_incentives(stdout):
    User = get_user_model()
    admin_user = User.objects.get(username="county_admin")
    approver = User.objects.get(username="county_approver")
    officers = {"X镇": User.objects.get(username="township_x"), "Y镇": User.objects.get(username="township_y")}
    today = timezone.localdate()
    created = 0

    if not PayScale.objects.exists():
        posts = {post.code: post for post in Post.objects.all()}
        start = datetime.date(2025, 1, 1)
        services.pay_scale_seed(
            user=admin_user,
            effective_from=start,
            base_pay=Decimal("1800.00"),
            performance_pay=Decimal("600.00"),
            note="一般村干部",
        )
        services.pay_scale_seed(
            user=admin_user,
            effective_from=start,
            post=posts["party_secretary"],
            base_pay=Decimal("2600.00"),
            performance_pay=Decimal("1000.00"),
            note="村党组织书记",
        )
        services.pay_scale_seed(
            user=admin_user,
            effective_from=start,
            post=posts["director"],
            base_pay=Decimal("2400.00"),
            performance_pay=Decimal("900.00"),
            note="村委会主任",
        )
        services.pay_scale_seed(
            user=admin_user,
            effective_from=datetime.date(2026, 7, 1),
            base_pay=Decimal("1900.00"),
            performance_pay=Decimal("650.00"),
            note="2026年7月起上调",
        )
        created += 4

    if not Commendation.objects.exists():
        for township, index, level, title, issuer, awarded_on in COMMENDATIONS:
            services.commendation_record(
                user=officers[township],
                cadre=_cadre(township, index),
                level=level,
                title=title,
                issuer=issuer,
                awarded_on=awarded_on,
            )
        services.commendation_record(
            user=officers["X镇"],
            village=Village.objects.get(township__name="X镇", name="东岭村"),
            level="city",
            title="全市乡村治理示范村",
            issuer="中共示范市委、示范市人民政府",
            awarded_on=datetime.date(2025, 10, 15),
        )
        created += len(COMMENDATIONS) + 1

    if not TrainingRecord.objects.exists():
        for township in ("X镇", "Y镇"):
            for index in range(0, 40, 3):
                cadre = _cadre(township, index)
                for n, (course, organizer, hours) in enumerate(COURSES[: 1 + index % 4]):
                    services.training_record(
                        user=officers[township],
                        cadre=cadre,
                        course=course,
                        organizer=organizer,
                        hours=hours,
                        trained_on=min(today, datetime.date(today.year, 3 + n * 2, 10 + index % 15)),
                    )
                    created += 1

    if not InsuranceEnrolment.objects.exists():
        for township in ("X镇", "Y镇"):
            for index in range(0, 30):
                cadre = _cadre(township, index)
                for scheme in ("pension", "medical", "accident"):
                    services.insurance_save(
                        user=officers[township],
                        cadre=cadre,
                        scheme=scheme,
                        start_month=max(cadre.first_appointed_on, datetime.date(2018, 1, 1)).replace(day=1),
                        status="enrolled",
                    )
                if index % 5 == 0:
                    services.insurance_save(
                        user=officers[township],
                        cadre=cadre,
                        scheme="housing_fund",
                        start_month=datetime.date(2024, 1, 1),
                        status="enrolled",
                        note="县级试点缴存",
                    )
                created += 1

    if not PoliticalRecommendation.objects.exists():
        services.recommendation_record(
            user=officers["X镇"],
            cadre=_cadre("X镇", 0),
            kind="peoples_congress",
            level="county",
            recommended_on=datetime.date(2026, 9, 1),
        )
        elected = services.recommendation_record(
            user=officers["Y镇"],
            cadre=_cadre("Y镇", 0),
            kind="party_congress",
            level="county",
            recommended_on=datetime.date(2026, 4, 12),
        )
        services.recommendation_set_status(user=officers["Y镇"], recommendation=elected, status="elected")
        created += 2

    if not HardshipAid.objects.exists():
        services.aid_apply(
            user=officers["X镇"],
            cadre=_cadre("X镇", 4),
            reason="配偶重病住院，家庭医疗支出大",
            amount_requested=Decimal("5000.00"),
            supporting_note="附医院诊断证明及费用清单（演示数据）",
        )
        reviewed = services.aid_apply(
            user=officers["Y镇"],
            cadre=_cadre("Y镇", 5),
            reason="房屋因暴雨受损",
            amount_requested=Decimal("8000.00"),
            supporting_note="村委会出具受灾情况说明（演示数据）",
        )
        services.aid_step(user=officers["Y镇"], aid=reviewed, to_status="township_approved", note="情况属实，同意上报")
        paid = services.aid_apply(
            user=officers["X镇"],
            cadre=_cadre("X镇", 12),
            reason="子女上大学学费困难",
            amount_requested=Decimal("3000.00"),
            supporting_note="附录取通知书复印件（演示数据）",
        )
        services.aid_step(user=officers["X镇"], aid=paid, to_status="township_approved", note="经村民代表会议评议")
        services.aid_step(
            user=approver, aid=paid, to_status="county_approved", amount_granted=Decimal("2000.00"), note="按标准核定"
        )
        services.aid_step(user=approver, aid=paid, to_status="paid", paid_on=today, note="已转账至本人账户")
        created += 3
    stdout.write(f"  激励保障：新建 {created} 条记录")
