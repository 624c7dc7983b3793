"""The text of the 调解协议书 and of the 调解书 a commission issues after arbitral review: the
document blocks (``documents.markup``), their digest, the PDFs and the court package.

The agreement's blocks are frozen when it is drafted: what each party signs is their SHA-256
(LDMAL art. 14; 人民法院在线调解规则 art. 19). The PDF made when the organisation seals adds the
signature record and the seal over the organisation's name; the blocks themselves never change.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date
from typing import Any

from django.utils import timezone, translation

from zhongcai.cases.taxonomy import ClaimType
from zhongcai.core.events import events_of
from zhongcai.documents.chinese import cn_amount, cn_count, cn_date, figure_date
from zhongcai.documents.markup import Block

from .models import Agreement, MediationCase, MediationParty, Review

ROLE_LABEL = {MediationParty.Role.APPLICANT: "申请人", MediationParty.Role.RESPONDENT: "被申请人"}
SIDE_LABEL = {**ROLE_LABEL, "mediator": "调解员"}


def digest(blocks: list[dict[str, Any]]) -> str:
    """SHA-256 of the blocks' canonical JSON: what a signature refers to."""
    data = json.dumps(blocks, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _party_line(party: MediationParty) -> str:
    label = ROLE_LABEL.get(party.role, party.role)
    if party.kind == MediationParty.Kind.EMPLOYER:
        parts = [f"{label}：{party.name}"]
        if party.credit_code:
            parts.append(f"统一社会信用代码{party.credit_code}")
        if party.domicile:
            parts.append(f"住所{party.domicile}")
        return _one("，".join(parts) + "。")
    parts = [f"{label}：{party.name}"]
    if party.sex:
        parts.append({"male": "男", "female": "女"}.get(party.sex, party.sex))
    if party.birth_date:
        parts.append(f"{figure_date(party.birth_date)}出生")
    if party.id_number:
        parts.append(f"公民身份号码{party.id_number}")
    if party.domicile:
        parts.append(f"住{party.domicile}")
    return _one("，".join(parts) + "。")


def _one(text: object) -> str:
    """Typed text on one line: a newline typed by a user never starts a block of its own."""
    return " ".join(str(text or "").split())


def _blocks(lines: list[str]) -> list[dict[str, Any]]:
    """``"@kind text"`` lines (built here, never typed) as blocks; any other line is a paragraph."""
    blocks = []
    for line in lines:
        if not line:
            continue
        kind, _space, text = line[1:].partition(" ") if line.startswith("@") else ("p", "", line)
        blocks.append(Block(kind, text).as_json())
    return blocks


def _representative_line(party: MediationParty) -> str:
    """法定代表人：赵建国，执行董事。 as the commission's documents write it
    (``documents.context.party_line``); without a position, the name alone."""
    name = _one(party.legal_representative)
    title = _one(party.legal_representative_title)
    return f"法定代表人：{name}，{title}。" if title else f"法定代表人：{name}。"


def _parties(case: MediationCase) -> list[str]:
    lines = []
    for party in case.parties.order_by("role", "pk"):
        lines.append(f"@plain {_party_line(party)}")
        if party.kind == MediationParty.Kind.EMPLOYER and party.legal_representative:
            lines.append(f"@plain {_representative_line(party)}")
    return lines


def _item_lines(items: list[dict[str, Any]]) -> list[str]:
    lines = []
    for index, item in enumerate(items, start=1):
        text = _one(item["description"])
        if item.get("amount"):
            text += f"（金额：{cn_amount(item['amount'])}）"
        lines.append(f"@item {cn_count(index)}、{text}")
    return lines


def _claims(case: MediationCase) -> str:
    labels = dict(ClaimType.choices)
    parts = []
    for claim in case.claims.order_by("number"):
        text = str(labels.get(claim.type, claim.type))
        if claim.amount is not None:
            text += f" {cn_amount(claim.amount)}"
        parts.append(f"{claim.number}. {text}")
    return "；".join(parts)


def agreement_blocks(
    case: MediationCase, number: str, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The 调解协议书: parties, the dispute, the agreed items, performance, the paths after it
    (arbitral review within 15 days, 办案规则 art. 74; court within 30 days, 人民调解法 art. 33)
    and the signature lines."""
    with translation.override("zh-hans"):
        parties = list(case.parties.order_by("role", "pk"))
        mediator = _one(case.mediator.name) if case.mediator else ""
        facts = _one(case.facts)
        lines = [
            f"@caption {case.organisation.name}",
            "@title 调解协议书",
            f"@number {number}",
            *_parties(case),
            "@heading 争议事项：",
            f"申请人请求：{_claims(case)}。" if case.claims.exists() else "",
            f"@p {facts}" if facts else "",
            f"@heading 经{case.organisation.name}主持调解，双方当事人自愿达成如下协议：",
            *_item_lines(items),
            "@heading 履行及其他：",
            "双方当事人应当按照本协议约定履行。一方当事人在约定期限内不履行的，另一方当事人可以"
            "依法申请仲裁（《中华人民共和国劳动争议调解仲裁法》第十五条）。",
            "双方当事人可以自本协议生效之日起十五日内，共同向有管辖权的劳动人事争议仲裁委员会"
            "申请仲裁审查；也可以自本协议生效之日起三十日内，共同向人民法院申请司法确认。",
            "本协议经双方当事人签名或者盖章、调解员签名并经调解组织盖章后生效（《中华人民共和国"
            "劳动争议调解仲裁法》第十四条），以电子签名和电子印章完成。",
            *[f"@sign {ROLE_LABEL.get(p.role, p.role)}：{p.name}" for p in parties],
            f"@sign 调解员：{mediator}",
        ]
    return _blocks([line for line in lines if line])


def agreement_pdf_blocks(agreement: Agreement) -> list[Block]:
    """The frozen blocks, the organisation's seal over its name and the effective date, and the
    record of every electronic signature (who, when, which digest)."""
    blocks = [Block.from_json(item) for item in agreement.content]
    effective = timezone.localdate(agreement.effective_at or timezone.now())
    blocks += [
        Block("sign", f"{agreement.case.organisation.name}（印章）"),
        Block("date", cn_date(effective)),
        Block("seal"),
        Block("space"),
        Block("note", f"电子签名记录（协议文本SHA-256：{agreement.content_sha256}）"),
    ]
    for signature in agreement.signatures.order_by("signed_at", "pk"):
        at = timezone.localtime(signature.signed_at).strftime("%Y-%m-%d %H:%M:%S")
        side = SIDE_LABEL.get(signature.side, signature.side)
        blocks.append(Block("note", f"{side} {signature.name} 于{at}签名"))
    return blocks


def agreement_pdf(agreement: Agreement) -> bytes:
    """The sealed agreement's PDF. The organisation's seal is drawn from its name (a mediation
    organisation uploads none yet)."""
    from zhongcai.documents.render import to_pdf
    from zhongcai.documents.seal import data_uri, drawn_seal

    seal = data_uri(drawn_seal(agreement.case.organisation.name, footer=""))
    return to_pdf(agreement_pdf_blocks(agreement), seal_uri=seal, title="调解协议书")


def mediation_document_blocks(review: Review, number: str, today: date) -> list[dict[str, Any]]:
    """The 调解书 issued after review, consistent with the agreement (办案规则 art. 77); it takes
    effect when both parties sign for it (LDMAL art. 42)."""
    case = review.case
    agreement = case.agreement
    effective = timezone.localdate(agreement.effective_at)
    requested = timezone.localdate(review.requested_at or timezone.now())
    lines = [
        f"@caption {review.commission.name}",
        "@title 调解书",
        f"@number {number}",
        *_parties(case),
        f"申请人与被申请人劳动人事争议一案，经{case.organisation.name}主持调解，双方当事人于"
        f"{figure_date(effective)}达成调解协议（{agreement.number}），并于{figure_date(requested)}"
        "共同向本委申请仲裁审查。本委依法受理并进行了审查。",
        "经审查，该调解协议系双方当事人的真实意思表示，内容不违反法律、行政法规的强制性规定。"
        "依照《劳动人事争议仲裁办案规则》第七十四条至第七十七条的规定，确认双方当事人达成协议"
        "如下：",
        *_item_lines(agreement.items),
        "本调解书经双方当事人签收后，即发生法律效力。",
        f"@sign {review.commission.name}",
        f"@date {cn_date(today)}",
        "@seal",
    ]
    return _blocks(lines)


def mediation_document_pdf(review: Review) -> bytes:
    """The 调解书's PDF with the commission's seal (its uploaded image, else a drawn one)."""
    from zhongcai.documents.render import to_pdf
    from zhongcai.documents.seal import data_uri, seal_png

    blocks = [Block.from_json(item) for item in review.content]
    return to_pdf(blocks, seal_uri=data_uri(seal_png(review.commission)), title="调解书")


def court_summary(case: MediationCase) -> dict[str, Any]:
    """What a court needs to confirm the agreement (人民调解法 art. 33; 民诉法 art. 205): the
    parties, the items, the signatures with times and digests, and the head of the case's
    event chain (which makes any later edit of the history detectable)."""
    agreement = case.agreement
    events = events_of(case)
    last = events.order_by("-seq").values("seq", "hash").first() or {}
    return {
        "case": case.pk,
        "dispute": str(case.dispute),
        "organisation": case.organisation.name,
        "agreement": {
            "number": agreement.number,
            "content_sha256": agreement.content_sha256,
            "pdf_sha256": agreement.pdf_sha256,
            "effective_at": agreement.effective_at.isoformat() if agreement.effective_at else None,
            "items": agreement.items,
        },
        "parties": [
            {
                "role": p.role,
                "kind": p.kind,
                "name": p.name,
                "id_number": p.id_number,
                "credit_code": p.credit_code,
            }
            for p in case.parties.order_by("role", "pk")
        ],
        "signatures": [
            {
                "side": s.side,
                "name": s.name,
                "signed_at": s.signed_at.isoformat(),
                "content_sha256": s.content_sha256,
            }
            for s in agreement.signatures.order_by("signed_at", "pk")
        ],
        "court": case.court,
        "event_chain": {"events": last.get("seq", 0), "head_sha256": last.get("hash", "")},
    }


def court_package(case: MediationCase) -> bytes:
    """A zip for the court: the sealed agreement's PDF and ``summary.json``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        agreement = case.agreement
        if agreement.pdf:
            with agreement.pdf.open("rb") as handle:
                archive.writestr(f"{agreement.number}.pdf", handle.read())
        summary = json.dumps(court_summary(case), ensure_ascii=False, indent=2)
        archive.writestr("summary.json", summary)
    return buffer.getvalue()
