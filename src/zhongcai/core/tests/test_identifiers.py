import pytest
from django.core.exceptions import ValidationError

from zhongcai.core.identifiers import (
    credit_code_check_char,
    id_number_check_char,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)

# A published GB 11643 example and a real, publicly listed unified social credit code.
VALID_ID = "11010519491231002X"
VALID_CREDIT_CODE = "91110000802100433B"  # 中国石油化工股份有限公司


def test_it_accepts_a_valid_id_number_and_normalizes_x():
    assert validate_id_number(" 11010519491231002x ") == VALID_ID


def test_it_computes_the_id_check_character():
    assert id_number_check_char(VALID_ID[:17]) == "X"


@pytest.mark.parametrize("wrong_last", ["0", "1", "9"])
def test_it_refuses_a_wrong_id_check_digit(wrong_last):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(VALID_ID[:17] + wrong_last)
    assert exc.value.code == "id_number_check_digit"


def test_it_refuses_an_id_number_with_an_impossible_birth_date():
    body = "11010519490231002"  # 31 February
    with pytest.raises(ValidationError) as exc:
        validate_id_number(body + id_number_check_char(body))
    assert exc.value.code == "id_number_birth_date"


def test_it_refuses_an_id_number_born_in_the_future():
    body = "11010530000101002"
    with pytest.raises(ValidationError) as exc:
        validate_id_number(body + id_number_check_char(body))
    assert exc.value.code == "id_number_birth_date"


@pytest.mark.parametrize(
    "value", ["", "1101051949123100", "11010519491231002Y", "A1010519491231002X"]
)
def test_it_refuses_malformed_id_numbers(value):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert exc.value.code == "id_number_format"


def test_it_accepts_a_valid_credit_code():
    assert validate_credit_code("91110000802100433b") == VALID_CREDIT_CODE
    assert credit_code_check_char(VALID_CREDIT_CODE[:17]) == "B"


def test_it_refuses_a_wrong_credit_code_check_character():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(VALID_CREDIT_CODE[:17] + "C")
    assert exc.value.code == "credit_code_check_char"


@pytest.mark.parametrize(
    "value", ["", "91110000802100433", "9111000080210043IB", "91110000802100433BB"]
)
def test_it_refuses_malformed_credit_codes(value):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(value)
    assert exc.value.code == "credit_code_format"


@pytest.mark.parametrize("value", ["13800138000", "+86 138-0013-8000", "19912345678"])
def test_it_accepts_mainland_mobile_numbers(value):
    assert validate_mobile(value) == value.replace("+86", "").replace(" ", "").replace("-", "")


@pytest.mark.parametrize("value", ["", "12800138000", "1380013800", "138001380000", "abc"])
def test_it_refuses_bad_mobile_numbers(value):
    with pytest.raises(ValidationError):
        validate_mobile(value)


def test_full_width_digits_are_read_as_the_same_number():
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in VALID_ID)
    assert validate_id_number(full_width) == VALID_ID
    assert validate_mobile("１３８００１３８０００") == "13800138000"


def test_other_unicode_digits_are_refused():
    arabic_indic = "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in VALID_ID)
    with pytest.raises(ValidationError):
        validate_id_number(arabic_indic)
