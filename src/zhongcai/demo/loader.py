"""The demo province: Shandong's bodies and one account per role, all with DEMO_PASSWORD.

Only the embedded default may load it (``settings.DEMO_DATA_ALLOWED``); production refuses.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from zhongcai.accounts.models import Role, User
from zhongcai.accounts.services import staff_user_create
from zhongcai.core.events import record_event
from zhongcai.core.identifiers import id_number_check_char
from zhongcai.orgs.divisions import SHANDONG_CSV, import_divisions
from zhongcai.orgs.models import Division, Organisation
from zhongcai.orgs.services import organisation_create

LIXIA, LICHENG, JINAN, PROVINCE = "370102", "370112", "370100", "370000"
T = Organisation.Type


@dataclass(frozen=True)
class DemoStaff:
    username: str
    real_name: str
    role: Role
    division: str
    org_type: str


STAFF = (
    DemoStaff("province_admin", "孙振华", Role.HRSS_ADMIN, PROVINCE, T.HRSS_DEPARTMENT),
    DemoStaff("jinan_admin", "周文静", Role.HRSS_ADMIN, JINAN, T.HRSS_DEPARTMENT),
    DemoStaff("lixia_admin", "吴海涛", Role.HRSS_ADMIN, LIXIA, T.HRSS_DEPARTMENT),
    DemoStaff("lixia_intake", "郑晓燕", Role.INTAKE_OFFICER, LIXIA, T.ARBITRATION_INSTITUTE),
    DemoStaff("lixia_head", "王建国", Role.INSTITUTE_HEAD, LIXIA, T.ARBITRATION_INSTITUTE),
    DemoStaff("lixia_arbitrator", "李明远", Role.ARBITRATOR, LIXIA, T.ARBITRATION_INSTITUTE),
    DemoStaff("lixia_arbitrator2", "陈雪梅", Role.ARBITRATOR, LIXIA, T.ARBITRATION_INSTITUTE),
    DemoStaff("lixia_arbitrator3", "刘志强", Role.ARBITRATOR, LIXIA, T.ARBITRATION_INSTITUTE),
    DemoStaff("lixia_clerk", "杨静", Role.CLERK, LIXIA, T.ARBITRATION_INSTITUTE),
    DemoStaff("lixia_mediator", "赵春兰", Role.MEDIATOR, LIXIA, T.MEDIATION_ORGANISATION),
    DemoStaff("licheng_intake", "黄丽", Role.INTAKE_OFFICER, LICHENG, T.ARBITRATION_INSTITUTE),
    DemoStaff("licheng_arbitrator", "徐峰", Role.ARBITRATOR, LICHENG, T.ARBITRATION_INSTITUTE),
    DemoStaff("jinan_court", "马俊", Role.COURT, JINAN, T.COURT),
)


@dataclass(frozen=True)
class DemoPublic:
    username: str
    real_name: str
    role: Role
    mobile: str
    id_body: str  # the first 17 characters; the check digit is computed


PUBLIC = (
    DemoPublic("worker_demo", "王秀英", Role.WORKER, "13800000001", "37010219900512002"),
    DemoPublic("employer_demo", "李建华", Role.EMPLOYER, "13800000002", "37010219780301003"),
)


def is_loaded() -> bool:
    return User.objects.filter(username="province_admin").exists()


def _extra_bodies() -> dict[str, Organisation]:
    """A mediation centre in Lixia and Jinan's intermediate court, which no CSV carries."""
    lixia_hrss = Organisation.objects.get(division_id=LIXIA, type=T.HRSS_DEPARTMENT)
    mediation = Organisation.objects.filter(
        division_id=LIXIA, type=T.MEDIATION_ORGANISATION
    ).first()
    mediation = mediation or organisation_create(
        by=None,
        name="济南市历下区劳动人事争议调解中心",
        short_name="历下区调解中心",
        type=T.MEDIATION_ORGANISATION,
        division=Division.objects.get(code=LIXIA),
        parent=lixia_hrss,
    )
    court = Organisation.objects.filter(division_id=JINAN, type=T.COURT).first()
    court = court or organisation_create(
        by=None,
        name="山东省济南市中级人民法院",
        short_name="济南中院",
        type=T.COURT,
        division=Division.objects.get(code=JINAN),
        parent=None,  # courts stand outside the HRSS tree: they see cases only when sent them
    )
    return {T.MEDIATION_ORGANISATION: mediation, T.COURT: court}


def load_demo() -> bool:
    """Load the demo province once. Returns False if it was already there."""
    # Checked before any database work: production refuses even to look.
    if not settings.DEMO_DATA_ALLOWED:
        raise ImproperlyConfigured(
            "Demo data is refused under these settings (DEMO_DATA_ALLOWED is off)."
        )
    return _load()


@transaction.atomic
def _load() -> bool:
    if is_loaded():
        return False
    import_divisions(SHANDONG_CSV.read_text(encoding="utf-8"))
    extra = _extra_bodies()
    for person in STAFF:
        organisation = extra.get(person.org_type) or Organisation.objects.get(
            division_id=person.division, type=person.org_type
        )
        staff_user_create(
            by=None,
            username=person.username,
            real_name=person.real_name,
            role=person.role,
            organisation=organisation,
            password=settings.DEMO_PASSWORD,
        )
    for person in PUBLIC:
        user = User(
            username=person.username,
            real_name=person.real_name,
            role=person.role,
            mobile=person.mobile,
            id_number=person.id_body + id_number_check_char(person.id_body),
        )
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        record_event(user, "user.registered", actor=None, payload={"role": str(person.role)})
    return True
