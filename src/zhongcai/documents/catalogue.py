"""The catalogue of commission documents (spec §5.1): what each is, who issues and signs it.

Each entry names its template text (``texts/<code>.txt``), the case document kind it is issued
as, the step that issues it, who signs it, its legal basis (citations the law library links),
the volume of the file it goes to (办案规则 arts. 21–22), and whom it must be served on.

``source`` says where a document comes from:

* ``issued`` — a step of the procedure issues it as a ``CaseDocument``; its content is frozen
  then, and its PDF is sealed and signed;
* ``record`` — it is the printed form of a record (送达回证 of a service record, 庭审笔录 of a
  hearing record): made from the record whenever asked, the record being the fact;
* ``file`` — a part of the case file itself (案卷封面, 卷内目录), made when the file is assembled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from zhongcai.cases.models import DecisionKind, DocumentKind, Volume

TEXTS = Path(__file__).resolve().parent / "texts"

LDMAL = "《劳动争议调解仲裁法》"
RULES = "《劳动人事争议仲裁办案规则》"
CIVIL = "《民事诉讼法》"


class Signer(StrEnum):
    SEAL = "seal"  # the commission's seal
    ARBITRATORS = "arbitrators"  # the arbitrators sign, with the seal
    INSTITUTE = "institute"  # the arbitration institute (仲裁院) on the commission's behalf
    HANDLER = "handler"  # the officer who handles the step signs (internal forms)
    RECIPIENT = "recipient"  # the addressee signs (送达回证)
    SYSTEM = "system"  # issued by the platform (收件回执)


class Served(StrEnum):
    NONE = ""
    APPLICANTS = "applicants"
    RESPONDENTS = "respondents"
    PARTIES = "parties"  # every party of the case
    ADDRESSEE = "addressee"  # the party named in the document's data ("party")


@dataclass(frozen=True)
class Template:
    code: str
    title: str  # as printed on the document
    name: object  # the catalogue's name in the user's language
    kind: str
    issued_by: str  # the workflow action, or a description for record/file documents
    signer: Signer
    basis: tuple[str, ...]
    volume: str = Volume.MAIN
    served: Served = Served.NONE
    variant: str = ""  # decision kind, award kind, or approval form
    source: str = "issued"
    sealed: bool = True
    notes: tuple[str, ...] = field(default=())

    @property
    def path(self) -> Path:
        return TEXTS / f"{self.code}.txt"

    def default_text(self) -> str:
        return self.path.read_text(encoding="utf-8")


K = DocumentKind
D = DecisionKind

CATALOGUE: tuple[Template, ...] = (
    Template("receipt", "收件回执", _("Receipt"), K.RECEIPT, "submit", Signer.SYSTEM,
             (f"{RULES}第二十九条",), sealed=False,
             # Handed over at the counter, or shown on screen to an online applicant, when
             # the application is received: not a document served afterwards.
             notes=("Given on receipt (办案规则 art. 29); not served.",)),
    Template("correction_notice", "补正通知书", _("Correction notice"), K.CORRECTION_NOTICE,
             "issue_correction_notice", Signer.INSTITUTE, (f"{RULES}第二十九条",),
             served=Served.APPLICANTS),
    Template("acceptance_notice", "受理通知书", _("Acceptance notice"), K.ACCEPTANCE_NOTICE,
             "accept", Signer.SEAL, (f"{LDMAL}第二十九条", f"{RULES}第三十条"),
             served=Served.APPLICANTS),
    Template("refusal_notice", "不予受理通知书", _("Notice of refusal to accept"),
             K.REFUSAL_NOTICE, "refuse", Signer.SEAL, (f"{LDMAL}第二十九条", f"{RULES}第三十条"),
             served=Served.APPLICANTS),
    Template("jurisdiction_notice", "管辖告知书", _("Notice of the competent commission"),
             K.JURISDICTION_NOTICE, "redirect", Signer.SEAL, (f"{RULES}第三十一条",),
             served=Served.APPLICANTS),
    Template("filing_approval", "立案审批表", _("Filing approval form"), K.FILING_APPROVAL,
             "accept", Signer.HANDLER, (f"{RULES}第三十条",), volume=Volume.SECONDARY,
             sealed=False),
    Template("response_notice", "应诉通知书", _("Notice to respond"), K.RESPONSE_NOTICE,
             "serve_application_copy", Signer.SEAL, (f"{LDMAL}第三十条",),
             served=Served.ADDRESSEE),
    Template("evidence_notice", "举证通知书", _("Evidence notice"), K.EVIDENCE_NOTICE,
             "serve_application_copy", Signer.SEAL,
             (f"{LDMAL}第六条", f"{RULES}第十三条", f"{RULES}第十五条"),
             served=Served.ADDRESSEE),
    Template("tribunal_notice", "仲裁庭组成通知书", _("Notice of the tribunal's composition"),
             K.TRIBUNAL_NOTICE, "form_tribunal", Signer.SEAL, (f"{LDMAL}第三十二条",),
             served=Served.PARTIES),
    Template("hearing_notice", "开庭通知书", _("Hearing notice"), K.HEARING_NOTICE,
             "schedule_hearing", Signer.SEAL, (f"{LDMAL}第三十五条",), served=Served.PARTIES),
    Template("postponement_notice", "延期开庭通知书", _("Notice of postponement"),
             K.POSTPONEMENT_NOTICE, "decide_postponement", Signer.SEAL, (f"{LDMAL}第三十五条",),
             served=Served.PARTIES),
    Template("extension_notice", "延长审理期限通知书", _("Notice of extension"),
             K.EXTENSION_NOTICE, "extend", Signer.SEAL, (f"{LDMAL}第四十三条",),
             served=Served.PARTIES),
    Template("extension_approval", "延期审理审批表", _("Approval form: extension"),
             K.APPROVAL_FORM, "extend", Signer.HANDLER, (f"{LDMAL}第四十三条",),
             volume=Volume.SECONDARY, variant="extension", sealed=False),
    Template("suspension_notice", "中止审理通知书", _("Notice of suspension"),
             K.SUSPENSION_NOTICE, "suspend", Signer.SEAL, (f"{RULES}第四十七条",),
             served=Served.PARTIES),
    Template("suspension_approval", "中止审理审批表", _("Approval form: suspension"),
             K.APPROVAL_FORM, "suspend", Signer.HANDLER, (f"{RULES}第四十七条",),
             volume=Volume.SECONDARY, variant="suspension", sealed=False),
    Template("resumption_notice", "恢复审理通知书", _("Notice of resumption"),
             K.RESUMPTION_NOTICE, "resume", Signer.SEAL, (f"{RULES}第四十七条",),
             served=Served.PARTIES),
    Template("add_party_notice", "追加当事人通知书", _("Notice of an added party"),
             K.ADD_PARTY_NOTICE, "add_party", Signer.SEAL, (f"{RULES}第六条",),
             served=Served.PARTIES),
    Template("transfer_letter", "案件移送函", _("Transfer letter"), K.TRANSFER_LETTER,
             "transfer", Signer.SEAL, (f"{RULES}第九条",)),
    Template("investigation_letter", "调查取证函", _("Letter requesting evidence"),
             K.INVESTIGATION_LETTER, "issue_letter", Signer.SEAL, (f"{RULES}第十七条",)),
    Template("recommendation_letter", "仲裁建议书", _("Recommendation letter"),
             K.RECOMMENDATION_LETTER, "issue_letter", Signer.SEAL, (f"{LDMAL}第十九条",),
             notes=("Practice (2009 正卷 list); the basis is the commission's duties. [M]",)),
    Template("decision_recusal", "决定书", _("Decision: recusal"), K.DECISION,
             "decide_recusal", Signer.SEAL, (f"{LDMAL}第三十三条", f"{RULES}第十一条"),
             served=Served.PARTIES, variant=D.RECUSAL),
    Template("decision_jurisdiction", "决定书", _("Decision: jurisdiction objection"),
             K.DECISION, "decide_jurisdiction", Signer.SEAL, (f"{RULES}第十条",),
             served=Served.PARTIES, variant=D.JURISDICTION),
    Template("decision_revocation", "决定书", _("Decision: revocation of the case"), K.DECISION,
             "revoke", Signer.SEAL, (f"{RULES}第三十条", f"{RULES}第三十二条"),
             served=Served.PARTIES, variant=D.REVOCATION),
    Template("decision_withdrawal", "决定书", _("Decision: withdrawal"), K.DECISION,
             "withdraw", Signer.SEAL, (f"{LDMAL}第四十一条", f"{RULES}第三十五条"),
             served=Served.PARTIES, variant=D.WITHDRAWAL),
    Template("decision_deemed_withdrawal", "决定书", _("Decision: deemed withdrawal"),
             K.DECISION, "deem_withdrawn", Signer.SEAL, (f"{LDMAL}第三十六条",),
             served=Served.PARTIES, variant=D.DEEMED_WITHDRAWAL),
    Template("decision_suspension", "决定书", _("Decision: suspension"), K.DECISION,
             "suspend", Signer.SEAL, (f"{RULES}第四十七条",), served=Served.PARTIES,
             variant=D.SUSPENSION),
    Template("decision_award_correction", "决定书", _("Decision: correction of the award"),
             K.DECISION, "correct_award", Signer.ARBITRATORS, (f"{RULES}第五十四条",),
             served=Served.PARTIES, variant=D.AWARD_CORRECTION),
    Template("decision_transfer", "决定书", _("Decision: transfer"), K.DECISION, "transfer",
             Signer.SEAL, (f"{RULES}第九条",), served=Served.PARTIES, variant=D.TRANSFER),
    Template("award", "裁决书", _("Award"), K.AWARD, "award", Signer.ARBITRATORS,
             (f"{LDMAL}第四十六条", f"{LDMAL}第四十七条", f"{LDMAL}第四十八条",
              f"{LDMAL}第四十九条", f"{LDMAL}第五十条"),
             served=Served.PARTIES, variant="full"),
    Template("award_partial", "裁决书", _("Partial award"), K.AWARD, "partial_award",
             Signer.ARBITRATORS, (f"{LDMAL}第四十三条", f"{LDMAL}第四十六条"),
             served=Served.PARTIES, variant="partial"),
    Template("award_advance_execution", "裁决书", _("Advance-execution award"), K.AWARD,
             "advance_execution_award", Signer.ARBITRATORS, (f"{LDMAL}第四十四条",),
             served=Served.PARTIES, variant="advance_execution"),
    Template("mediation_document", "调解书", _("Mediation document"), K.MEDIATION_DOCUMENT,
             "issue_mediation_document", Signer.ARBITRATORS, (f"{LDMAL}第四十二条",),
             served=Served.PARTIES),
    Template("public_notice", "公告", _("Public notice for service"), K.PUBLIC_NOTICE,
             "serve", Signer.SEAL, (f"{CIVIL}第九十五条", f"{RULES}第二十条")),
    Template("hearing_record", "庭审笔录", _("Hearing record"), K.HEARING_RECORD,
             "write_hearing_record", Signer.ARBITRATORS, (f"{LDMAL}第四十条",), sealed=False),
    Template("deliberation_record", "评议记录", _("Deliberation record"),
             K.DELIBERATION_RECORD, "award", Signer.ARBITRATORS, (f"{LDMAL}第四十五条",),
             volume=Volume.SECONDARY, sealed=False),
    Template("closing_approval", "结案审批表", _("Closing approval form"), K.CLOSING_APPROVAL,
             "approve_closing", Signer.HANDLER, (f"{RULES}第二十二条",),
             volume=Volume.SECONDARY, sealed=False),
    Template("service_receipt", "送达回证", _("Service receipt"), K.OTHER,
             "service_record", Signer.RECIPIENT, (f"{RULES}第二十条",), source="record",
             sealed=False),
    Template("file_cover", "案卷封面", _("File cover"), K.OTHER, "case_file",
             Signer.HANDLER, (f"{RULES}第二十二条", f"{RULES}第二十四条"), source="file",
             sealed=False),
    Template("file_index", "卷内目录", _("Table of contents of the file"), K.OTHER,
             "case_file", Signer.HANDLER, (f"{RULES}第二十二条",), source="file",
             sealed=False),
)  # fmt: skip

BY_CODE: dict[str, Template] = {t.code: t for t in CATALOGUE}

# What makes the documents that no step issues (``issued_by`` of record and file documents).
SOURCE_LABELS = {
    "service_record": _("Made from each service record"),
    "case_file": _("Made when the case file is bound"),
}


def issued_by_label(entry: Template) -> object:
    """The step that issues ``entry``, in the user's language."""
    from zhongcai.cases.workflow import ACTION_LABELS

    return ACTION_LABELS.get(entry.issued_by) or SOURCE_LABELS.get(entry.issued_by, entry.issued_by)


def template(code: str) -> Template:
    return BY_CODE[code]


def template_for(kind: str, variant: str = "") -> Template | None:
    """The catalogue entry for an issued document of ``kind`` (and variant), if any."""
    for entry in CATALOGUE:
        if entry.source == "issued" and entry.kind == kind and entry.variant == (variant or ""):
            return entry
    return None
