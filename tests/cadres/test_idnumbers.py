import datetime

import pytest
from django.core.exceptions import ValidationError

from cadre_mgmt.cadres import idnumbers


def test_valid_number_gives_birth_date_and_gender():
    facts = idnumbers.parse_id_number("11010519491231002X")
    assert facts.birth_date == datetime.date(1949, 12, 31)
    assert facts.gender == "female"
    assert facts.number == "11010519491231002X"


def test_lower_case_x_is_normalized():
    assert idnumbers.parse_id_number("11010519491231002x").number == "11010519491231002X"


@pytest.mark.parametrize(
    "raw",
    ["", "123", "110105194912310021", "11010519491331002X", "1101051949123100AX", "11010520991231002X"],
)
def test_invalid_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        idnumbers.parse_id_number(raw)


def test_mask_keeps_first_and_last_four():
    assert idnumbers.mask_id_number("110101199001011234") == "1101**********1234"


def test_encryption_round_trip_and_hash_is_keyed(settings):
    token = idnumbers.encrypt_id_number("11010519491231002X")
    assert "11010519491231002X" not in token
    assert idnumbers.decrypt_id_number(token) == "11010519491231002X"
    first = idnumbers.hash_id_number("11010519491231002X")
    settings.ID_NUMBER_KEY = "another-key-entirely-0123456789abcdef"
    assert idnumbers.hash_id_number("11010519491231002X") != first
