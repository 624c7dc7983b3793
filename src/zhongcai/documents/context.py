"""The data a template sees: the case as of now, in the words documents use.

``case_context(case)`` is the same for every template: the commission as it signs, the case
number, parties with their agents, the claims, the tribunal, the key dates. A document adds its
own under ``doc`` (its number, its body text, the data the issuing step recorded). Dates are
given both as ``date`` objects and formatted (``*_cn`` 二〇二六年…, ``*_text`` 2026年…).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhongcai.cases.award_text import ROLE_TITLES
from zhongcai.cases.award_text import SEAT_TITLES as ARBITRATOR_SEATS
from zhongcai.cases.models import Agent, Case, CaseDocument, Party, TribunalMember
from zhongcai.cases.numbering import profile_of

from .chinese import cn_amount, cn_date, figure_date, money

SEAT_TITLES = {**ARBITRATOR_SEATS, TribunalMember.Seat.RECORDER: "书记员"}
SEX_TEXT = {"male": "男", "female": "女"}
AGENT_KIND_TEXT = {
    Agent.Kind.LAWYER: "律师",
    Agent.Kind.LEGAL_WORKER: "基层法律服务工作者",
    Agent.Kind.RELATIVE: "近亲属或工作人员",
    Agent.Kind.UNION: "工会推荐的公民",
    Agent.Kind.STATUTORY: "法定代理人",
}


def dates(prefix: str, day: date | None) -> dict[str, Any]:
    if day is None:
        return {prefix: None, f"{prefix}_cn": "", f"{prefix}_text": ""}
    return {prefix: day, f"{prefix}_cn": cn_date(day), f"{prefix}_text": figure_date(day)}


def amount(value: Decimal | None) -> dict[str, str]:
    if value is None:
        return {"figures": "", "capitals": ""}
    return {"figures": money(value), "capitals": cn_amount(value)}


def agent_line(agent: Agent) -> str:
    """委托代理人：王五，山东某某律师事务所律师。"""
    kind = Agent.Kind(agent.kind)
    if kind == Agent.Kind.LAWYER and agent.firm:
        what = f"{agent.firm}律师"
    elif agent.firm:
        what = f"{agent.firm}{AGENT_KIND_TEXT[kind]}"
    else:
        what = AGENT_KIND_TEXT[kind]
    title = "法定代理人" if kind == Agent.Kind.STATUTORY else "委托代理人"
    return f"{title}：{agent.name}，{what}。"


def party_line(party: Party) -> str:
    """The party as a 裁决书 introduces it (spec §5.2 item 2)."""
    title = ROLE_TITLES[Party.Role(party.role)]
    if party.kind == Party.Kind.EMPLOYER:
        details = [party.name]
        if party.domicile:
            details.append(f"住所地{party.domicile}")
        if party.credit_code:
            details.append(f"统一社会信用代码{party.credit_code}")
        line = f"{title}：{'，'.join(details)}。"
        if party.legal_representative:
            rep_title = party.legal_representative_title or "法定代表人"
            line += f"\n法定代表人：{party.legal_representative}，{rep_title}。"
        return line
    details = [party.name]
    if party.sex:
        details.append(SEX_TEXT.get(party.sex, ""))
    if party.birth_date:
        details.append(f"{figure_date(party.birth_date)}出生")
    if party.id_number:
        details.append(f"公民身份号码{party.id_number}")
    if party.domicile:
        details.append(f"住{party.domicile}")
    return f"{title}：{'，'.join(d for d in details if d)}。"


def party_context(party: Party, *, agents: list[Agent] | None = None) -> dict[str, Any]:
    """The party as templates see it; ``agents`` given, no query is made (the sample case)."""
    agents = list(party.agents.all()) if agents is None else agents
    return {
        "pk": party.pk,
        "role": party.role,
        "role_title": ROLE_TITLES[Party.Role(party.role)],
        "kind": party.kind,
        "employer": party.kind == Party.Kind.EMPLOYER,
        "name": party.name,
        "sex": SEX_TEXT.get(party.sex, ""),
        **dates("birth_date", party.birth_date),
        "id_number": party.id_number,
        "credit_code": party.credit_code,
        "legal_representative": party.legal_representative,
        "legal_representative_title": party.legal_representative_title or "法定代表人",
        "domicile": party.domicile,
        "mailing_address": party.mailing_address or party.domicile,
        "phone": party.phone,
        "lines": party_line(party).split("\n") + [agent_line(a) for a in agents],
        "agents": [{"name": a.name, "line": agent_line(a)} for a in agents],
    }


def commission_context(case: Case) -> dict[str, Any]:
    commission = case.commission
    profile = profile_of(commission)
    return {
        "name": profile.document_name or commission.name,
        "abbreviation": profile.abbreviation,
        "address": profile.address,
        "phone": profile.phone,
        "postcode": profile.postcode,
        "institute": case.institute.name if case.institute_id else "",
    }


def case_context(case: Case, *, on: date | None = None) -> dict[str, Any]:
    """Everything about the case that templates use, read in a fixed number of queries."""
    today = on or timezone.localdate()
    parties = [party_context(p) for p in case.parties.prefetch_related("agents").order_by("pk")]
    claims = [
        {
            "number": c.number,
            "description": c.description.strip().rstrip("。"),
            "amount": amount(c.amount),
        }
        for c in case.claims.order_by("number")
    ]
    members = list(
        case.tribunal.filter(ended_at__isnull=True).select_related("person").order_by("seat", "pk")
    )
    arbitrators = [
        {"seat": m.seat, "title": SEAT_TITLES[TribunalMember.Seat(m.seat)], "name": m.person.name}
        for m in members
        if m.seat != TribunalMember.Seat.RECORDER
    ]
    recorder = next((m.person.name for m in members if m.seat == TribunalMember.Seat.RECORDER), "")
    return {
        "commission": commission_context(case),
        "case": {
            "pk": case.pk,
            "number": case.case_number,
            "category": case.get_category_display(),
            "labor": case.category == "labor",
            "cause": case.primary_cause,
            "cause_name": cause_name(case),
            "collective": case.collective,
            "simplified": case.simplified,
            "public_hearing": case.public_hearing,
            "sole": case.tribunal_kind == "sole",
            "facts_and_reasons": case.facts_and_reasons,
            **dates(
                "received_on", timezone.localdate(case.received_at) if case.received_at else None
            ),
            **dates("accepted_on", case.accepted_on),
        },
        "parties": parties,
        "applicants": [p for p in parties if p["role"] == Party.Role.APPLICANT],
        "respondents": [p for p in parties if p["role"] == Party.Role.RESPONDENT],
        "third_parties": [p for p in parties if p["role"] == Party.Role.THIRD_PARTY],
        "claims": claims,
        "arbitrators": arbitrators,
        "recorder": recorder,
        **dates("today", today),
    }


# 案由 as documents write them (spec §7.2).
CAUSE_NAMES = {
    "labor_relationship": "确认劳动关系争议",
    "contract": "劳动合同争议",
    "termination": "解除、终止劳动合同争议",
    "dismissal": "除名、辞退、辞职和离职争议",
    "working_time": "工作时间争议",
    "rest_leave": "休息休假争议",
    "social_insurance": "社会保险争议",
    "welfare": "福利争议",
    "training": "培训争议",
    "labor_protection": "劳动保护争议",
    "remuneration": "劳动报酬争议",
    "work_injury": "工伤医疗费及待遇争议",
    "economic_compensation": "经济补偿争议",
    "damages": "赔偿金争议",
    "personnel": "人事争议",
    "other": "其他劳动争议",
}


def cause_name(case: Case) -> str:
    """The dispute cause (案由) as words: 劳动报酬争议."""
    code = case.primary_cause or (case.causes[0] if case.causes else "")
    if code in CAUSE_NAMES:
        return CAUSE_NAMES[code]
    return "劳动争议" if case.category == "labor" else "人事争议"


def document_context(document: CaseDocument, *, on: date | None = None) -> dict[str, Any]:
    """The case context plus the document's own: its number, title, body and data."""
    issued = timezone.localdate(document.issued_at) if document.issued_at else on
    context = case_context(document.case, on=issued)
    context["doc"] = {
        "title": document.title,
        "number": document.number or document.case.case_number,
        "body": document.body,
        "body_lines": [line.strip() for line in document.body.splitlines() if line.strip()],
        "data": document.data or {},
        "decision_kind": document.decision_kind,
        **dates("issued_on", issued),
    }
    return context
