import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

TOKEN = "/api/v1/auth/token/"
PASSWORD = "demo12345"


def _obtain(client, username, password):
    return client.post(TOKEN, {"username": username, "password": password}, format="json")


@pytest.mark.django_db
def test_a_token_is_obtained_and_opens_the_api(anonymous, lixia_intake):
    response = _obtain(anonymous, "lixia_intake", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert anonymous.get("/api/v1/cases/").status_code == 200
    lixia_intake.refresh_from_db()
    assert lixia_intake.last_login is not None


@pytest.mark.django_db
def test_the_same_token_is_given_again(anonymous, lixia_intake):
    first = _obtain(anonymous, "lixia_intake", PASSWORD).json()["token"]
    assert _obtain(anonymous, "lixia_intake", PASSWORD).json()["token"] == first


@pytest.mark.django_db
def test_bad_credentials_get_400_with_a_clear_message(anonymous, lixia_intake):
    response = _obtain(anonymous, "lixia_intake", "wrong")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["无法使用提供的认证信息登录。"]}


@pytest.mark.django_db
def test_missing_credentials_get_400_for_each_field(anonymous, province):
    response = anonymous.post(TOKEN, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}
    assert response.json()["username"] == ["该字段是必填项。"]


@pytest.mark.django_db
def test_a_bad_token_is_401(anonymous, province):
    anonymous.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = anonymous.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_a_session_opens_the_api_too(client, lixia_intake):
    client.force_login(lixia_intake)
    assert client.get("/api/v1/cases/").status_code == 200


@pytest.mark.django_db
def test_it_locks_the_username_out_even_with_the_right_password(anonymous, lixia_intake):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _obtain(anonymous, "lixia_intake", "wrong").status_code == 400
    # The failure that reaches the limit is already answered as a lock-out.
    assert _obtain(anonymous, "lixia_intake", "wrong").status_code == 429
    response = anonymous.post(
        TOKEN, {"username": "lixia_intake", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "登录失败次数过多" in response.json()["detail"]
    assert "token" not in response.json()


@pytest.mark.django_db
def test_the_page_and_the_api_share_one_count(anonymous, client, lixia_intake):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "lixia_intake", "password": "wrong"})
    assert _obtain(anonymous, "lixia_intake", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_a_lockout_leaves_colleagues_alone(anonymous, lixia_intake, lixia_clerk):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _obtain(anonymous, "lixia_intake", "wrong")
    assert _obtain(anonymous, "lixia_clerk", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_a_success_clears_the_failures(anonymous, lixia_intake):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _obtain(anonymous, "lixia_intake", "wrong")
    assert _obtain(anonymous, "lixia_intake", PASSWORD).status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _obtain(anonymous, "lixia_intake", "wrong")
    assert _obtain(anonymous, "lixia_intake", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_the_lockout_ends_after_the_cool_off(anonymous, lixia_intake):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _obtain(anonymous, "lixia_intake", "wrong")
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME * 2):
        assert _obtain(anonymous, "lixia_intake", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_a_stale_token_does_not_stop_a_new_one(anonymous, lixia_intake):
    anonymous.credentials(HTTP_AUTHORIZATION="Token stale")
    assert _obtain(anonymous, "lixia_intake", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_the_token_endpoint_is_throttled(anonymous, province):
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"]  # per client address
    for _ in range(int(rate.split("/")[0])):
        _obtain(anonymous, "nobody", "x")
    response = _obtain(anonymous, "nobody", "x")
    assert response.status_code == 429
    assert "Retry-After" in response


@pytest.mark.django_db
def test_an_old_token_expires_and_a_new_one_is_given(api, anonymous, lixia_intake, settings):
    import time_machine
    from django.utils import timezone

    client = api(lixia_intake)
    assert client.get("/api/v1/cases/").status_code == 200
    later = timezone.now() + settings.API_TOKEN_TTL + timezone.timedelta(minutes=1)
    with time_machine.travel(later):
        response = client.get("/api/v1/cases/")
        assert response.status_code == 401
        assert "过期" in response.json()["detail"]
        fresh = anonymous.post(
            "/api/v1/auth/token/", {"username": "lixia_intake", "password": "demo12345"}
        )
        assert fresh.status_code == 200
        anonymous.credentials(HTTP_AUTHORIZATION=f"Token {fresh.json()['token']}")
        assert anonymous.get("/api/v1/cases/").status_code == 200
