import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

LOGIN = "accounts:login"


def _post_login(client, username, password):
    return client.post(reverse(LOGIN), {"username": username, "password": password})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "landing"),
    [("lixia_intake", "/staff/"), ("worker_demo", "/"), ("province_admin", "/staff/")],
)
def test_demo_accounts_log_in_with_the_demo_password(client, province, username, landing):
    response = _post_login(client, username, "demo12345")
    assert response.status_code == 302
    assert client.get(response.url).url == landing


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_clear_message(client, province):
    response = _post_login(client, "lixia_intake", "wrong")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_locks_the_account_after_repeated_failures(client, province):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "lixia_intake", "wrong")
    # Even the right password is refused while locked.
    response = _post_login(client, "lixia_intake", "demo12345")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_stranger_cannot_lock_a_colleague_out_from_elsewhere(client, province):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post(
            reverse(LOGIN),
            {"username": "lixia_head", "password": "guess"},
            REMOTE_ADDR="203.0.113.9",
        )
    response = client.post(
        reverse(LOGIN), {"username": "lixia_head", "password": "demo12345"}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_change_the_address(client, province):
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse(LOGIN),
            {"username": "lixia_head", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        )
    response = client.post(
        reverse(LOGIN),
        {"username": "lixia_head", "password": "demo12345"},
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_a_lockout_of_one_user_leaves_colleagues_alone(client, province):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "lixia_intake", "wrong")
    assert _post_login(client, "lixia_clerk", "demo12345").status_code == 302


@pytest.mark.django_db
def test_the_lockout_ends_after_the_cool_off(client, province):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "lixia_intake", "wrong")
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME * 2):
        assert _post_login(client, "lixia_intake", "demo12345").status_code == 302


@pytest.mark.django_db
def test_an_idle_session_expires(client, lixia_intake):
    _post_login(client, "lixia_intake", "demo12345")
    assert client.get("/staff/").status_code == 200
    idle = settings.SESSION_COOKIE_AGE + 60
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=idle)):
        response = client.get("/staff/")
    assert response.status_code == 302
    assert response.url.startswith(reverse(LOGIN))


def test_session_cookies_end_with_the_browser():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.mark.django_db
def test_logout_needs_a_post_and_ends_the_session(client, lixia_intake):
    client.force_login(lixia_intake)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get("/staff/").status_code == 302


@pytest.mark.django_db
def test_login_needs_the_csrf_token(province):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse(LOGIN), {"username": "lixia_intake", "password": "demo12345"})
    assert response.status_code == 403
