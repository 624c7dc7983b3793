import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from zhongcai.accounts.models import Role, User
from zhongcai.core.identifiers import validate_id_number
from zhongcai.demo.loader import PUBLIC, STAFF, load_demo


@pytest.mark.django_db
def test_it_loads_once(province, capsys):
    from zhongcai.demo.appointments import load_demo_appointments
    from zhongcai.demo.cases import load_demo_cases
    from zhongcai.demo.institutions import load_demo_institutions
    from zhongcai.demo.mediation import load_demo_mediation
    from zhongcai.demo.portal import load_demo_portal

    load_demo_institutions()
    load_demo_cases()
    load_demo_appointments()
    load_demo_portal()
    load_demo_mediation()
    before = User.objects.count()
    call_command("load_demo")
    assert "已存在" in capsys.readouterr().out
    assert User.objects.count() == before


@pytest.mark.django_db
@override_settings(DEMO_DATA_ALLOWED=False)
def test_it_is_refused_where_demo_data_is_not_allowed(db):
    with pytest.raises(CommandError, match="生产环境"):
        call_command("load_demo")


@pytest.mark.django_db
def test_every_demo_account_exists_where_the_readme_says(province):
    for person in STAFF:
        user = User.objects.select_related("organisation").get(username=person.username)
        assert (user.role, user.organisation.division_id) == (person.role, person.division)
        assert user.check_password("demo12345")
    for person in PUBLIC:
        user = User.objects.get(username=person.username)
        assert user.role in {Role.WORKER, Role.EMPLOYER}
        assert validate_id_number(user.id_number) == user.id_number


@pytest.mark.django_db
def test_licheng_is_a_neighbour_inside_jinan(licheng_intake, lixia_intake, jinan_admin):
    assert licheng_intake.organisation.is_within(jinan_admin.organisation)
    assert lixia_intake.organisation.is_within(jinan_admin.organisation)
    assert not licheng_intake.organisation.is_within(lixia_intake.organisation)


def test_the_loader_refuses_before_touching_the_database(settings):
    settings.DEMO_DATA_ALLOWED = False
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        load_demo()  # no django_db mark: any query would fail the test


@pytest.mark.django_db
def test_demo_cases_cover_every_intake_state_and_verify(province):
    from zhongcai.cases.integrity import check_cases
    from zhongcai.cases.models import Case, Status
    from zhongcai.core.events import verify_chains
    from zhongcai.demo.cases import load_demo_cases

    assert load_demo_cases() is True
    assert load_demo_cases() is False
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == {Status.RECEIVED, Status.AWAITING_CORRECTION, Status.ACCEPTED}
    assert Case.objects.filter(collective=True).exists()
    assert list(verify_chains()) == []
    assert list(check_cases()) == []


@pytest.mark.django_db
def test_the_demo_commission_has_counter_times_to_book(province):
    from zhongcai.appointments.models import Slot
    from zhongcai.demo.appointments import load_demo_appointments

    assert load_demo_appointments() is True
    assert Slot.objects.filter(commission__division_id="370102").count() >= 3
    assert load_demo_appointments() is False


@pytest.mark.django_db
def test_the_demo_employer_has_its_hr_staff_and_a_lawyer_can_be_authorised(province):
    from zhongcai.accounts.models import AgentProfile, EmployerMember
    from zhongcai.demo.portal import load_demo_portal

    assert load_demo_portal() is True
    assert load_demo_portal() is False
    members = EmployerMember.objects.filter(user__username="employer_demo")
    assert sorted(m.employer.name for m in members if m.is_admin) == [
        "山东示例物业服务有限公司",
        "济南示例商贸有限公司",
    ]
    assert all(m.employer.verified_at for m in members)
    lawyer = AgentProfile.objects.get(user__username="agent_demo")
    assert lawyer.kind == "lawyer" and len(lawyer.licence_number) == 17
    assert lawyer.user.check_password("demo12345")


@pytest.mark.django_db
def test_with_the_demo_cases_each_public_account_has_a_case_to_follow(province):
    from zhongcai.cases.models import Status
    from zhongcai.cases.selectors import cases_visible_to
    from zhongcai.demo.cases import load_demo_cases
    from zhongcai.demo.institutions import load_demo_institutions
    from zhongcai.demo.portal import load_demo_portal

    load_demo_institutions()
    load_demo_cases()
    load_demo_portal()
    worker, hr, lawyer = (
        User.objects.get(username=name) for name in ("worker_demo", "employer_demo", "agent_demo")
    )
    [own] = cases_visible_to(worker)
    assert list(cases_visible_to(lawyer)) == [own]  # invited by the worker, accepted
    assert {c.status for c in cases_visible_to(hr)} == {Status.HEARING_SCHEDULED}


@pytest.mark.django_db
def test_the_demo_mediation_cases_have_someone_to_follow_them(province):
    from zhongcai.demo.institutions import load_demo_institutions
    from zhongcai.demo.mediation import load_demo_mediation
    from zhongcai.demo.portal import load_demo_portal
    from zhongcai.mediation.models import Status
    from zhongcai.mediation.selectors import cases_for

    load_demo_institutions()
    load_demo_portal()
    assert load_demo_mediation() is True
    assert load_demo_mediation() is False
    worker, hr, mediator = (
        User.objects.get(username=name)
        for name in ("worker_demo", "employer_demo", "lixia_mediator")
    )
    assert {c.status for c in cases_for(mediator)} == {
        Status.APPLIED,
        Status.MEDIATING,
        Status.AGREED,
        Status.FAILED,
    }
    assert {c.status for c in cases_for(worker)} == {Status.APPLIED, Status.AGREED}
    # The employer's HR follows the cases against its verified employers.
    assert {c.status for c in cases_for(hr)} == {
        Status.APPLIED,
        Status.MEDIATING,
        Status.AGREED,
        Status.FAILED,
    }
