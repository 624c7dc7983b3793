"""The text of record of a 裁决书 and a 调解书 (spec §5.2), as sections computed once.

The issuing service stores the sections in the document's data, where the catalogue template
(``documents/texts/award*.txt``, ``mediation_document.txt``) lays them out as the official
document, and joins them into ``CaseDocument.body``, the plain text that the API, the print page
and search read. One computation, two layouts: they cannot disagree.

A 裁决书 and a 调解书 are the commission's legal documents, in the official language whatever
the language of the officer's screen: their sentences are content, not interface. Free text from
the tribunal becomes paragraphs, one a line; a line that would read as a markup directive
(``@…``) starts with a full-width ＠ instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from zhongcai.documents.chinese import cn_amount, cn_count, figure_date

from . import finality
from .models import (
    Award,
    AwardItem,
    Case,
    Hearing,
    MinimumWage,
    Party,
    SuspensionReason,
    TribunalKind,
    TribunalMember,
)

if TYPE_CHECKING:
    from zhongcai.orgs.models import Person

    from .award import _Row

ROLE_TITLES = {
    Party.Role.APPLICANT: "申请人",
    Party.Role.RESPONDENT: "被申请人",
    Party.Role.THIRD_PARTY: "第三人",
}
SEAT_TITLES = {
    TribunalMember.Seat.SOLE: "仲裁员",
    TribunalMember.Seat.PRESIDING: "首席仲裁员",
    TribunalMember.Seat.MEMBER: "仲裁员",
}
# 办案规则 art. 47 (1)–(7), in its words.
SUSPENSION_TEXTS = {
    SuspensionReason.WORKER_DIED: "劳动者一方死亡，需要等待继承人表明是否参加仲裁",
    SuspensionReason.WORKER_INCAPACITATED: "劳动者一方丧失民事行为能力，尚未确定法定代理人参加仲裁",
    SuspensionReason.EMPLOYER_TERMINATED: "用人单位终止，尚未确定权利义务承继者",
    SuspensionReason.FORCE_MAJEURE: "一方当事人因不可抗拒的事由，不能参加仲裁",
    SuspensionReason.DEPENDS_ON_OTHER_CASE: (
        "案件审理需要以其他案件的审理结果为依据，且其他案件尚未审结"
    ),
    SuspensionReason.AWAITING_APPRAISAL: "案件处理需要等待工伤认定、伤残等级鉴定以及其他鉴定结论",
    SuspensionReason.OTHER: "有其他应当中止仲裁审理的情形",
}
NO_DEFENCE = "被申请人未提交书面答辩意见。"
HEADINGS = {
    "reasoning": "本委认为：",
    "grounds": "先予执行的理由：",
}
DISSENT_NOTE = (
    "本裁决按多数仲裁员的意见作出，不同意见已记入笔录（《劳动争议调解仲裁法》第四十五条）。"
)
ADVANCE_NOTICE = (
    "本裁决由本委移送人民法院执行；劳动者申请先予执行的，可以不提供担保"
    "（《劳动争议调解仲裁法》第四十四条）。"
)
MEDIATION_EFFECT = (
    "本调解书经双方当事人签收后，即发生法律效力（《劳动争议调解仲裁法》第四十二条）。"
)
MEDIATION_AGREED = "本案经仲裁庭主持调解，双方当事人自愿达成如下协议："


def safe(line: str) -> str:
    """One line of the tribunal's text, never read as a markup directive."""
    line = line.strip()
    return f"＠{line[1:]}" if line.startswith("@") else line


def paragraphs(text: str) -> list[str]:
    return [safe(line) for line in (text or "").splitlines() if line.strip()]


def stop(text: str) -> str:
    """The sentence with one full stop: 支付工资 → 支付工资。"""
    text = text.strip().rstrip("。；;.")
    return f"{text}。" if text else ""


def _names(parties: Sequence[Party]) -> str:
    return "、".join(p.name for p in parties)


def _sides(case: Case) -> tuple[list[Party], list[Party]]:
    parties = list(case.parties.all())
    return (
        [p for p in parties if p.role == Party.Role.APPLICANT],
        [p for p in parties if p.role == Party.Role.RESPONDENT],
    )


def _seated(case: Case) -> list[TribunalMember]:
    """The arbitrators, the presiding one first."""
    members = (
        case.tribunal.filter(ended_at__isnull=True)
        .exclude(seat=TribunalMember.Seat.RECORDER)
        .select_related("person")
        .order_by("pk")
    )
    return sorted(members, key=lambda m: m.seat == TribunalMember.Seat.MEMBER)


def _recorder(case: Case) -> str:
    member = (
        case.tribunal.filter(ended_at__isnull=True, seat=TribunalMember.Seat.RECORDER)
        .select_related("person")
        .first()
    )
    return member.person.name if member else ""


def opening(case: Case) -> str:
    """申请人王某与被申请人某公司劳动报酬争议一案，申请人于…申请仲裁，本委于…受理。"""
    from zhongcai.documents.context import cause_name

    applicants, respondents = _sides(case)
    text = f"申请人{_names(applicants)}与被申请人{_names(respondents)}{cause_name(case)}一案"
    if case.received_at:
        text += f"，申请人于{figure_date(timezone.localdate(case.received_at))}向本委申请仲裁"
    if case.accepted_on:
        text += f"，本委于{figure_date(case.accepted_on)}依法受理"
    return f"{text}。"


def _tribunal_sentence(case: Case, members: list[TribunalMember]) -> str:
    if not members:
        return ""
    procedure = "，适用简易程序" if case.simplified else ""
    if case.tribunal_kind == TribunalKind.SOLE or len(members) == 1:
        return f"本委指定仲裁员{members[0].person.name}独任审理本案{procedure}"
    presiding = [m.person.name for m in members if m.seat == TribunalMember.Seat.PRESIDING]
    others = [m.person.name for m in members if m.seat != TribunalMember.Seat.PRESIDING]
    named = "、".join([f"首席仲裁员{n}" for n in presiding] + [f"仲裁员{n}" for n in others])
    return f"本委依法组成由{named}组成的仲裁庭审理本案{procedure}"


def _attendance_sentence(hearing: Hearing, parties: list[Party]) -> str:
    """Who came to the last session, and who did not (LDMAL art. 36: default)."""
    present: list[str] = []
    absent: list[str] = []
    default = False
    records = {a.party_id: a for a in hearing.attendance.all()}
    for party in parties:
        record = records.get(party.pk)
        if record is None:
            continue
        label = f"{ROLE_TITLES[Party.Role(party.role)]}{party.name}"
        agents = "、".join(a.name for a in party.agents.all())
        presence = record.presence
        if presence == record.Presence.PRESENT:
            present.append(label)
        elif presence == record.Presence.AGENT_ONLY:
            present.append(f"{label}的委托代理人{agents}" if agents else f"{label}的委托代理人")
        elif presence == record.Presence.LEFT:
            absent.append(f"{label}未经仲裁庭同意中途退庭")
            default = default or party.role == Party.Role.RESPONDENT
        elif record.justified:
            absent.append(f"{label}因正当理由未到庭")
        else:
            absent.append(f"{label}经本委书面通知，无正当理由拒不到庭")
            default = default or party.role == Party.Role.RESPONDENT
    parts = []
    if present:
        parts.append(f"{'、'.join(present)}到庭参加了庭审")
    if absent:
        parts.append("；".join(absent) + ("，仲裁庭依法缺席审理" if default else ""))
    return "；".join(parts)


def history(case: Case, *, kind: str, applicant: Party | None = None) -> list[str]:
    """The procedural history (spec §5.2 item 3): application and acceptance, the tribunal, the
    hearings (public or not), attendance and default, extensions and suspensions."""
    sentences = [opening(case).rstrip("。")]
    tribunal = _tribunal_sentence(case, _seated(case))
    if tribunal:
        sentences.append(tribunal)
    held = list(
        case.hearings.filter(opened_at__isnull=False)
        .prefetch_related("attendance")
        .order_by("opened_at", "pk")
    )
    parties = list(case.parties.prefetch_related("agents").order_by("role", "pk"))
    if held:
        days = list(dict.fromkeys(figure_date(timezone.localdate(h.opened_at)) for h in held))
        # LDMAL art. 26: hearings are public unless the parties agree otherwise.
        how = "公开开庭" if case.public_hearing else "依法不公开开庭"
        sentences.append(f"于{'、'.join(days)}{how}进行了审理")
        attendance = _attendance_sentence(held[-1], parties)
        if attendance:
            sentences.append(attendance)
    text = "，".join(sentences) + "。"
    extra = []
    extended = sum(e.days for e in case.extensions.all())
    if extended:
        # LDMAL art. 43: at most fifteen days, approved by the commission.
        extra.append(f"因案情复杂，经本委批准，本案审理期限延长{cn_count(extended)}日。")
    for suspension in case.suspensions.order_by("started_on", "pk"):
        reason = SUSPENSION_TEXTS.get(SuspensionReason(suspension.reason), "")
        resumed = f"，于{figure_date(suspension.ended_on)}恢复审理" if suspension.ended_on else ""
        extra.append(
            f"本案因{reason}，于{figure_date(suspension.started_on)}中止审理{resumed}"
            "（《劳动人事争议仲裁办案规则》第四十七条）。"
        )
    if kind == Award.Kind.PARTIAL:
        extra.append(
            "本案部分事实已经清楚，仲裁庭依法就该部分先行裁决"
            "（《劳动争议调解仲裁法》第四十三条第二款）。"
        )
    elif kind == Award.Kind.ADVANCE_EXECUTION:
        who = f"申请人{applicant.name}" if applicant else "申请人"
        extra.append(f"{who}向本委申请先予执行（《劳动争议调解仲裁法》第四十四条）。")
    else:
        extra.append("本案现已审理终结。")
    return [text, *extra]


def claims(case: Case) -> list[str]:
    """The applicant's claims as numbered items (spec §5.2 item 4)."""
    lines = []
    for claim in case.claims.order_by("number"):
        amount = f"（人民币{finality.money(claim.amount)}元）" if claim.amount is not None else ""
        lines.append(safe(f"{claim.number}. {claim.description.strip().rstrip('。')}{amount}"))
    return lines


def defence(case: Case, summary: str = "") -> list[str]:
    """The respondent's defence (spec §5.2 item 5): the tribunal's summary when it wrote one,
    else each respondent's latest written defence, else that none was filed."""
    if summary.strip():
        return paragraphs(summary)
    latest: dict[int, Any] = {}
    for entry in case.defences.select_related("party").order_by("submitted_at", "pk"):
        if entry.text.strip() and not entry.waived:
            latest[entry.party_id] = entry
    if not latest:
        return [NO_DEFENCE]
    result = []
    for entry in latest.values():
        title = ROLE_TITLES[Party.Role(entry.party.role)]
        lines = paragraphs(entry.text)
        result.append(f"{title}{entry.party.name}辩称：{lines[0]}")
        result += lines[1:]
    return result


def ruling_text(row: _Row, *, kind: str) -> str:
    """One ruling item (spec §5.2 item 9): the ruling, then obligor, obligee, the amount in
    figures and capitals, and the time to perform; a rejected item stands as written."""
    text = stop(safe(row.ruling))
    if row.outcome in ("", AwardItem.Outcome.REJECTED):
        return text
    parts = []
    if row.obligor is not None and row.obligee is not None:
        parts.append(f"义务人：{row.obligor.name}；权利人：{row.obligee.name}")
    if row.amount is not None:
        parts.append(f"金额：人民币{finality.money(row.amount)}元（{cn_amount(row.amount)}）")
    if row.perform_within_days is not None:
        start = "收到本裁决书" if kind == Award.Kind.ADVANCE_EXECUTION else "本裁决生效"
        parts.append(f"于{start}之日起{cn_count(row.perform_within_days)}日内履行")
    return f"{text}（{'；'.join(parts)}。）" if parts else text


def rulings(
    rows: Sequence[_Row], results: Sequence[finality.ItemFinality | None], *, kind: str
) -> list[dict[str, Any]]:
    """Each item with its finality statement (解释(一) art. 18); none for advance execution."""
    entries = []
    for row, result in zip(rows, results, strict=True):
        statement = ""
        if kind != Award.Kind.ADVANCE_EXECUTION and result is not None:
            statement = finality.item_statement(result.final)
        entries.append(
            {
                "number": row.number,
                "number_cn": cn_count(row.number),
                "text": ruling_text(row, kind=kind),
                "statement": statement,
                "final": result.final if result is not None else None,
            }
        )
    return entries


def rights(
    rows: Sequence[_Row], results: Sequence[finality.ItemFinality | None], *, kind: str
) -> list[str]:
    """The rights notice (LDMAL arts. 47–51) from the classification; advance execution's own."""
    if kind == Award.Kind.ADVANCE_EXECUTION:
        return [ADVANCE_NOTICE]
    known = [(r.number, res.final) for r, res in zip(rows, results, strict=True) if res]
    if not known or len(known) < len(rows):
        return []
    return finality.rights_notice(known)


def signatures(case: Case, dissenting: Person | None) -> list[dict[str, str]]:
    """The arbitrators as they sign (spec §5.2 item 11); a dissenter is marked."""
    return [
        {
            "title": SEAT_TITLES.get(TribunalMember.Seat(m.seat), "仲裁员"),
            "name": m.person.name,
            "note": "（持不同意见）" if dissenting and m.person_id == dissenting.pk else "",
        }
        for m in _seated(case)
    ]


def wage_note(wage: MinimumWage | None) -> str:
    if wage is None:
        return ""
    standard = finality.WageStandard(
        monthly=wage.monthly, place=wage.division.name, effective_from=wage.effective_from
    )
    return (
        f"本裁决作出之日本委所在地月最低工资标准为{finality.money(standard.monthly)}元"
        f"（{standard.place}，自{figure_date(standard.effective_from)}起执行），"
        f"十二个月金额为{finality.money(standard.threshold)}元。"
    )


def award_sections(
    case: Case,
    *,
    kind: str,
    rows: Sequence[_Row],
    results: Sequence[finality.ItemFinality | None],
    wage: MinimumWage | None,
    facts: str,
    reasoning: str,
    legal_basis: str,
    defence_summary: str = "",
    dissenting: Person | None = None,
    applicant: Party | None = None,
) -> dict[str, Any]:
    """The 裁决书's sections in the order of spec §5.2 (JSON-safe: strings and lists)."""
    return {
        "history": history(case, kind=kind, applicant=applicant),
        "claims": claims(case),
        "defence": defence(case, defence_summary),
        "facts": paragraphs(facts),
        "reasoning_heading": HEADINGS[
            "grounds" if kind == Award.Kind.ADVANCE_EXECUTION else "reasoning"
        ],
        "reasoning": paragraphs(reasoning),
        "legal_basis": paragraphs(legal_basis),
        "wage_note": wage_note(wage),
        "dissent_note": DISSENT_NOTE if dissenting is not None else "",
        "rulings": rulings(rows, results, kind=kind),
        "rights": rights(rows, results, kind=kind),
        "signatures": signatures(case, dissenting),
        "recorder": _recorder(case),
    }


def party_lines(case: Case) -> list[str]:
    """The parties with their agents, as the templates print them (spec §5.2 item 2)."""
    from zhongcai.documents.context import party_context

    lines: list[str] = []
    for party in case.parties.prefetch_related("agents").order_by("pk"):
        lines += party_context(party)["lines"]
    return lines


def _signature_lines(sections: dict[str, Any], day: date) -> list[str]:
    lines = [f"{s['title']}：{s['name']}{s['note']}" for s in sections["signatures"]]
    lines.append(f"{day.year}年{day.month}月{day.day}日")
    if sections.get("recorder"):
        lines.append(f"书记员：{sections['recorder']}")
    return lines


def award_body(case: Case, title: str, sections: dict[str, Any], *, made_on: date) -> str:
    """The plain text of the 裁决书: the sections in order, a line each."""
    lines = [case.commission.name, title, case.case_number, "", *party_lines(case), ""]
    lines += sections["history"]
    lines += ["", "仲裁请求：", *sections["claims"]]
    lines += ["", "答辩意见：", *sections["defence"]]
    if sections["facts"]:
        lines += ["", "经审理查明：", *sections["facts"]]
    lines += ["", sections["reasoning_heading"], *sections["reasoning"]]
    lines += ["", "法律依据：", *sections["legal_basis"]]
    for note in ("wage_note", "dissent_note"):
        if sections[note]:
            lines += ["", sections[note]]
    lines += ["", "裁决如下："]
    lines += [f"{r['number_cn']}、{r['text']}{r['statement']}" for r in sections["rulings"]]
    lines += ["", *sections["rights"]]
    lines += ["", *_signature_lines(sections, made_on)]
    return "\n".join(lines)


def mediation_sections(case: Case, items: Sequence[str]) -> dict[str, Any]:
    """调解书 (LDMAL art. 42): who, what was claimed, what was agreed, who signs."""
    return {
        "history": [opening(case)],
        "claims": claims(case),
        "agreed": MEDIATION_AGREED,
        "agreement": [
            {"number_cn": cn_count(n), "text": stop(safe(item))}
            for n, item in enumerate(items, start=1)
        ],
        "effect": MEDIATION_EFFECT,
        "signatures": signatures(case, None),
        "recorder": _recorder(case),
    }


def mediation_body(case: Case, sections: dict[str, Any], *, day: date) -> str:
    lines = [case.commission.name, "调解书", case.case_number, "", *party_lines(case), ""]
    lines += sections["history"]
    lines += ["", "仲裁请求：", *sections["claims"]]
    lines += ["", sections["agreed"]]
    lines += [f"{a['number_cn']}、{a['text']}" for a in sections["agreement"]]
    lines += ["", sections["effect"], "", *_signature_lines(sections, day)]
    return "\n".join(lines)
