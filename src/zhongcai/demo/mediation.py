"""Demo mediation: organisations to route to, the Lixia centre's mediators and guides, and a few
mediation cases at different stages, built through the services so their events are real.

- worker_demo's online application waiting for the centre to accept (3 working days);
- a walk-in case being mediated by 赵春兰 (lixia_mediator): messages, a caucus, an open proposal;
- worker_demo's case against the property company, agreed, signed and sealed: worker_demo and
  employer_demo may apply jointly for arbitral review;
- a walk-in case where mediation failed: ready to become an arbitration application.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from zhongcai.accounts.models import User
from zhongcai.core.identifiers import credit_code_check_char, id_number_check_char
from zhongcai.mediation import agreement, guides, profiles, room, services
from zhongcai.mediation.models import Channel, MediationCase, MediatorProfile
from zhongcai.mediation.pool import mediator_choose
from zhongcai.orgs import institutions, people
from zhongcai.orgs.models import Division, MediationDetail, Organisation, Person
from zhongcai.orgs.services import organisation_create

LIXIA = "370102"
TRADING = ("济南示例商贸有限公司", "91370102MA3C00001")
PROPERTY = ("山东示例物业服务有限公司", "91370102MA3C00002")


def _id(body: str) -> str:
    return body + id_number_check_char(body)


def _credit(body: str) -> str:
    return body + credit_code_check_char(body)


def _organisations() -> Organisation:
    """Two more mediation organisations in Lixia for routing; returns the Lixia centre."""
    hrss = Organisation.objects.get(division_id=LIXIA, type=Organisation.Type.HRSS_DEPARTMENT)
    lixia = Division.objects.get(code=LIXIA)
    for name, kind, area in (
        ("历下区泉城路街道劳动争议调解委员会", MediationDetail.Kind.TOWNSHIP, "泉城路街道辖区"),
        (
            f"{TRADING[0]}劳动争议调解委员会",
            MediationDetail.Kind.ENTERPRISE,
            f"{TRADING[0]}（统一社会信用代码 {_credit(TRADING[1])}）",
        ),
    ):
        organisation = organisation_create(
            by=None,
            name=name,
            type=Organisation.Type.MEDIATION_ORGANISATION,
            division=lixia,
            parent=hrss,
        )
        institutions.mediation_organisation_update(
            by=None, organisation=organisation, kind=kind, area=area, address=""
        )
    return Organisation.objects.filter(
        division_id=LIXIA,
        type=Organisation.Type.MEDIATION_ORGANISATION,
        mediation_detail__kind=MediationDetail.Kind.ARBITRATION_CENTRE,
    ).first() or Organisation.objects.get(
        division_id=LIXIA, type=Organisation.Type.MEDIATION_ORGANISATION, name__contains="中心"
    )


def _mediators(centre: Organisation, head: User, today: date) -> Person:
    """Two more mediators of the centre with their profiles; returns 赵春兰 (lixia_mediator)."""
    for name, sex, body, unit, specialties, languages in (
        ("钱卫东", "male", "37010219700303011", "山东某律师事务所律师",
         ["work_injury", "social_insurance"], []),
        ("林晓梅", "female", "37010219850721012", "历下区总工会法律服务站",
         ["remuneration"], ["英语"]),
    ):  # fmt: skip
        person = people.person_create(
            by=None,
            organisation=centre,
            values={
                "kind": Person.Kind.MEDIATOR,
                "name": name,
                "sex": sex,
                "id_number": _id(body),
                "mobile": "",
                "employment": Person.Employment.PART_TIME,
                "unit": unit,
                "user": None,
            },
            starts_on=date(today.year - 2, 1, 1),
        )
        # The centre has no head account in the demo; a mediator edits only its own profile.
        MediatorProfile.objects.create(
            person=person, specialties=specialties, languages=languages, max_load=8
        )
    zhao = Person.objects.get(organisation=centre, user__username="lixia_mediator")
    profiles.mediator_profile_update(
        by=head,
        person=zhao,
        specialties=["remuneration", "economic_compensation"],
        languages=[],
        available=True,
        unavailable_until=None,
        max_load=10,
    )
    return zhao


def _guides(author: User) -> None:
    guides.guide_create(
        by=author,
        values={
            "kind": "model_agreement",
            "title": "拖欠工资纠纷调解协议书（示范文本）",
            "causes": ["remuneration"],
            "body": (
                "一、被申请人于____年__月__日前一次性支付申请人____年__月至__月工资共计____元；\n"
                "二、申请人收到上述款项后，双方就本案争议再无其他纠纷；\n"
                "三、被申请人逾期未付的，申请人可以依法申请仲裁或者申请支付令。"
            ),
        },
    )
    guides.guide_create(
        by=author,
        values={
            "kind": "script",
            "title": "背靠背调解沟通要点",
            "causes": [],
            "body": (
                "1. 先听取一方陈述，确认其核心诉求和底线；\n"
                "2. 告知调解中为达成协议作出的让步不得在其后的仲裁或诉讼中作为对其不利的根据；\n"
                "3. 不向另一方转述未经同意的内容。"
            ),
        },
    )


def _worker(name: str, body: str) -> dict:
    return {
        "role": "applicant",
        "kind": "worker",
        "name": name,
        "id_number": _id(body),
        "domicile": "济南市历下区解放路 23 号",
        "domicile_division": LIXIA,
        "mailing_address": "济南市历下区解放路 23 号",
        "phone": "1390531" + body[-4:],
    }


def _employer(employer: tuple[str, str]) -> dict:
    return {
        "role": "respondent",
        "kind": "employer",
        "name": employer[0],
        "credit_code": _credit(employer[1]),
        "domicile": "济南市历下区经十路 100 号",
        "domicile_division": LIXIA,
        "mailing_address": "济南市历下区经十路 100 号",
        "phone": "0531-88880000",
        "legal_representative": "赵建国",
        "legal_representative_title": "执行董事",
    }


def _data(worker: dict, employer: tuple[str, str], amount: str, facts: str) -> dict:
    return {
        "category": "labor",
        "causes": ["remuneration"],
        "facts_and_reasons": facts,
        "workplace_division": LIXIA,
        "parties": [worker, _employer(employer)],
        "claims": [
            {"type": "remuneration", "description": "支付拖欠的工资", "amount": amount},
        ],
    }


def _mediating(case: MediationCase, mediator: User, zhao: Person) -> MediationCase:
    case = services.mediation_accept(by=mediator, case=case, respondent_consent=True)
    return mediator_choose(
        by=mediator, case=case, person=zhao, applicant_consents=True, respondent_consents=True
    )


@transaction.atomic
def load_demo_mediation() -> bool:
    """Once: returns False when the demo mediation cases are already there."""
    if MediationCase.objects.exists():
        return False
    today = timezone.localdate()
    centre = _organisations()
    mediator = User.objects.get(username="lixia_mediator")
    worker = User.objects.get(username="worker_demo")
    hr = User.objects.get(username="employer_demo")
    zhao = _mediators(centre, mediator, today)
    _guides(mediator)
    worker_party = _worker(worker.real_name, worker.id_number[:17])

    services.mediation_apply(
        by=worker,
        organisation=centre,
        channel=Channel.ONLINE,
        data=_data(
            worker_party, TRADING, "8600",
            "申请人在被申请人处担任销售员，被申请人拖欠 2026 年 9 月、10 月工资，希望先行调解。",
        ),
    )  # fmt: skip

    walk_in = services.mediation_apply(
        by=mediator,
        organisation=centre,
        channel=Channel.WALK_IN,
        data=_data(
            _worker("张建军", "37010219880817015"), TRADING, "12400",
            "申请人于 2026 年 8 月离职，被申请人未结清最后两个月工资。",
        ),
    )  # fmt: skip
    walk_in = _mediating(walk_in, mediator, zhao)
    applicant = walk_in.parties.get(role="applicant")
    room.message_post(
        by=mediator,
        case=walk_in,
        body="双方好，本案已受理，调解期限为 15 日。请各自说明对工资数额的意见。",
        audience="joint",
    )
    room.message_post(
        by=mediator,
        case=walk_in,
        body="（背靠背）张先生，如果对方一次性付清，您能否接受 11000 元？",
        audience="caucus",
        party=applicant,
    )
    room.proposal_make(
        by=mediator,
        case=walk_in,
        items=[
            {"description": "被申请人于本月底前一次性支付申请人工资 11000 元", "amount": "11000"}
        ],
        note="调解员根据双方意见提出的方案",
    )

    agreed = services.mediation_apply(
        by=worker,
        organisation=centre,
        channel=Channel.ONLINE,
        data=_data(
            worker_party, PROPERTY, "5200",
            "申请人在被申请人处从事保洁工作，被申请人少发 2026 年 10 月加班工资。",
        ),
    )  # fmt: skip
    agreed = _mediating(agreed, mediator, zhao)
    agreement.agreement_draft(
        by=mediator,
        case=agreed,
        items=[
            {"description": "被申请人于协议生效之日起十日内支付加班工资 4800 元", "amount": "4800"},
            {"description": "申请人收到上述款项后，双方劳动报酬争议了结", "amount": ""},
        ],
    )  # fmt: skip
    for signer in (worker, hr, mediator):
        agreement.agreement_sign(by=signer, case=agreed, confirm_read=True)
    agreement.agreement_seal(by=mediator, case=agreed)

    failed = services.mediation_apply(
        by=mediator,
        organisation=centre,
        channel=Channel.WALK_IN,
        data=_data(
            _worker("陈志刚", "37010219920214016"), TRADING, "30000",
            "申请人主张被申请人违法解除劳动合同，要求支付赔偿金。",
        ),
    )  # fmt: skip
    failed = _mediating(failed, mediator, zhao)
    services.mediation_fail(
        by=mediator, case=failed, reason="被申请人不同意支付赔偿金，双方差距过大，调解不成。"
    )
    return True
