"""The case library: the shipped typical cases, and importing more — all or nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zhongcai.knowledge.caselibrary import (
    SHIPPED_CASES,
    CaseImportError,
    import_library_cases,
    read_case_library,
)
from zhongcai.knowledge.models import LibraryCase

NEW_CASE = """# 劳动者未休年休假能否主张工资报酬

<!-- INFO END -->

## 基本案情

王某于2019年3月入职某物流公司，月工资6000元。2022年5月，王某因个人原因提出辞职，并向劳动人事争议仲裁委员会申请仲裁。

## 申请人请求

1、请求裁决某物流公司支付未休年休假工资3000元；2、支付加班费5000元。

## 处理结果

仲裁委员会裁决某物流公司支付王某未休年休假工资3000元，驳回王某其他仲裁请求。

## 案例分析

《职工带薪年休假条例》第三条规定：“职工累计工作已满1年不满10年的，年休假5天……”。第五条规定：单位确因工作需要不能安排职工休年休假的，应当支付年休假工资报酬。
"""


@pytest.fixture
def cases_dir(tmp_path) -> Path:
    """A writable copy of the shipped cases, to spoil or extend."""
    target = tmp_path / "cases"
    shutil.copytree(SHIPPED_CASES, target)
    return target


def _add_case(directory: Path, *, key: str = "local-2022-01", public: str = "否") -> None:
    path = directory / "local" / "leave.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(NEW_CASE, encoding="utf-8")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    row = [
        key,
        "local/leave.md",
        "劳动者未休年休假能否主张工资报酬",
        "本地案例",
        "济南市历下区劳动人事争议仲裁委员会",
        "",
        "2022-09-15",
        "370102",
        public,
        "测试用",
        "",
        "",
        "",
        sha,
    ]
    with (directory / "MANIFEST.tsv").open("a", encoding="utf-8") as manifest:
        manifest.write("\t".join(row) + "\n")


def test_the_shipped_typical_cases_arrive_with_migrate(db):
    cases = LibraryCase.objects.prefetch_related("claims", "citations")
    assert cases.count() == 10
    assert all(c.public and c.elements_checked and c.authority == "typical" for c in cases)
    burden = cases.get(key="mohrss-spc-2021-2-06")
    assert burden.issued_label == "2021-08"
    assert burden.decided_by == "arbitration"
    assert [
        (c.kind, c.amount_claimed, c.amount_awarded, c.outcome) for c in burden.claims.all()
    ] == [("overtime_pay", Decimal("10000.00"), Decimal("10000.00"), "granted")]
    cited = [(c.text, c.article_id is not None) for c in burden.citations.all()]
    assert cited == [("劳动争议调解仲裁法第六条", True), ("劳动争议解释（一）第四十二条", True)]


def test_citations_are_linked_to_the_text_in_force_when_the_case_was_decided(db):
    case = LibraryCase.objects.get(key="mohrss-spc-2021-2-03")
    citation = case.citations.get()
    # The 2020 interpretation (in force from 2021), as the 2021 judgment cites it.
    assert citation.article.version.law.title.endswith("适用法律问题的解释（一）")
    assert citation.article_number == 35


def test_a_citation_of_a_text_the_library_lacks_keeps_its_words(db):
    case = LibraryCase.objects.get(key="mohrss-spc-2021-2-07")
    texts = {c.text: c.article_id for c in case.citations.all()}
    assert texts["《最低工资规定》第三条"] is None
    assert texts["劳动法第四十八条"] is not None  # a bare 第四十八条规定 after 《劳动法》第四十七条


def test_importing_the_shipped_cases_again_changes_nothing(db):
    before = list(LibraryCase.objects.values_list("pk", "updated_at"))
    result = import_library_cases()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 10)
    assert list(LibraryCase.objects.values_list("pk", "updated_at")) == before


def test_a_new_case_without_checked_elements_is_read_by_the_rules(db, cases_dir):
    _add_case(cases_dir)
    result = import_library_cases(cases_dir)
    assert (result.created, result.unchanged) == (1, 10)
    case = LibraryCase.objects.get(key="local-2022-01")
    assert not case.public and not case.elements_checked
    assert (case.authority, case.region, case.decided_by) == ("local", "370102", "arbitration")
    claims = [(c.kind, c.amount_claimed, c.amount_awarded, c.outcome) for c in case.claims.all()]
    assert claims == [
        ("annual_leave_pay", Decimal("3000.00"), Decimal("3000.00"), "granted"),
        ("overtime_pay", Decimal("5000.00"), Decimal("0.00"), "rejected"),
    ]
    assert case.termination_reason == "worker_resigned"
    assert case.industry == "G"
    assert [c.text for c in case.citations.all()] == [
        "职工带薪年休假条例第三条",
        "职工带薪年休假条例第五条",
    ]


def test_a_changed_text_rewrites_its_case(db, cases_dir):
    _add_case(cases_dir)
    import_library_cases(cases_dir)
    path = cases_dir / "local" / "leave.md"
    path.write_text(NEW_CASE.replace("3000元", "3500元"), encoding="utf-8")
    manifest = cases_dir / "MANIFEST.tsv"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    cells = lines[-1].split("\t")
    cells[-1] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest.write_text("\n".join([*lines[:-1], "\t".join(cells)]) + "\n", encoding="utf-8")
    result = import_library_cases(cases_dir)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 10)
    claim = LibraryCase.objects.get(key="local-2022-01").claims.get(number=1)
    assert claim.amount_claimed == Decimal("3500.00")


def _spoil(directory: Path) -> None:
    manifest = directory / "MANIFEST.tsv"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    first = lines[1].split("\t")
    first[3] = "最高级案例"  # unknown authority
    second = lines[2].split("\t")
    second[-1] = "0" * 64  # wrong checksum
    third = lines[3].split("\t")
    third[6] = "2021年8月"  # not a date
    manifest.write_text(
        "\n".join([lines[0], "\t".join(first), "\t".join(second), "\t".join(third), *lines[4:]])
        + "\n",
        encoding="utf-8",
    )
    elements = json.loads((directory / "ELEMENTS.json").read_text(encoding="utf-8"))
    elements["cases"]["mohrss-spc-2021-2-05"]["claims"][0]["kind"] = "bonus"
    elements["cases"]["mohrss-spc-2021-2-06"]["claims"][0]["awarded"] = "-10"
    elements["cases"]["no-such-case"] = {}
    (directory / "ELEMENTS.json").write_text(json.dumps(elements), encoding="utf-8")
    text = directory / "overtime_2021" / "case_08.md"
    text.write_text(text.read_text(encoding="utf-8").replace("## 裁判结果", "## 结果"))


def test_bad_input_lists_every_problem_and_writes_nothing(db, cases_dir):
    _spoil(cases_dir)
    _add_case(cases_dir)
    with pytest.raises(CaseImportError) as caught:
        import_library_cases(cases_dir)
    errors = caught.value.errors
    # Checked on the values, not the wording: the messages are translated.
    assert any("最高级案例" in e for e in errors)  # unknown authority
    assert any("case_02.md" in e and "0" * 64 in e for e in errors)  # wrong checksum
    assert any("2021年8月" in e for e in errors)  # not a date
    assert any("no-such-case" in e for e in errors)  # elements of an unlisted case
    assert any("bonus" in e for e in errors)  # unknown claim kind
    assert any("-10" in e for e in errors)  # negative amount
    assert any("case_08.md" in e and "SHA-256" in e for e in errors)  # edited after checksum
    assert len(errors) == 7
    assert not LibraryCase.objects.filter(key="local-2022-01").exists()


def test_a_text_without_its_sections_is_refused(db, tmp_path):
    directory = tmp_path / "cases"
    directory.mkdir()
    text = "# 标题\n\n## 基本案情\n\n事实。\n\n## 附言\n\n其他。\n"
    (directory / "a.md").write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    (directory / "MANIFEST.tsv").write_text(
        "key\tfile\ttitle\tauthority\tissuing_body\tissued_on\tsha256\n"
        f"case-a\ta.md\t标题\t典型案例\t某委\t2023\t{sha}\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseImportError) as caught:
        read_case_library(directory)
    errors = caught.value.errors
    assert len(errors) == 3
    assert "附言" in errors[0]
    assert "申请人请求" in errors[1] and "a.md" in errors[1]
    assert "处理结果" in errors[2] and "a.md" in errors[2]


def test_the_command_reports_problems_and_imports_nothing(db, cases_dir):
    _spoil(cases_dir)
    with pytest.raises(CommandError, match="最高级案例"):
        call_command("import_library_cases", str(cases_dir))
    assert LibraryCase.objects.count() == 10


def test_the_command_imports_a_directory(db, cases_dir):
    _add_case(cases_dir, public="是")
    call_command("import_library_cases", str(cases_dir))
    assert LibraryCase.objects.count() == 11
    assert LibraryCase.objects.get(key="local-2022-01").public
