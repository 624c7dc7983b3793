"""The markup of template texts: one line, one block.

A template's text is a Django template whose output is read line by line. A line that starts
with ``@name`` is a directive; any other non-blank line is a paragraph of body text (indented
two characters, as official documents are). Blank lines are ignored, so ``{% if %}`` and
``{% for %}`` may stand on lines of their own.

    @caption 济南市历下区劳动人事争议仲裁委员会     the issuing body, centred, title font
    @title 裁决书                                  the document's title (小标宋-style)
    @number 济历下劳人仲案字〔2026〕第12号           the number, right-aligned under the title
    @to 张三：                                     the addressee, flush left
    @heading 仲裁请求：                             a section heading (bold)
    @item 一、被申请人支付……                         a numbered item (the number is in the text)
    @field 案由 | 劳动报酬争议                       a row of a two-column form table
    @header 序号 | 文书名称 | 页号                   the header row of a table
    @row 1 | 受理通知书 | 1                          a table row (consecutive rows form one table)
    @sign 仲裁员 李四                               a signature line, right-aligned
    @date 二〇二六年十一月二十九日                    the date line, right-aligned
    @seal                                          the commission's seal, over the date line
    @note 本件与原本核对无异                         a small note
    @plain 无缩进的正文                             a paragraph without first-line indent
    @space                                         an empty line
    @pagebreak                                     a new page
    @compact                                       (once, anywhere) a form: narrower margins
                                                   and smaller type, to keep it on one page

The blocks are what an issued document freezes: the PDF and the DOCX are both made from them.
"""

from __future__ import annotations

from dataclasses import dataclass

DIRECTIVES = frozenset(
    {
        "caption",
        "title",
        "number",
        "to",
        "heading",
        "item",
        "field",
        "header",
        "row",
        "sign",
        "date",
        "seal",
        "note",
        "plain",
        "space",
        "pagebreak",
        "compact",
    }
)
CELLS = frozenset({"field", "header", "row"})
EMPTY = frozenset({"seal", "space", "pagebreak", "compact"})


class MarkupError(ValueError):
    """A line of a template's output that is not a block; says which line and why."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Block:
    kind: str
    text: str = ""
    cells: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {"k": self.kind}
        if self.text:
            data["t"] = self.text
        if self.cells:
            data["c"] = list(self.cells)
        return data

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Block:
        cells = data.get("c") or ()
        return cls(str(data["k"]), str(data.get("t", "")), tuple(str(c) for c in cells))  # type: ignore[union-attr]


def parse(output: str) -> list[Block]:
    """The blocks of a rendered template. Raises ``MarkupError`` on an unknown directive."""
    blocks: list[Block] = []
    # Lines end at "\n" only: the other separators str.splitlines knows (U+2028, U+0085 …)
    # are text a user typed, never the start of a directive.
    for number, raw in enumerate(output.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("@"):
            blocks.append(Block("p", line))
            continue
        name, _, rest = line[1:].partition(" ")
        rest = rest.strip()
        if name not in DIRECTIVES:
            raise MarkupError(number, f"unknown directive @{name}")
        if name in CELLS:
            blocks.append(Block(name, "", tuple(cell.strip() for cell in rest.split("|"))))
        elif name in EMPTY:
            blocks.append(Block(name))
        else:
            blocks.append(Block(name, rest))
    return blocks


def plain_text(blocks: list[Block]) -> str:
    """The text of the blocks, a line each: for digests, search and tests."""
    lines = []
    for block in blocks:
        if block.cells:
            lines.append(" ".join(block.cells))
        elif block.text:
            lines.append(block.text)
    return "\n".join(lines)
