"""Every catalogue document can be produced for a demo case, with its mandatory parts.

Issue 5's acceptance: each document of the catalogue (spec §5.1) renders for a demo case in both
formats, and its case number, parties, date, signature block and legal basis are in the text.
The case and the blocks are made once for the module (inside a transaction rolled back at once),
and each document is rendered to PDF and to DOCX once.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from zhongcai.accounts.models import User
from zhongcai.cases import award_text, finality
from zhongcai.cases.models import Award, Case, Party, TribunalMember
from zhongcai.cases.tests import factories
from zhongcai.documents import compose, markup, render
from zhongcai.documents.catalogue import BY_CODE, CATALOGUE, Signer
from zhongcai.documents.chinese import figure_date
from zhongcai.documents.context import commission_context
from zhongcai.documents.markup import Block

NUMERAL = "〇一二三四五六七八九十"
CN_DATE = re.compile(rf"二〇[{NUMERAL}]{{2}}年[{NUMERAL}]{{1,2}}月[{NUMERAL}]{{1,3}}日")
CITATION = re.compile(r"《[^《》]+》第[〇零一二三四五六七八九十百]+条")
# The award's and the mediation document's texts cite their articles where the law puts them
# (legal basis, rights notice, effect) rather than in a closing note: any citation will do.
CITE_IN_BODY = frozenset(
    {"award", "award_partial", "award_advance_execution", "mediation_document"}
)
HANDLER_TITLES = ("承办人", "审批人", "立卷人")

# The test database must exist for the module's fixture, whichever tests are selected.
pytestmark = pytest.mark.django_db


@dataclass
class Demo:
    number: str
    parties: list[str]
    commission: str
    institute: str
    arbitrators: list[str]
    blocks: dict[str, list[Block]] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    seal_uri: str = ""


def _award_sections(case: Case, worker: Party, employer: Party) -> dict[str, Any]:
    sections = award_text.award_sections(
        case,
        kind=Award.Kind.FULL,
        rows=[],
        results=[],
        wage=None,
        facts="申请人于2024年3月入职被申请人处任收银员，被申请人未支付2026年6月至8月工资。",
        reasoning="用人单位应当按时足额支付劳动者劳动报酬，被申请人应当支付拖欠的工资。",
        legal_basis="《中华人民共和国劳动合同法》第三十条",
    )
    sections["rulings"] = [
        {
            "number": 1,
            "number_cn": "一",
            "text": f"被申请人{employer.name}于本裁决生效之日起十日内支付申请人{worker.name}"
            "2026年6月至8月工资12,000.00元（人民币壹万贰仟元整）。",
            "statement": finality.item_statement(True),
            "final": True,
        }
    ]
    sections["rights"] = finality.rights_notice([(1, True)])
    return sections


def samples(case: Case) -> dict[str, tuple[dict[str, Any], str]]:
    """The data and body each code is previewed with: what its issuing step records."""
    worker = case.parties.get(role=Party.Role.APPLICANT)
    employer = case.parties.get(role=Party.Role.RESPONDENT)
    seated = list(case.tribunal.filter(ended_at__isnull=True).select_related("person"))
    arbitrator = next(m.person.name for m in seated if m.seat != TribunalMember.Seat.RECORDER)
    recorder = next(m.person.name for m in seated if m.seat == TribunalMember.Seat.RECORDER)
    seats = [{"seat": m.seat, "name": m.person.name} for m in seated]
    today = timezone.localdate()
    day = today.isoformat()
    later = (today + timedelta(days=10)).isoformat()
    earlier = (today - timedelta(days=20)).isoformat()
    other = "济南市历城区劳动人事争议仲裁委员会"
    hearing = f"{later}T09:30:00+08:00"
    hearing_text = f"{figure_date(today + timedelta(days=10))}9时30分"
    sections = _award_sections(case, worker, employer)
    return {
        "receipt": (
            {
                "receipt_number": f"SJ{today:%Y%m%d}-{case.pk:07d}-1",
                "what": "仲裁申请书",
                "received_on": day,
                "channel": "窗口递交",
                "materials": [
                    {"name": "仲裁申请书", "copies": 2, "pages": 3},
                    {"name": "身份证复印件", "copies": 1},
                ],
                "received_by": "李明",
            },
            "",
        ),
        "correction_notice": (
            {"gaps": ["写明被申请人的统一社会信用代码", "写明第二项请求的计算方法"], "due_days": 5},
            "",
        ),
        "acceptance_notice": ({}, ""),
        "refusal_notice": (
            {
                "ground": "out_of_scope",
                "legal_basis": "《劳动人事争议仲裁办案规则》第三十条第（一）项",
            },
            "申请人请求返还借款，属于民间借贷纠纷。",
        ),
        "jurisdiction_notice": (
            {"to_name": other, "to_address": "济南市历城区花园路1号", "to_phone": "0531-88000000"},
            "劳动合同履行地和用人单位所在地均在历城区。",
        ),
        "filing_approval": ({"handler": "李明", "approver": "刘主任", "approved_on": day}, ""),
        "response_notice": ({"defence_days": 10, "party": employer.pk}, ""),
        "evidence_notice": ({"evidence_period_due": later}, ""),
        "tribunal_notice": ({"seats": seats}, ""),
        "hearing_notice": (
            {
                "hearing": 1,
                "session": 1,
                "starts_at": hearing,
                "place": "第一仲裁庭",
                "online": False,
                "tribunal": seats,
            },
            "",
        ),
        "postponement_notice": (
            {
                "old_starts_at": hearing,
                "starts_at": f"{later}T14:30:00+08:00",
                "place": "第一仲裁庭",
                "party_name": employer.name,
                "reasons": "法定代表人出差",
            },
            "",
        ),
        "extension_notice": ({"days": 15, "due_on": later}, "案情复杂，需要调取社会保险缴费记录。"),
        "extension_approval": (
            {"days": 15, "approved_on": day, "due_on": later, "handler": arbitrator},
            "案情复杂，需要调取社会保险缴费记录。",
        ),
        "suspension_notice": (
            {"reason": "awaiting_appraisal", "from": day},
            "等待工伤认定\n申请人已申请工伤认定，尚未作出结论。",
        ),
        "suspension_approval": (
            {"reason": "awaiting_appraisal", "approved_on": day},
            "等待工伤认定\n申请人已申请工伤认定，尚未作出结论。",
        ),
        "resumption_notice": ({"suspended_from": earlier, "until": day}, "工伤认定结论已作出。"),
        "add_party_notice": (
            {"party": employer.pk, "role": "respondent"},
            "申请人申请追加用人单位为共同被申请人。",
        ),
        "transfer_letter": ({"to_name": other, "pages": 48}, "劳动合同履行地在历城区。"),
        "investigation_letter": (
            {
                "addressee": "济南市历下区社会保险事业中心",
                "matters": ["申请人2024年3月至2026年8月的社会保险缴费记录"],
                "investigators": [recorder],
                "reply_by": later,
                "contact": recorder,
            },
            "",
        ),
        "recommendation_letter": (
            {
                "addressee": employer.name,
                "findings": "你单位未与劳动者订立书面劳动合同，且未按月足额支付工资。",
                "recommendations": ["依法订立书面劳动合同", "按月足额支付劳动报酬"],
                "reply_by": later,
            },
            "",
        ),
        "decision_recusal": (
            {
                "upheld": False,
                "arbitrator_name": arbitrator,
                "applicant_name": employer.name,
                "ground": "interest",
                "applied_on": day,
            },
            "被申请人提交的证据不能证明该仲裁员与本案有利害关系。",
        ),
        "decision_jurisdiction": (
            {"upheld": False, "objector_name": employer.name, "objected_on": day},
            "申请人的劳动合同履行地在历下区，本委有管辖权。",
        ),
        "decision_revocation": ({"ground": "no_clear_claim"}, "申请人的请求不明确。"),
        "decision_withdrawal": (
            {"reapplication_allowed": True, "withdrawn_on": day},
            "双方已自行和解。",
        ),
        "decision_deemed_withdrawal": (
            {"hearing": 1, "applicants": [worker.pk], "hearing_text": hearing_text},
            "申请人未说明理由。",
        ),
        "decision_suspension": ({"reason": "depends_on_other_case", "from": day}, ""),
        "decision_award_correction": (
            {
                "award_title": "裁决书",
                "award_made_on": earlier,
                "corrections": "裁决书第一项中“12,000.00元”应为“12,600.00元”。",
            },
            "",
        ),
        "decision_transfer": ({"to_name": other}, "劳动合同履行地在历城区。"),
        "award": ({"sections": sections}, ""),
        "award_partial": ({"sections": sections}, ""),
        "award_advance_execution": ({"sections": sections}, ""),
        "mediation_document": (
            {"sections": award_text.mediation_sections(case, ["被申请人支付申请人工资10,000元"])},
            "",
        ),
        "public_notice": (
            {
                "party": employer.pk,
                "served_titles": ["仲裁申请书副本", "应诉通知书", "举证通知书", "开庭通知书"],
                "pickup_address": "本委立案大厅",
                "defence_days": 10,
                "hearing_text": hearing_text,
                "place": "第一仲裁庭",
            },
            "",
        ),
        "hearing_record": (
            {"hearing": 1, "session": 1, "version": 2, "correction_reason": "更正申请人陈述"},
            "仲：现在开庭。\n申：请求支付拖欠工资。\n被：工资已经支付。",
        ),
        "deliberation_record": (
            {"opinions": [{"name": arbitrator, "opinion": "支持申请人的请求。"}]},
            "",
        ),
        "closing_approval": (
            {"closed_as": "closed_award", "approved_on": day, "result": "裁决支持申请人的请求"},
            "同意结案。",
        ),
        "service_receipt": (
            {
                "served_title": "开庭通知书",
                "served_number": case.case_number,
                "party_name": employer.name,
                "address": employer.mailing_address,
                "method": "in_person",
                "sent_on": day,
                "signed_by": employer.legal_representative,
                "signed_on": day,
                "server": recorder,
            },
            "",
        ),
        "file_cover": (
            {
                "volume": "main",
                "result": "裁决",
                "finality": "final",
                "closed_on": day,
                "archived_on": day,
                "pages": 56,
                "retention_years": 10,
                "filed_by": recorder,
            },
            "",
        ),
        "file_index": (
            {
                "volume": "main",
                "entries": [
                    {"number": 1, "title": "仲裁申请书", "date": earlier, "page": "1-3"},
                    {"number": 2, "title": "受理通知书", "date": day, "page": "4"},
                ],
                "filed_by": recorder,
            },
            "",
        ),
    }


def _build() -> Demo:
    from zhongcai.demo.institutions import load_demo_institutions
    from zhongcai.demo.loader import is_loaded, load_demo
    from zhongcai.documents.seal import data_uri, seal_png

    if not is_loaded():
        load_demo()
    load_demo_institutions()
    users = {
        name: User.objects.get(username=name)
        for name in ("lixia_intake", "lixia_head", "lixia_clerk", "lixia_arbitrator")
    }
    case = factories.heard(
        users["lixia_intake"], users["lixia_head"], users["lixia_clerk"], users["lixia_arbitrator"]
    )
    seated = case.tribunal.filter(ended_at__isnull=True).select_related("person")
    signer = commission_context(case)
    demo = Demo(
        number=case.case_number,
        parties=[p.name for p in case.parties.order_by("pk")],
        commission=signer["name"],
        institute=signer["institute"],
        arbitrators=[m.person.name for m in seated if m.seat != TribunalMember.Seat.RECORDER],
        seal_uri=data_uri(seal_png(case.commission)),
    )
    for code, (data, body) in samples(case).items():
        try:
            demo.blocks[code] = compose.preview(case, code, data=data, body=body)
        except compose.TemplateProblem as problem:
            demo.problems[code] = str(problem)
    return demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Demo:
    """A heard case (parties, claims, tribunal) and every catalogue document's blocks for it;
    nothing it wrote survives the fixture."""
    with django_db_blocker.unblock(), transaction.atomic():
        made = _build()
        transaction.set_rollback(True)
    return made


@pytest.fixture(scope="module")
def files(demo) -> dict[str, tuple[str, str, list[str]]]:
    """Each document rendered once to PDF and once to DOCX: code → (PDF text, DOCX text, the
    characters the PDF shows without a glyph)."""
    from docx import Document
    from pypdf import PdfReader

    from zhongcai.documents.pdfcheck import missing_glyphs

    texts = {}
    for code, blocks in demo.blocks.items():
        seal = demo.seal_uri if BY_CODE[code].sealed else None
        pdf = render.to_pdf(blocks, seal_uri=seal, title=BY_CODE[code].title)
        pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        document = Document(io.BytesIO(render.to_docx(blocks, title=BY_CODE[code].title)))
        docx_text = [p.text for p in document.paragraphs]
        docx_text += [c.text for t in document.tables for r in t.rows for c in r.cells]
        texts[code] = (_squeeze(pdf_text), _squeeze("\n".join(docx_text)), missing_glyphs(pdf))
    return texts


def _squeeze(text: str) -> str:
    """Without white space: text extraction breaks lines and spaces letters as it likes."""
    return re.sub(r"\s+", "", text)


CODES = [entry.code for entry in CATALOGUE]


def test_every_catalogue_code_has_sample_data(demo):
    assert set(demo.blocks) | set(demo.problems) == set(BY_CODE)


@pytest.mark.parametrize("code", CODES)
def test_it_renders_the_mandatory_parts(demo, code):
    assert code not in demo.problems, demo.problems.get(code)
    entry = BY_CODE[code]
    blocks = demo.blocks[code]
    text = markup.plain_text(blocks)
    # Nothing of the template itself shows: its notes to the reader stay in {% comment %}.
    assert not re.search(r"\{[#%{]|[#%}]\}|doc\.data", text)
    assert entry.title in text
    assert demo.number in text
    for name in demo.parties:
        assert name in text, name
    assert CN_DATE.search(text)
    assert CITATION.search(text), "no legal basis cited"
    if code not in CITE_IN_BODY:
        for basis in entry.basis:
            law, article = basis.split("》")
            # The law named, then the article among those cited after it (…第十三条、第十五条).
            assert re.search(re.escape(law + "》") + r"[^《]*?" + re.escape(article), text), basis


@pytest.mark.parametrize("code", CODES)
def test_it_has_the_signature_block_of_its_signer(demo, code):
    assert code not in demo.problems, demo.problems.get(code)
    entry = BY_CODE[code]
    blocks = demo.blocks[code]
    signs = [b.text for b in blocks if b.kind == "sign"]
    dates = [b.text for b in blocks if b.kind == "date"]
    assert signs and all(signs)
    assert dates and CN_DATE.fullmatch(dates[-1])
    assert any(b.kind == "seal" for b in blocks) == entry.sealed
    signed = "\n".join(signs)
    if entry.signer in (Signer.SEAL, Signer.SYSTEM):
        assert demo.commission in signed
    elif entry.signer == Signer.INSTITUTE:
        assert (demo.institute or demo.commission) in signed
    elif entry.signer == Signer.ARBITRATORS:
        for name in demo.arbitrators:
            assert name in signed
    elif entry.signer == Signer.HANDLER:
        assert any(s.startswith(HANDLER_TITLES) for s in signs)
    elif entry.signer == Signer.RECIPIENT:
        assert any(s.startswith("受送达人") for s in signs)


def test_every_document_renders_to_pdf_and_docx_with_its_case_and_parties(demo, files):
    missing = []
    for code, (pdf_text, docx_text, no_glyph) in files.items():
        if no_glyph:
            missing.append(f"{code}.pdf: no glyph for {''.join(no_glyph)}")
        if not re.search(r"《[^》]+》第[一二三四五六七八九十百零]+条", pdf_text):
            missing.append(f"{code}.pdf: legal basis")
        for label, text in (("pdf", pdf_text), ("docx", docx_text)):
            for wanted in [demo.number, *demo.parties]:
                if _squeeze(wanted) not in text:
                    missing.append(f"{code}.{label}: {wanted}")
            if not CN_DATE.search(text):
                missing.append(f"{code}.{label}: date")
    assert set(files) == set(BY_CODE)
    assert missing == []


BASES = sorted({basis for entry in CATALOGUE for basis in entry.basis})


@pytest.mark.parametrize("basis", BASES)
def test_the_law_library_links_each_catalogue_basis(basis):
    from zhongcai.knowledge.catalog import get_catalog
    from zhongcai.knowledge.citations import find_citations
    from zhongcai.knowledge.importer import SHIPPED_LAWS, import_laws
    from zhongcai.knowledge.models import Law

    if not Law.objects.exists():
        import_laws(SHIPPED_LAWS)
    name = basis[1 : basis.index("》")]
    if not get_catalog().laws_named(name):
        pytest.skip(
            f"{name} is not in the shipped law library (knowledge/data/laws/MANIFEST.tsv): "
            "find_citations skips titles it does not know; the basis links once it is imported"
        )
    [citation] = find_citations(basis)
    assert citation.problem is None
    assert citation.article_id is not None
    assert basis.endswith(citation.article_label)
