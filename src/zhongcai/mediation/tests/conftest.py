"""Shared fixtures of the mediation tests: the Lixia mediation centre (demo data) and its
mediators, a mediator of another organisation, and cases at each stage."""

from datetime import date

import pytest
from django.utils import timezone

from zhongcai.accounts.models import Employer, EmployerMember, Role, User
from zhongcai.cases.tests.factories import EMPLOYER, application
from zhongcai.mediation import services
from zhongcai.mediation.models import Channel
from zhongcai.orgs.models import Appointment, Division, Organisation, Person
from zhongcai.orgs.services import organisation_create


@pytest.fixture
def centre(province):
    return Organisation.objects.get(
        division_id="370102", type=Organisation.Type.MEDIATION_ORGANISATION
    )


@pytest.fixture
def mediators(centre):
    """Three appointed mediators of the Lixia centre, and one whose appointment ended."""
    people = [
        Person.objects.create(
            organisation=centre,
            kind=Person.Kind.MEDIATOR,
            name=name,
            sex="female",
            employment=Person.Employment.PART_TIME,
        )
        for name in ("刘芳", "陈静", "孙丽", "吴敏")
    ]
    for person in people:
        Appointment.objects.create(person=person, starts_on=date(2020, 1, 1))
    Appointment.objects.filter(person=people[3]).update(status=Appointment.Status.ENDED)
    return people[:3]


@pytest.fixture
def licheng_mediator(province):
    licheng_hrss = Organisation.objects.get(
        division_id="370112", type=Organisation.Type.HRSS_DEPARTMENT
    )
    other = organisation_create(
        by=None,
        name="济南市历城区劳动人事争议调解中心",
        type=Organisation.Type.MEDIATION_ORGANISATION,
        division=Division.objects.get(code="370112"),
        parent=licheng_hrss,
    )
    return User.objects.create_user(
        username="licheng_mediator", password="x", role=Role.MEDIATOR, organisation=other
    )


def apply_online(worker, centre, **changes):
    return services.mediation_apply(
        by=worker, organisation=centre, data=application(**changes), channel=Channel.ONLINE
    )


@pytest.fixture
def mediating(worker_demo, lixia_mediator, centre, mediators):
    """worker_demo's online application, accepted and with a mediator drawn: in MEDIATING."""
    case = apply_online(worker_demo, centre)
    case = services.mediation_accept(by=lixia_mediator, case=case, respondent_consent=True)
    return services.mediator_draw(by=lixia_mediator, case=case)


@pytest.fixture
def employer_user(province):
    """A public account, authorised staff of the verified employer that the factories'
    application names as respondent: it acts for the respondent party."""
    user = User.objects.create_user(
        username="mediation_employer",
        password="x",
        role=Role.EMPLOYER,
        mobile="13900000077",
        real_name="王经理",
    )
    employer, _ = Employer.objects.get_or_create(
        credit_code=EMPLOYER["credit_code"],
        defaults={
            "name": EMPLOYER["name"],
            "registered_by": user,
            "registered_at": timezone.now(),
            "verified_at": timezone.now(),
        },
    )
    EmployerMember.objects.create(
        employer=employer, user=user, is_admin=True, added_by=user, added_at=timezone.now()
    )
    return user
