"""Rendering: Chinese dates and amounts, the markup, and PDFs whose glyphs are all there."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from pypdf import PdfReader

from zhongcai.documents.chinese import cn_amount, cn_count, cn_date, money
from zhongcai.documents.markup import Block, MarkupError, parse, plain_text
from zhongcai.documents.pdfcheck import fonts, missing_glyphs
from zhongcai.documents.render import to_docx, to_pdf
from zhongcai.documents.seal import data_uri, drawn_seal

SAMPLE = """@caption 济南市历下区劳动人事争议仲裁委员会
@title 裁决书
@number 济历下劳人仲案字〔2026〕第12号
@to 张三：
申请人：张三，男，1980年1月1日出生。“引号”——破折号；（括号）、顿号。
@heading 裁决如下：
@item 一、被申请人支付申请人工资人民币壹万贰仟元整（12,000.00元）。
@field 案由 | 劳动报酬争议
@header 序号 | 文书名称 | 页号
@row 1 | 受理通知书 | 1
@seal
@sign 济南市历下区劳动人事争议仲裁委员会
@date 二〇二六年十一月二十九日
@note 本件与原本核对无异
"""


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 29), "二〇二六年十一月二十九日"),
        (date(2010, 10, 10), "二〇一〇年十月十日"),
        (date(2027, 1, 1), "二〇二七年一月一日"),
    ],
)
def test_dates_are_written_as_official_documents_write_them(day, text):
    assert cn_date(day) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("12000", "人民币壹万贰仟元整"),
        ("3005.5", "人民币叁仟零伍元伍角"),
        ("10.05", "人民币壹拾元零伍分"),
        ("100010", "人民币壹拾万零壹拾元整"),
        ("100000000", "人民币壹亿元整"),
        ("1010", "人民币壹仟零壹拾元整"),
        ("0", "人民币零元整"),
        ("0.5", "人民币伍角"),
        ("20000.004", "人民币贰万元整"),
    ],
)
def test_amounts_in_capitals(amount, text):
    assert cn_amount(Decimal(amount)) == text


def test_negative_amount_is_refused():
    with pytest.raises(ValueError):
        cn_amount(Decimal("-1"))


def test_counts_and_figures():
    assert [cn_count(n) for n in (1, 10, 12, 20, 105, 115)] == [
        "一",
        "十",
        "十二",
        "二十",
        "一百零五",
        "一百一十五",
    ]
    assert money(Decimal("12000")) == "12,000.00"


def test_markup_reads_each_directive_and_paragraph():
    blocks = parse(SAMPLE)
    assert blocks[0] == Block("caption", "济南市历下区劳动人事争议仲裁委员会")
    assert Block("field", "", ("案由", "劳动报酬争议")) in blocks
    assert Block("seal") in blocks
    assert blocks[4].kind == "p"
    assert "本件与原本核对无异" in plain_text(blocks)
    assert [Block.from_json(b.as_json()) for b in blocks] == blocks


def test_unknown_directive_names_its_line():
    with pytest.raises(MarkupError) as error:
        parse("@title 决定书\n\n@stamp here")
    assert error.value.line == 3
    assert "@stamp" in error.value.message


@pytest.fixture(scope="module")
def sample_pdf():
    return to_pdf(parse(SAMPLE), seal_uri=data_uri(drawn_seal("历下区劳动人事争议仲裁委员会")))


def test_pdf_embeds_its_chinese_fonts_and_no_glyph_is_missing(sample_pdf):
    used = fonts(sample_pdf)
    assert used, "the PDF uses no font"
    assert all(font.embedded for font in used), used
    assert all("ZC-Serif" in font.name for font in used), used
    assert missing_glyphs(sample_pdf) == []
    text = PdfReader(io.BytesIO(sample_pdf)).pages[0].extract_text()
    for fragment in (
        "济历下劳人仲案字〔2026〕第12号",
        "人民币壹万贰仟元整",
        "二〇二六年十一月二十九日",
    ):
        assert fragment in text.replace("\n", "")


def test_a_ligature_is_not_a_missing_glyph():
    """A digest like ``…bff2…`` is set with the font's ff ligature: one glyph for two letters,
    which the subset's character map does not list. It is drawn, not a box."""
    pdf = to_pdf([Block("note", "电子签名记录（SHA-256：0bff2ffi7c）")], title="t")
    assert missing_glyphs(pdf) == []


def test_the_check_finds_characters_a_font_lacks():
    """The negative control: a page set in a font without Chinese shows boxes, and is caught."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    pdf = HTML(string="<p style='font-family: monospace'>abc 中文</p>").write_pdf(
        font_config=FontConfiguration()
    )
    if not any("CJK" in f.name or "ZC" in f.name for f in fonts(pdf)):
        assert "中" in missing_glyphs(pdf)


def test_docx_names_office_fonts_and_keeps_the_text():
    data = to_docx(parse(SAMPLE), title="裁决书")
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "济历下劳人仲案字〔2026〕第12号" in text
    assert "二〇二六年十一月二十九日" in text
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "劳动报酬争议" in cells and "受理通知书" in cells
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37
    assert 'w:eastAsia="仿宋"' in document.element.xml or "仿宋" in document.element.xml


def test_drawn_seal_is_a_transparent_png():
    from PIL import Image

    image = Image.open(io.BytesIO(drawn_seal("历下区劳动人事争议仲裁委员会")))
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0  # transparent corner


def test_a_character_no_font_has_is_caught():
    """Production refuses such a PDF (services.RenderingError) rather than seal a box."""
    pdf = to_pdf(parse("@title 决定书\n申请人：张\ue000三"))
    assert "\ue000" in missing_glyphs(pdf)
