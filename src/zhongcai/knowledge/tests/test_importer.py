"""Importing law texts: counts match the manifest, all or nothing, idempotent, versions chain."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zhongcai.knowledge.catalog import get_catalog
from zhongcai.knowledge.importer import SHIPPED_LAWS, LawImportError, import_laws, read_library
from zhongcai.knowledge.lawtext import parse_law_text
from zhongcai.knowledge.models import Article, Heading, Law, LawVersion

LCL_FILE = "national/labor_contract_law.md"
WAGE_TALKS = "shandong/shandong_enterprise_wage_collective_negotiation_regulations.md"
NOTICE = "national/monthly_working_days_wage_conversion_notice.md"


def manifest_rows(directory: Path = SHIPPED_LAWS) -> list[dict[str, str]]:
    text = (directory / "MANIFEST.tsv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


def write_manifest(directory: Path, rows: list[dict[str, str]], *, raw_lines: tuple[str, ...] = ()):
    header = list(manifest_rows()[0])
    lines = ["\t".join(header)]
    lines += ["\t".join(row.get(column, "") for column in header) for row in rows]
    lines += list(raw_lines)
    (directory / "MANIFEST.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def row_for(file: str) -> dict[str, str]:
    return next(dict(row) for row in manifest_rows() if row["file"] == file)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot():
    return (
        sorted(Law.objects.values_list("id", "updated_at")),
        sorted(LawVersion.objects.values_list("id", "updated_at", "effective_to")),
        Article.objects.count(),
        Heading.objects.count(),
        sorted(Article.objects.values_list("id", flat=True))[-1],
    )


def test_every_imported_law_has_the_article_count_of_the_manifest(library):
    expected: dict[str, int] = {}
    for row in manifest_rows():
        title = row["title"].split("·")[0]
        expected[title] = expected.get(title, 0) + int(row["article_count"])
    found = {
        law.title: Article.objects.filter(version__law=law, kind=Article.Kind.ARTICLE).count()
        for law in Law.objects.all()
    }
    assert found == expected
    assert len(found) == 43  # 50 files: the Civil Code's 8 parts are one law


def test_the_civil_code_is_one_law_numbered_on_across_its_parts(law):
    code = law("民法典")
    version = code.versions.get()
    numbers = list(version.articles.values_list("number", flat=True))
    assert numbers == list(range(1, 1261))
    parts = version.headings.filter(depth=1).values_list("title", flat=True)
    assert list(parts) == [
        "总则",
        "物权编",
        "合同编",
        "人格权编",
        "婚姻家庭编",
        "继承编",
        "侵权责任编",
        "附则",
    ]


def test_running_it_again_changes_nothing(library):
    before = snapshot()
    result = import_laws(SHIPPED_LAWS)
    assert (result.laws_created, result.laws_updated, result.versions_created) == (0, 0, 0)
    assert result.versions_unchanged == 43
    assert snapshot() == before


def test_the_shandong_gap_is_kept_and_declared(law):
    wage_talks = law("山东省企业工资集体协商条例")
    numbers = set(wage_talks.versions.get().articles.values_list("number", flat=True))
    assert 16 not in numbers
    assert {15, 17, 55} <= numbers
    assert "第十六条" in wage_talks.note


def test_an_undeclared_gap_in_the_numbering_is_refused(laws_dir):
    (laws_dir / "ANNOTATIONS.json").unlink()
    write_manifest(laws_dir, [row_for(WAGE_TALKS)])
    with pytest.raises(LawImportError) as caught:
        read_library(laws_dir)
    assert any("16" in error and WAGE_TALKS in error for error in caught.value.errors)


def test_a_stale_declaration_is_refused(laws_dir):
    annotations = json.loads((laws_dir / "ANNOTATIONS.json").read_text(encoding="utf-8"))
    annotations["files"][WAGE_TALKS]["missing_articles"] = [15, 16]
    (laws_dir / "ANNOTATIONS.json").write_text(json.dumps(annotations), encoding="utf-8")
    with pytest.raises(LawImportError) as caught:
        read_library(laws_dir)
    assert any("15" in error and WAGE_TALKS in error for error in caught.value.errors)


def test_the_notice_without_articles_is_kept_as_its_sections(law):
    notice = law("关于职工全年月平均工作时间和工资折算问题的通知")
    parts = list(notice.versions.get().articles.order_by("position"))
    assert [p.kind for p in parts] == [Article.Kind.PART] * 4
    assert [p.label for p in parts] == [
        "",
        "一、制度工作时间的计算",
        "二、日工资、小时工资的折算",
        "三",
    ]
    assert "21.75天" in parts[2].text


def test_a_document_without_articles_needs_a_declaration(laws_dir):
    annotations = json.loads((laws_dir / "ANNOTATIONS.json").read_text(encoding="utf-8"))
    del annotations["files"][NOTICE]
    (laws_dir / "ANNOTATIONS.json").write_text(json.dumps(annotations), encoding="utf-8")
    with pytest.raises(LawImportError) as caught:
        read_library(laws_dir)
    assert any(NOTICE in error and "unnumbered" in error for error in caught.value.errors)


def test_bad_input_lists_every_problem_and_writes_nothing(library, laws_dir):
    wrong_sha = row_for(LCL_FILE) | {"sha256": "0" * 64}
    wrong_count = row_for("national/labor_law.md") | {"article_count": "106"}
    missing = row_for("national/trade_union_law.md") | {"file": "national/gone.md"}
    bad_level = row_for("national/social_insurance_law.md") | {"level": "圣旨"}
    bad_date = row_for("national/employment_promotion_law.md") | {"version_date": "2015-02-30"}
    write_manifest(
        laws_dir,
        [wrong_sha, wrong_count, missing, bad_level, bad_date],
        raw_lines=("national/short_row.md\tonly three\tcolumns",),
    )
    (laws_dir / "ANNOTATIONS.json").unlink()
    before = snapshot()
    with pytest.raises(LawImportError) as caught:
        import_laws(laws_dir)
    errors = "\n".join(caught.value.errors)
    assert f"{LCL_FILE}：SHA-256" in errors
    assert "national/labor_law.md：共 107 条" in errors and "106" in errors
    assert "national/gone.md" in errors
    assert "圣旨" in errors
    assert "2015-02-30" in errors
    assert "第 7 行" in errors and "列" in errors
    assert len(caught.value.errors) == 6
    assert snapshot() == before


def test_the_command_reports_problems_and_imports_nothing(library, laws_dir):
    write_manifest(laws_dir, [row_for(LCL_FILE) | {"article_count": "99"}])
    (laws_dir / "ANNOTATIONS.json").unlink()
    with pytest.raises(CommandError) as caught:
        call_command("import_laws", str(laws_dir))
    assert "99" in str(caught.value)
    assert str(caught.value).count("\n") >= 1


def test_the_command_imports_a_directory(library, capsys):
    call_command("import_laws")
    assert "43" in capsys.readouterr().out


def test_a_missing_manifest_is_a_clear_error(tmp_path):
    with pytest.raises(LawImportError) as caught:
        read_library(tmp_path)
    assert "MANIFEST.tsv" in caught.value.errors[0]


def _new_lcl_version(laws_dir: Path, *, version_date: str, effective: str, change: str) -> None:
    text = (laws_dir / LCL_FILE).read_text(encoding="utf-8")
    text = text.replace("每满一年支付一个月工资的标准", change)
    target = laws_dir / "national" / f"labor_contract_law_{version_date}.md"
    target.write_text(text, encoding="utf-8")
    row = row_for(LCL_FILE) | {
        "file": f"national/{target.name}",
        "version_date": version_date,
        "version_effective_date": effective,
        "sha256": sha256(target),
    }
    write_manifest(laws_dir, [row])
    (laws_dir / "ANNOTATIONS.json").unlink()


def test_a_later_version_closes_the_previous_one(law, laws_dir):
    _new_lcl_version(
        laws_dir,
        version_date="2030-01-01",
        effective="2030-02-01",
        change="每满一年支付两个月工资的标准",
    )
    result = import_laws(laws_dir)
    assert (result.versions_created, result.laws_created) == (1, 0)
    lcl = law("劳动合同法")
    old, new = lcl.versions.order_by("effective_from")
    assert old.effective_to == date(2030, 1, 31)
    assert new.effective_from == date(2030, 2, 1) and new.effective_to is None
    catalog = get_catalog()
    entry = catalog.laws[lcl.pk]
    assert catalog.version_on(entry, date(2030, 1, 31)).version.id == old.pk
    assert catalog.version_on(entry, date(2030, 2, 1)).version.id == new.pk
    assert "两个月工资" in new.articles.get(number=47).text
    assert "两个月工资" not in old.articles.get(number=47).text
    # The same run again: nothing moves.
    assert import_laws(laws_dir).versions_unchanged == 1


def test_a_corrected_text_replaces_its_version_in_place(law, laws_dir):
    lcl = law("劳动合同法")
    version = lcl.versions.get()
    (laws_dir / LCL_FILE).write_text(
        (laws_dir / LCL_FILE).read_text(encoding="utf-8").replace("劳动合同法:", "劳动合同法："),
        encoding="utf-8",
    )
    (laws_dir / LCL_FILE).write_text(
        (laws_dir / LCL_FILE)
        .read_text(encoding="utf-8")
        .replace("解除劳动合同:", "解除劳动合同："),
        encoding="utf-8",
    )
    write_manifest(laws_dir, [row_for(LCL_FILE) | {"sha256": sha256(laws_dir / LCL_FILE)}])
    (laws_dir / "ANNOTATIONS.json").unlink()
    result = import_laws(laws_dir)
    assert result.versions_replaced == 1
    assert lcl.versions.get().pk == version.pk
    assert version.articles.get(number=39).text.startswith(
        "劳动者有下列情形之一的，用人单位可以解除劳动合同："
    )


def test_items_belong_to_the_paragraph_before_them_and_zhi_yi_parses():
    text = "\n".join(
        [
            "# 测试条例",
            "<!-- INFO END -->",
            "## 第一章 总则",
            "第十条 有下列情形之一的：",
            "（一）甲；",
            "(二)乙。",
            "前款规定以外的情形，依照本条例第十条之一处理。",
            "第十条之一 补充的条文。",
        ]
    )
    parsed = parse_law_text(text, name="test.md")
    assert parsed.errors == []
    first, second = parsed.articles
    assert (first.number, first.suffix, second.number, second.suffix) == (10, 0, 10, 1)
    assert second.label == "第十条之一"
    assert [p["text"] for p in first.paragraphs] == [
        "有下列情形之一的：",
        "前款规定以外的情形，依照本条例第十条之一处理。",
    ]
    assert [(i["number"], i["label"], i["text"]) for i in first.paragraphs[0]["items"]] == [
        (1, "（一）", "甲；"),
        (2, "(二)", "乙。"),
    ]


def test_an_import_without_the_abbreviations_keeps_those_already_known(law, laws_dir):
    write_manifest(laws_dir, [row_for(LCL_FILE)])
    (laws_dir / "ANNOTATIONS.json").unlink()
    result = import_laws(laws_dir)
    assert result.laws_updated == 0
    assert "LCL" in law("劳动合同法").aliases
