"""Demo portal accounts: the demo employer with its HR staff, and a demo lawyer."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhongcai.accounts.models import AgentProfile, Employer, EmployerMember, Role, User
from zhongcai.core.events import record_event
from zhongcai.core.identifiers import id_number_check_char

# Respondents of the demo cases (demo.cases), whose HR staff is employer_demo: the first has
# applications waiting, the second a case with its hearing scheduled.
DEMO_EMPLOYERS = (
    ("济南示例商贸有限公司", "91370102MA3C00001"),
    ("山东示例物业服务有限公司", "91370102MA3C00002"),
)
DEMO_LAWYER = ("agent_demo", "孙立新", "13800000003", "37010219820615004", "13701200910234567")


@transaction.atomic
def load_demo_portal() -> bool:
    """Once: returns False when the demo employer is already registered."""
    from zhongcai.core.identifiers import credit_code_check_char

    codes = [body + credit_code_check_char(body) for _name, body in DEMO_EMPLOYERS]
    if Employer.objects.filter(credit_code__in=codes).exists():
        return False
    hr = User.objects.get(username="employer_demo")
    now = timezone.now()
    for (name, _body), code in zip(DEMO_EMPLOYERS, codes, strict=True):
        employer = Employer.objects.create(
            credit_code=code, name=name, registered_by=hr, registered_at=now, verified_at=now
        )
        EmployerMember.objects.create(
            employer=employer, user=hr, is_admin=True, added_by=hr, added_at=now
        )
    username, real_name, mobile, id_body, licence = DEMO_LAWYER
    lawyer = User.objects.filter(username=username).first()
    if lawyer is None:
        lawyer = User(
            username=username,
            real_name=real_name,
            role=Role.AGENT,
            mobile=mobile,
            id_number=id_body + id_number_check_char(id_body),
        )
        lawyer.set_password(settings.DEMO_PASSWORD)
        lawyer.save()
        record_event(lawyer, "user.registered", actor=None, payload={"role": str(Role.AGENT)})
        AgentProfile.objects.create(
            user=lawyer,
            kind=AgentProfile.Kind.LAWYER,
            licence_number=licence,
            firm="山东示例律师事务所",
        )
    _authorise_lawyer(lawyer)
    return True


def _authorise_lawyer(lawyer: User) -> None:
    """The demo worker invited the demo lawyer for its online application, and the lawyer
    accepted (through the services, so the events are real). Skipped without the demo cases."""
    from zhongcai.cases.agents import agent_authorisation_accept, agent_authorise
    from zhongcai.cases.models import Case, Party

    worker = User.objects.get(username="worker_demo")
    case = Case.objects.filter(owner=worker).order_by("pk").first()
    if case is None:
        return
    party = case.parties.get(role=Party.Role.APPLICANT, user=worker)
    invitation = agent_authorise(
        by=worker, case=case, party=party, mobile=lawyer.mobile, authority="general"
    )
    agent_authorisation_accept(by=lawyer, authorisation=invitation)
