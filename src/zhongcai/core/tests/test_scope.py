import pytest
from django.contrib.auth.models import AnonymousUser

from zhongcai.accounts.models import User
from zhongcai.core.models import Event
from zhongcai.core.scope import can_see, scope
from zhongcai.orgs.models import Organisation


def _divisions(qs):
    return set(qs.values_list("division_id", flat=True))


@pytest.mark.django_db
def test_a_county_institute_sees_itself_only(lixia_intake):
    visible = scope(Organisation.objects.all(), lixia_intake)
    assert list(visible) == [lixia_intake.organisation]


@pytest.mark.django_db
def test_a_county_admin_sees_the_county_and_nothing_else(lixia_admin):
    visible = scope(Organisation.objects.all(), lixia_admin)
    assert _divisions(visible) == {"370102"}
    assert visible.count() == 4  # department, commission, institute, mediation centre


@pytest.mark.django_db
def test_a_city_admin_sees_every_county_of_the_city(jinan_admin):
    divisions = _divisions(scope(Organisation.objects.all(), jinan_admin))
    assert {"370100", "370102", "370112"} <= divisions
    assert all(code.startswith("3701") for code in divisions)


@pytest.mark.django_db
def test_the_province_sees_everything_but_the_courts(province_admin):
    visible = scope(Organisation.objects.all(), province_admin)
    assert visible.count() == Organisation.objects.exclude(type="court").count()


@pytest.mark.django_db
def test_a_court_sees_only_itself(jinan_court):
    assert list(scope(Organisation.objects.all(), jinan_court)) == [jinan_court.organisation]


@pytest.mark.django_db
def test_the_public_and_anonymous_see_no_organisation(worker_demo):
    assert not scope(Organisation.objects.all(), worker_demo).exists()
    assert not scope(Organisation.objects.all(), AnonymousUser()).exists()


@pytest.mark.django_db
def test_a_public_user_sees_only_their_own_account(worker_demo, employer_demo):
    assert list(scope(User.objects.all(), worker_demo)) == [worker_demo]


@pytest.mark.django_db
def test_staff_and_events_follow_the_same_tree(lixia_admin, licheng_intake):
    assert not scope(User.objects.all(), lixia_admin).filter(pk=licheng_intake.pk).exists()
    licheng_events = Event.objects.filter(organisation=licheng_intake.organisation)
    assert licheng_events.exists()
    assert not scope(licheng_events, lixia_admin).exists()
    assert can_see(licheng_intake.organisation, licheng_intake)
    assert not can_see(licheng_intake.organisation, lixia_admin)


@pytest.mark.django_db
def test_a_deactivated_organisation_sees_nothing(lixia_intake):
    Organisation.objects.filter(pk=lixia_intake.organisation_id).update(is_active=False)
    lixia_intake.refresh_from_db()
    assert not scope(Organisation.objects.all(), lixia_intake).exists()


@pytest.mark.django_db
def test_scope_is_one_query(jinan_admin, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(scope(Organisation.objects.all(), jinan_admin))
