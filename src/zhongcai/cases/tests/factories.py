"""Applications in each state, built through the services so events and clocks are real."""

from __future__ import annotations

import copy
from typing import Any

from zhongcai.accounts.models import User
from zhongcai.cases import services
from zhongcai.cases.models import Case, Channel
from zhongcai.core.identifiers import credit_code_check_char, id_number_check_char
from zhongcai.orgs.models import Organisation


def id_number(body17: str) -> str:
    return body17 + id_number_check_char(body17)


def credit_code(body17: str) -> str:
    return body17 + credit_code_check_char(body17)


WORKER = {
    "role": "applicant",
    "kind": "worker",
    "name": "王秀英",
    "id_number": id_number("37010219900512002"),
    "domicile": "济南市历下区泉城路 1 号",
    "domicile_division": "370102",
    "mailing_address": "济南市历下区泉城路 1 号 3 单元 201",
    "phone": "13800000001",
    "occupation": "收银员",
}
EMPLOYER = {
    "role": "respondent",
    "kind": "employer",
    "name": "济南示例商贸有限公司",
    "credit_code": credit_code("91370102MA3C00001"),
    "domicile": "济南市历下区经十路 100 号",
    "domicile_division": "370102",
    "mailing_address": "济南市历下区经十路 100 号",
    "phone": "0531-88880000",
    "legal_representative": "赵建国",
    "legal_representative_title": "执行董事",
}
APPLICATION: dict[str, Any] = {
    "category": "labor",
    "causes": ["remuneration", "economic_compensation"],
    "facts_and_reasons": (
        "申请人自 2024 年 3 月起在被申请人处工作，被申请人拖欠 2026 年 6 月至 8 月工资。"
    ),
    "evidence_summary": "工资条、考勤记录、微信聊天记录。",
    "workplace_division": "370102",
    "parties": [WORKER, EMPLOYER],
    "claims": [
        {"type": "remuneration", "description": "支付拖欠工资", "amount": "12000.00"},
        {
            "type": "economic_compensation",
            "description": "支付解除劳动合同经济补偿",
            "amount": "9000",
        },
    ],
}


def application(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(APPLICATION)
    data.update(changes)
    return data


def commission(code: str = "370102") -> Organisation:
    return Organisation.objects.get(division_id=code, type=Organisation.Type.COMMISSION)


def draft(
    by: User, *, code: str = "370102", channel: Channel | None = None, **changes: Any
) -> Case:
    channel = channel or (Channel.ONLINE if by.is_public else Channel.COUNTER)
    return services.case_create(
        by=by, commission=commission(code), channel=channel, data=application(**changes)
    )


def received(by: User, **changes: Any) -> Case:
    return services.case_submit(by=by, case=draft(by, **changes))


def accepted(intake: User, head: User, **changes: Any) -> Case:
    case = received(intake, **changes)
    return services.case_accept(by=head, case=case, warnings_acknowledged=True)
