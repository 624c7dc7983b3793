"""A few applications in each state of intake, so the queues are not empty on a fresh install.

Built through the services, at the moment of loading: their clocks run from today.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhongcai.accounts.models import User
from zhongcai.cases import services
from zhongcai.cases.models import Case, Channel
from zhongcai.core.identifiers import credit_code_check_char, id_number_check_char
from zhongcai.orgs.models import Organisation


def _id(body: str) -> str:
    return body + id_number_check_char(body)


def _credit(body: str) -> str:
    return body + credit_code_check_char(body)


def _worker(name: str, body: str, *, representative: bool = False) -> dict[str, Any]:
    return {
        "role": "applicant",
        "kind": "worker",
        "name": name,
        "id_number": _id(body),
        "domicile": "济南市历下区解放路 23 号",
        "domicile_division": "370102",
        "mailing_address": "济南市历下区解放路 23 号",
        "phone": "1390531" + body[-4:],
        "is_representative": representative,
    }


def _employer(name: str, body: str, division: str = "370102") -> dict[str, Any]:
    return {
        "role": "respondent",
        "kind": "employer",
        "name": name,
        "credit_code": _credit(body),
        "domicile": "济南市历下区经十路 100 号",
        "domicile_division": division,
        "mailing_address": "济南市历下区经十路 100 号",
        "phone": "0531-88880000",
        "legal_representative": "赵建国",
        "legal_representative_title": "执行董事",
    }


def _application(parties: list[dict[str, Any]], claims: list[dict[str, Any]], **extra: Any):
    return {
        "category": "labor",
        "causes": ["remuneration"],
        "facts_and_reasons": (
            "申请人在被申请人处工作，被申请人自 2026 年 7 月起拖欠工资，经多次催要未果。"
        ),
        "evidence_summary": "工资条、考勤记录、微信聊天记录。",
        "workplace_division": "370102",
        "parties": parties,
        "claims": claims,
        **extra,
    }


WAGES = [{"type": "remuneration", "description": "支付 2026 年 7 月至 9 月工资", "amount": "15600"}]


def _commission(code: str) -> Organisation:
    return Organisation.objects.get(division_id=code, type=Organisation.Type.COMMISSION)


@transaction.atomic
def _into_the_hearing_stage(case: Case) -> None:
    """Tribunal drawn, application copy served, the hearing booked: the case page after
    acceptance is not empty. Needs the demo institutions (arbitrators, recorder, room)."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from zhongcai.cases import hearings, serving, tribunal
    from zhongcai.cases.models import DocumentKind, ServiceMethod

    head = User.objects.get(username="lixia_head")
    clerk = User.objects.get(username="lixia_clerk")
    recorders = tribunal.recorder_pool(case).candidate_ids
    if not recorders:
        return
    # Designated, so that the demo arbitrator who logs in finds the case on the bench.
    arbitrator = User.objects.get(username="lixia_arbitrator").roster_person
    tribunal.tribunal_form(
        by=head,
        case=case,
        kind="sole",
        mode="designate",
        designated=[arbitrator.pk],
        recorder=recorders[0],
        reason="案情简单，指定熟悉劳动合同解除争议的仲裁员独任审理",
    )
    case.refresh_from_db()
    notice = case.documents.get(kind=DocumentKind.TRIBUNAL_NOTICE)
    serving.serve(
        by=clerk,
        case=case,
        document=notice,
        parties=list(case.parties.all()),
        method=ServiceMethod.IN_PERSON,
        signed_by_name="本人",
    )
    case.refresh_from_db()
    serving.serve_application_copy(
        by=clerk, case=case, method=ServiceMethod.IN_PERSON, signed_on_the_spot=True
    )
    case.refresh_from_db()
    day = hearings.earliest_hearing_date(timezone.localdate()) + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    starts = timezone.make_aware(datetime.combine(day, time(9, 30)))
    hearings.hearing_schedule(
        by=clerk,
        case=case,
        starts_at=starts,
        duration=timedelta(hours=2),
        room=case.commission.hearing_rooms.filter(is_active=True).first(),
        notice_method=ServiceMethod.IN_PERSON,
    )


def load_demo_cases() -> bool:
    if Case.objects.exists():
        return False
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "worker_demo",
                "lixia_intake",
                "lixia_head",
                "licheng_intake",
            ]
        )
    }
    worker = users["worker_demo"]
    lixia, licheng = _commission("370102"), _commission("370112")
    employer = _employer("济南示例商贸有限公司", "91370102MA3C00001")

    # An online application by the demo worker, waiting for the decision.
    online = services.case_create(
        by=worker,
        commission=lixia,
        channel=Channel.ONLINE,
        data=_application(
            [
                {**_worker(worker.real_name, worker.id_number[:17]), "phone": worker.mobile},
                employer,
            ],
            WAGES,
        ),
    )
    services.case_submit(by=worker, case=online)

    # A counter application missing its facts: one-time correction notice issued.
    incomplete = services.case_create(
        by=users["lixia_intake"],
        commission=lixia,
        channel=Channel.COUNTER,
        data=_application(
            [_worker("刘德明", "37010219850304001"), employer], WAGES, facts_and_reasons=""
        ),
    )
    incomplete = services.case_submit(
        by=users["lixia_intake"], case=incomplete, allow_incomplete=True
    )
    services.case_issue_correction_notice(
        by=users["lixia_intake"],
        case=incomplete,
        items=["请提交劳动合同或其他能证明劳动关系的材料"],
    )

    # An accepted case, numbered, with its 45-day clock.
    dismissed = services.case_create(
        by=users["lixia_intake"],
        commission=lixia,
        channel=Channel.COUNTER,
        data=_application(
            [
                _worker("陈晓雯", "37010219920817002"),
                _employer("山东示例物业服务有限公司", "91370102MA3C00002"),
            ],
            [
                {"type": "damages", "description": "支付违法解除劳动合同赔偿金", "amount": "36000"},
                {"type": "documents", "description": "出具解除劳动合同证明"},
            ],
            causes=["termination", "damages"],
        ),
    )
    services.case_submit(by=users["lixia_intake"], case=dismissed)
    dismissed = services.case_accept(
        by=users["lixia_head"], case=dismissed, warnings_acknowledged=True
    )
    _into_the_hearing_stage(dismissed)

    # A collective application of twelve workers with three representatives: priority.
    names = [
        "张伟",
        "王芳",
        "李娜",
        "刘洋",
        "陈静",
        "杨磊",
        "赵敏",
        "黄强",
        "周杰",
        "吴霞",
        "徐斌",
        "孙丽",
    ]
    workers = [
        _worker(
            name,
            f"370102{1980 + i}{i % 12 + 1:02d}{i % 28 + 1:02d}{100 + i:03d}",
            representative=i < 3,
        )
        for i, name in enumerate(names)
    ]
    collective = services.case_create(
        by=users["lixia_intake"],
        commission=lixia,
        channel=Channel.COUNTER,
        data=_application(
            [*workers, _employer("济南示例建筑劳务有限公司", "91370102MA3C00003")],
            [
                {
                    "type": "remuneration",
                    "description": "支付拖欠的劳动报酬共计 312000 元",
                    "amount": "312000",
                }
            ],
            collective=True,
        ),
    )
    services.case_submit(by=users["lixia_intake"], case=collective)

    # Next door in Licheng, which Lixia's staff never see.
    neighbour = services.case_create(
        by=users["licheng_intake"],
        commission=licheng,
        channel=Channel.COUNTER,
        data=_application(
            [
                _worker("马红梅", "37011219880101002"),
                _employer("济南历城示例食品有限公司", "91370112MA3C00004", "370112"),
            ],
            WAGES,
            workplace_division="370112",
        ),
    )
    services.case_submit(by=users["licheng_intake"], case=neighbour)
    return True
