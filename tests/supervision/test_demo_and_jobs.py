import pytest
from django_celery_beat.models import PeriodicTask

from cadre_mgmt.cadres.demo import seed_cadres
from incentives import models as incentive_models
from incentives.demo import seed_incentives
from supervision import models as supervision_models
from supervision.demo import seed_supervision

pytestmark = pytest.mark.django_db


class _Out:
    def write(self, text):
        pass


def _counts():
    tables = [
        *(getattr(supervision_models, name) for name in ("Petition", "PetitionStep", "Inspection", "RectificationItem")),
        *(getattr(supervision_models, name) for name in ("AffairsDisclosure", "DisclosureFlag", "WarningEducationSession")),
        *(getattr(supervision_models, name) for name in ("Sanction", "Investigation", "VetoEvent", "Dismissal")),
        *(getattr(incentive_models, name) for name in ("Commendation", "TrainingRecord", "InsuranceEnrolment")),
        *(getattr(incentive_models, name) for name in ("PoliticalRecommendation", "HardshipAid", "HardshipAidStep", "PayScale")),
    ]
    return {model.__name__: model.objects.count() for model in tables}


def test_demo_data_fills_every_page_and_a_second_run_changes_nothing(settings):
    settings.DEBUG = True
    out = _Out()
    seed_cadres(out)
    seed_incentives(out)
    seed_supervision(out)
    first = _counts()
    assert all(first.values()), first
    petitions = supervision_models.Petition.objects
    assert petitions.count() == 8 and petitions.filter(anonymous=True).count() == 1
    assert petitions.filter(overdue_since__isnull=False).count() == 1
    assert set(supervision_models.DisclosureFlag.objects.values_list("kind", flat=True)) == {"missing", "late"}
    assert supervision_models.VetoEvent.objects.filter(year=2025).count() == 1
    assert set(incentive_models.HardshipAid.objects.values_list("status", flat=True)) == {"applied", "township_approved", "paid"}
    assert incentive_models.Commendation.objects.filter(village__isnull=False).count() == 1
    assert incentive_models.Commendation.objects.filter(level="province").exists()
    snapshot = list(petitions.order_by("pk").values())
    seed_incentives(out)
    seed_supervision(out)
    assert _counts() == first
    assert list(petitions.order_by("pk").values()) == snapshot


def test_daily_jobs_are_scheduled_in_shanghai_time():
    for task in ("supervision.flag_overdue_petitions", "supervision.flag_disclosures"):
        periodic = PeriodicTask.objects.get(task=task)
        assert periodic.enabled
        assert str(periodic.crontab.timezone) == "Asia/Shanghai"
