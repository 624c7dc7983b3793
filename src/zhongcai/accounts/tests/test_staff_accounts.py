import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhongcai.accounts.models import Role, User
from zhongcai.accounts.services import staff_user_create
from zhongcai.core.events import events_of
from zhongcai.orgs.models import Organisation


def _institute(code):
    return Organisation.objects.get(division_id=code, type=Organisation.Type.ARBITRATION_INSTITUTE)


def _create(by, organisation, role=Role.CLERK, username="new_clerk"):
    return staff_user_create(
        by=by,
        username=username,
        real_name="新书记员",
        role=role,
        organisation=organisation,
        password="Shuji-2026!",
    )


@pytest.mark.django_db
def test_a_county_admin_creates_staff_in_their_county(lixia_admin):
    user = _create(lixia_admin, _institute("370102"))
    assert user.organisation.division_id == "370102"
    event = events_of(user).get()
    assert (event.kind, event.actor, event.organisation) == (
        "user.created",
        lixia_admin,
        user.organisation,
    )


@pytest.mark.django_db
def test_a_county_admin_cannot_create_staff_in_another_county(lixia_admin):
    with pytest.raises(PermissionDenied):
        _create(lixia_admin, _institute("370112"))
    assert not User.objects.filter(username="new_clerk").exists()


@pytest.mark.django_db
def test_a_city_admin_creates_staff_in_any_county_of_the_city(jinan_admin):
    assert _create(jinan_admin, _institute("370112")).organisation.division_id == "370112"


@pytest.mark.django_db
def test_an_arbitrator_cannot_create_accounts(lixia_arbitrator):
    with pytest.raises(PermissionDenied):
        _create(lixia_arbitrator, _institute("370102"))


@pytest.mark.django_db
def test_a_role_must_fit_the_organisation(lixia_admin):
    court_role_in_institute = Role.COURT
    with pytest.raises(ValidationError) as exc:
        _create(lixia_admin, _institute("370102"), role=court_role_in_institute)
    assert "role" in exc.value.message_dict


@pytest.mark.django_db
def test_a_staff_user_name_is_unique(lixia_admin):
    with pytest.raises(ValidationError) as exc:
        _create(lixia_admin, _institute("370102"), username="lixia_clerk")
    assert "username" in exc.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_staff_without_an_organisation(province):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="floating", role=Role.CLERK)
