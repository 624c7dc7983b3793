import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from zhongcai.accounts.models import Role, User
from zhongcai.accounts.services import public_user_register
from zhongcai.core.events import events_of

from .codes import code_for

ID_NUMBER = "11010519491231002X"
GOOD = {
    "mobile": "13912345678",
    "id_number": ID_NUMBER,
    "real_name": "张桂兰",
    "password": "Gongzi-2026!",
}


@pytest.mark.django_db
def test_it_registers_a_worker_with_mobile_as_login_name():
    user = public_user_register(**GOOD, mobile_code=code_for(GOOD["mobile"]))
    assert user.username == "13912345678"
    assert user.role == Role.WORKER
    assert user.organisation is None
    assert user.check_password("Gongzi-2026!")
    assert [e.kind for e in events_of(user)] == ["user.registered"]


@pytest.mark.django_db
@override_settings(
    PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"],
)
def test_it_hashes_passwords_with_argon2():
    user = public_user_register(**GOOD, mobile_code=code_for(GOOD["mobile"]))
    assert user.password.startswith("argon2$")


@pytest.mark.django_db
def test_it_refuses_a_wrong_id_check_digit_and_writes_nothing():
    with pytest.raises(ValidationError) as exc:
        public_user_register(**{**GOOD, "id_number": ID_NUMBER[:17] + "1"}, mobile_code="")
    assert "id_number" in exc.value.message_dict
    assert not User.objects.filter(mobile=GOOD["mobile"]).exists()


@pytest.mark.django_db
def test_it_lists_every_problem_at_once():
    with pytest.raises(ValidationError) as exc:
        public_user_register(
            mobile="123", id_number="x", real_name=" ", password="1", mobile_code=""
        )
    assert set(exc.value.message_dict) == {"mobile", "id_number", "real_name", "password"}


@pytest.mark.django_db
def test_it_refuses_a_duplicate_mobile(worker_demo):
    with pytest.raises(ValidationError) as exc:
        public_user_register(**{**GOOD, "mobile": worker_demo.mobile}, mobile_code="")
    assert list(exc.value.message_dict) == ["mobile"]


@pytest.mark.django_db
def test_it_refuses_a_duplicate_id_number(worker_demo):
    with pytest.raises(ValidationError) as exc:
        public_user_register(**{**GOOD, "id_number": worker_demo.id_number}, mobile_code="")
    assert list(exc.value.message_dict) == ["id_number"]


@pytest.mark.django_db
def test_it_refuses_a_staff_role_on_public_registration():
    with pytest.raises(ValidationError) as exc:
        public_user_register(**GOOD, role=Role.ARBITRATOR, mobile_code="")
    assert "role" in exc.value.message_dict


@pytest.mark.django_db
def test_the_registration_page_shows_the_error_in_chinese(client, worker_demo):
    response = client.post(
        reverse("accounts:register"),
        {
            "role": "worker",
            "real_name": "张桂兰",
            "id_number": ID_NUMBER[:17] + "1",
            "mobile": worker_demo.mobile,
            "password1": GOOD["password"],
            "password2": GOOD["password"],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "身份证号码最后一位校验不符" in page
    assert User.objects.filter(mobile=worker_demo.mobile).count() == 1


@pytest.mark.django_db
def test_the_registration_page_reports_a_duplicate_mobile(client, worker_demo):
    response = client.post(
        reverse("accounts:register"),
        {
            "role": "worker",
            "real_name": "张桂兰",
            "id_number": ID_NUMBER,
            "mobile": worker_demo.mobile,
            "password1": GOOD["password"],
            "password2": GOOD["password"],
        },
    )
    assert "该手机号已注册" in response.content.decode()


@pytest.mark.django_db
def test_registration_logs_the_new_user_in(client):
    response = client.post(
        reverse("accounts:register"),
        {
            "role": "employer",
            "real_name": "张桂兰",
            "id_number": ID_NUMBER,
            "mobile": GOOD["mobile"],
            "mobile_code": code_for(GOOD["mobile"]),
            "password1": GOOD["password"],
            "password2": GOOD["password"],
        },
    )
    assert response.status_code == 302
    user = User.objects.get(mobile=GOOD["mobile"])
    assert user.role == Role.EMPLOYER
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_many_registration_attempts_from_one_address_are_slowed(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REGISTRATION_ATTEMPTS_PER_HOUR = 3
    for _ in range(3):
        assert client.post(reverse("accounts:register"), {"mobile": "1"}).status_code == 200
    response = client.post(reverse("accounts:register"), {"mobile": "1"})
    assert response.status_code == 429
    assert "注册尝试次数过多" in response.content.decode()
    # Another address is not affected.
    other = client.post(reverse("accounts:register"), {"mobile": "1"}, REMOTE_ADDR="10.2.2.2")
    assert other.status_code == 200
    cache.clear()


# --- The SMS code -------------------------------------------------------------------------------

MEMORY_GATEWAY = "zhongcai.notifications.tests.memory_gateway.MemorySmsGateway"


@pytest.fixture
def sms(settings):
    """What the SMS gateway was given (a gateway that keeps messages in memory)."""
    from django.core.cache import cache

    from zhongcai.notifications.tests.memory_gateway import MemorySmsGateway

    cache.clear()
    settings.NOTIFICATIONS_SMS_GATEWAY = (
        "zhongcai.notifications.tests.memory_gateway.MemorySmsGateway"
    )
    MemorySmsGateway.sent.clear()
    return MemorySmsGateway.sent


def _code_in(text):
    import re

    return re.search(r"\b(\d{6})\b", text).group(1)


@pytest.mark.django_db
def test_a_number_is_proved_by_the_code_sent_to_it(sms):
    from zhongcai.accounts.mobile_codes import mobile_code_send

    mobile_code_send(mobile=GOOD["mobile"])
    [(to, text)] = sms
    assert to == GOOD["mobile"]
    user = public_user_register(**GOOD, mobile_code=_code_in(text))
    assert user.mobile == GOOD["mobile"]


@pytest.mark.django_db
def test_a_wrong_code_writes_no_account_and_five_tries_use_it_up(sms):
    from zhongcai.accounts.mobile_codes import mobile_code_send

    mobile_code_send(mobile=GOOD["mobile"])
    right = _code_in(sms[0][1])
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationError) as exc:
            public_user_register(**GOOD, mobile_code=wrong)
        assert list(exc.value.message_dict) == ["mobile_code"]
    # Five tries spent: even the right code no longer opens an account.
    with pytest.raises(ValidationError):
        public_user_register(**GOOD, mobile_code=right)
    assert not User.objects.filter(mobile=GOOD["mobile"]).exists()


@pytest.mark.django_db
def test_an_expired_code_is_refused(sms, time_machine):
    from zhongcai.accounts.mobile_codes import mobile_code_send

    time_machine.move_to("2026-11-30 10:00 +0800", tick=False)
    mobile_code_send(mobile=GOOD["mobile"])
    time_machine.move_to("2026-11-30 10:11 +0800", tick=False)
    with pytest.raises(ValidationError) as exc:
        public_user_register(**GOOD, mobile_code=_code_in(sms[0][1]))
    assert "mobile_code" in exc.value.message_dict


@pytest.mark.django_db
def test_codes_are_not_sent_twice_a_minute_nor_to_a_bad_number(sms, client):
    from zhongcai.accounts.mobile_codes import mobile_code_send

    mobile_code_send(mobile=GOOD["mobile"])
    with pytest.raises(ValidationError):
        mobile_code_send(mobile=GOOD["mobile"])
    with pytest.raises(ValidationError):
        mobile_code_send(mobile="12345")
    assert len(sms) == 1
    # Through the page: the rest of the form stays as typed, the error sits on the number.
    page = client.post(
        reverse("accounts:register"),
        {"action": "send_code", "mobile": "12345", "real_name": "张桂兰"},
    )
    assert page.status_code == 200
    assert "mobile" in page.context["form"].errors
    assert 'value="张桂兰"' in page.content.decode()
