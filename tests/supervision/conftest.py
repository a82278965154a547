import datetime

import pytest

from supervision import services
from supervision.models import Petition


@pytest.fixture
def named_petition(supervisor, cadre_x):
    return services.petition_create(
        user=supervisor,
        channel=Petition.Channel.LETTER,
        summary="反映村集体资金使用不透明",
        content="举报人称村里修路资金去向不明。",
        received_on=datetime.date(2026, 1, 5),
        cadre=cadre_x,
        reporter_name="举报人王小明",
        reporter_phone="13912345678",
        reporter_address="东岭村三组",
    )


@pytest.fixture
def anonymous_petition(supervisor, village_x):
    return services.petition_create(
        user=supervisor,
        channel=Petition.Channel.ONLINE,
        summary="反映低保评定不公",
        content="匿名反映低保评定优亲厚友。",
        received_on=datetime.date(2026, 2, 1),
        village=village_x,
        anonymous=True,
    )


@pytest.fixture
def petition_y(supervisor, cadre_y):
    return services.petition_create(
        user=supervisor,
        channel=Petition.Channel.VISIT,
        summary="反映宅基地审批问题",
        content="来访反映宅基地审批拖延。",
        received_on=datetime.date(2026, 3, 2),
        cadre=cadre_y,
        reporter_name="来访人赵大海",
        reporter_phone="13700001111",
    )
