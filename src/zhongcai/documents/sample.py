"""The sample case: a representative case in the shape ``context.document_context`` gives.

A province's new template text is rendered against it before it is stored (``registry``), and a
preview without a case shows it. It is made without the database, with the same helpers as the
real context (``party_context``, ``amount``), so that it reads like a real one;
test_registry checks that it has every key a real document's context has.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhongcai.cases.models import Agent, Party

from . import catalogue
from .context import amount, dates, party_context

SAMPLE_PARTIES = (
    Party(
        role=Party.Role.APPLICANT,
        kind=Party.Kind.WORKER,
        name="张三",
        sex="male",
        birth_date=date(1990, 5, 12),
        id_number="110101199005120013",
        domicile="某某市某某区某某路1号",
        mailing_address="某某市某某区某某路1号3单元201室",
        phone="13800000000",
    ),
    Party(
        role=Party.Role.RESPONDENT,
        kind=Party.Kind.EMPLOYER,
        name="某某商贸有限公司",
        domicile="某某市某某区某某大街100号",
        credit_code="91000000MA00000000",
        legal_representative="李四",
        legal_representative_title="执行董事",
        phone="0000-88880000",
    ),
)
SAMPLE_COMMISSION = "示例市劳动人事争议仲裁委员会"
SAMPLE_AGENT = Agent(kind=Agent.Kind.LAWYER, name="王五", firm="某某律师事务所")


def _sample_party(pk: int, party: Party, agents: list[Agent]) -> dict[str, Any]:
    """A party as ``context.party_context`` gives it, made without the database."""
    return {**party_context(party, agents=agents), "pk": pk}


def sample_context(code: str, *, on: date | None = None) -> dict[str, Any]:
    """A representative case in the shape of ``context.document_context``: what a new text is
    rendered against before it is stored, and what a preview without a case shows."""
    today = on or timezone.localdate()
    entry = catalogue.template(code)
    number = f"示劳人仲案字〔{today.year}〕第1号"
    parties = [
        _sample_party(1, SAMPLE_PARTIES[0], [SAMPLE_AGENT]),
        _sample_party(2, SAMPLE_PARTIES[1], []),
    ]
    received = today - timedelta(days=12)
    return {
        "commission": {
            "name": SAMPLE_COMMISSION,
            "abbreviation": "示",
            "address": "示例市示例区人民路1号",
            "phone": "0000-12345678",
            "postcode": "000000",
            "institute": "示例市劳动人事争议仲裁院",
        },
        "case": {
            "pk": 0,
            "number": number,
            "category": "劳动争议",
            "labor": True,
            "cause": "remuneration",
            "cause_name": "劳动报酬争议",
            "collective": False,
            "simplified": False,
            "public_hearing": True,
            "sole": False,
            "facts_and_reasons": "申请人于2024年3月入职被申请人处，被申请人拖欠工资。",
            **dates("received_on", received),
            **dates("accepted_on", received + timedelta(days=3)),
        },
        "parties": parties,
        "applicants": [parties[0]],
        "respondents": [parties[1]],
        "third_parties": [],
        "claims": [
            {"number": 1, "description": "支付拖欠工资", "amount": amount(Decimal("12000"))},
            {
                "number": 2,
                "description": "支付解除劳动合同经济补偿",
                "amount": amount(Decimal("9000")),
            },
        ],
        "arbitrators": [
            {"seat": "presiding", "title": "首席仲裁员", "name": "赵六"},
            {"seat": "member", "title": "仲裁员", "name": "钱七"},
            {"seat": "member", "title": "仲裁员", "name": "孙八"},
        ],
        "recorder": "周九",
        **dates("today", today),
        "doc": {
            "title": entry.title,
            "number": number,
            "body": "示例正文。",
            "body_lines": ["示例正文。"],
            "data": {},
            "decision_kind": entry.variant if entry.kind == "decision" else "",
            **dates("issued_on", today),
        },
    }
