import datetime

from cadre_mgmt.cadres.rules import MAX_PRIOR_SERVICE_YEARS, cadre_fact_problems

TODAY = datetime.date(2026, 6, 1)


def problems(appointed, prior=0, birth=datetime.date(1980, 1, 1)):
    return cadre_fact_problems(birth_date=birth, first_appointed_on=appointed, prior_service_years=prior, today=TODAY)


def test_plausible_file_has_no_problem():
    assert problems(datetime.date(2010, 5, 1), prior=3) == {}


def test_appointment_today_is_fine_tomorrow_is_not():
    assert problems(TODAY) == {}
    assert set(problems(TODAY + datetime.timedelta(days=1))) == {"first_appointed_on"}


def test_appointment_before_birth_is_refused():
    assert set(problems(datetime.date(1979, 12, 31))) == {"first_appointed_on"}


def test_prior_service_has_a_ceiling():
    assert problems(datetime.date(2010, 1, 1), prior=MAX_PRIOR_SERVICE_YEARS) == {}
    assert set(problems(datetime.date(2010, 1, 1), prior=MAX_PRIOR_SERVICE_YEARS + 1)) == {"prior_service_years"}
