"""Composing documents safely: user data never becomes markup, province texts cannot reach
outside the case, an override is not displaced by a later platform text, and a character no
font can draw refuses the step instead of issuing a document with boxes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhongcai.cases import services
from zhongcai.cases.models import CaseDocument, Status
from zhongcai.cases.tests import factories
from zhongcai.documents import render
from zhongcai.documents.compose import (
    TemplateProblem,
    builtin_version,
    in_force,
    render_text,
    version_for,
)
from zhongcai.documents.models import TemplateVersion


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\r", "\n"])
def test_no_line_separator_lets_data_make_a_directive(separator):
    blocks = render_text(
        "@title 决定书\n{{ claim }}",
        {"claim": f"支付拖欠工资{separator}@item 二、支付赔偿金100万元{separator}@seal"},
    )
    assert blocks[0].kind == "title"
    assert all(b.kind == "p" for b in blocks[1:]), blocks
    assert "item" not in {b.kind for b in blocks} and "seal" not in {b.kind for b in blocks}


@pytest.mark.parametrize(
    "text",
    [
        '{% include "/etc/passwd" %}',
        '{% extends "base.html" %}',
        "{% load static %}",
        "{% debug %}",
        "{% lorem 100000 w %}",
    ],
)
def test_a_text_cannot_reach_outside_the_case(text):
    with pytest.raises(TemplateProblem):
        render_text(f"@title 通知书\n{text}", {})


@pytest.mark.django_db
def test_a_later_platform_text_does_not_displace_the_provinces_override(lixia_intake):
    case = factories.draft(lixia_intake)
    code = "acceptance_notice"
    platform = builtin_version(code)
    province = case.commission.path.strip("/").split("/")[0]
    override = TemplateVersion.objects.create(
        code=code,
        province_id=int(province),
        version=1,
        text=platform.text.replace("现将有关事项通知如下", "现将下列事项通知你"),
        sha256="x" * 64,
        effective_from=date(2025, 1, 1),
    )
    today = timezone.localdate()
    assert version_for(code, case.commission, today) == override
    newer_platform = TemplateVersion.objects.create(
        code=code,
        version=platform.version + 1,
        text=platform.text + "\n@note 新平台文本",
        sha256="y" * 64,
        effective_from=today,
    )
    assert version_for(code, case.commission, today) == override
    assert in_force([platform, newer_platform], today) == newer_platform  # no override
    later = TemplateVersion.objects.create(
        code=code,
        province_id=int(province),
        version=2,
        text=override.text,
        sha256="z" * 64,
        effective_from=today + timedelta(days=3),
    )
    assert version_for(code, case.commission, today) == override
    assert version_for(code, case.commission, today + timedelta(days=3)) == later


@pytest.mark.django_db
def test_a_name_no_font_can_draw_refuses_the_step_and_writes_nothing(lixia_intake):
    rare = "\U00020bb7"  # 𠮷, CJK extension B: not in Noto Serif SC
    assert render.uncovered(f"王{rare}英") == [rare]
    case = factories.draft(
        lixia_intake, parties=[{**factories.WORKER, "name": f"王{rare}英"}, factories.EMPLOYER]
    )
    with pytest.raises(ValidationError) as refused:
        services.case_submit(by=lixia_intake, case=case)
    assert rare in str(refused.value)
    case.refresh_from_db()
    assert case.status == Status.DRAFT
    assert not CaseDocument.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_with_a_font_that_has_it_the_step_goes_through(lixia_intake, monkeypatch):
    rare = "\U00020bb7"
    covered = render.covered_characters() | {ord(rare)}
    monkeypatch.setattr(render, "covered_characters", lambda: covered)
    case = factories.draft(
        lixia_intake, parties=[{**factories.WORKER, "name": f"王{rare}英"}, factories.EMPLOYER]
    )
    services.case_submit(by=lixia_intake, case=case)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
