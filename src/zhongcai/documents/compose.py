"""From a template version and the case data to the blocks of a document.

Template texts are Django templates rendered by an engine of their own: no loaders, no
autoescaping (the output is markup, escaped when it becomes HTML), only the built-in tags and the
filters below. The version used is the newest effective on the day of issue, the province's or the
platform's (``version_for``). ``freeze`` writes the ``Rendition`` of an issued document inside
the issuing step's transaction; the PDF and DOCX are made from its blocks afterwards.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.db.models import Q
from django.template import Context, Engine, Library, TemplateSyntaxError
from django.utils import timezone, translation

from zhongcai.cases.award_text import stop
from zhongcai.cases.models import Case, CaseDocument
from zhongcai.orgs.models import Organisation

from . import catalogue
from .chinese import cn_amount, cn_count, cn_date, figure_date, money
from .context import document_context
from .markup import Block, MarkupError, parse, plain_text
from .models import Rendition, TemplateVersion
from .render import uncovered

library = Library()


@library.filter(name="cn_date")
def _cn_date(value: date | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return cn_date(value)


@library.filter(name="date_text")
def _date_text(value: date | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return figure_date(value)


@library.filter(name="time_text")
def _time_text(value: datetime | str | None) -> str:
    """2026年12月1日9时30分, in local time, from a datetime or its ISO text (any offset)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    text = f"{figure_date(value.date())}{value.hour}时"
    return text + (f"{value.minute:02d}分" if value.minute else "")


@library.filter(name="cn_count")
def _cn_count(value: int | str) -> str:
    try:
        return cn_count(int(value))
    except (TypeError, ValueError):
        return str(value)


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@library.filter(name="yuan")
def _yuan(value: Any) -> str:
    number = _decimal(value)
    return money(number) if number is not None else ""


@library.filter(name="capitals")
def _capitals(value: Any) -> str:
    number = _decimal(value)
    return cn_amount(number) if number is not None and number >= 0 else ""


@library.filter(name="stop")
def _stop(value: Any) -> str:
    """The sentence, ending with one full stop: 支付工资 → 支付工资。"""
    return stop(str(value or ""))


ENGINE = Engine(
    # No loaders and no directories: {% include %} and {% extends %} find nothing to read.
    loaders=[],
    autoescape=False,
    libraries={},
    builtins=["django.template.defaulttags", "django.template.defaultfilters"],
    string_if_invalid="",
)
ENGINE.template_builtins.append(library)


class TemplateProblem(ValueError):
    """A template text that does not compile or does not produce valid markup."""


class UncoveredCharacters(ValueError):
    """The document would show characters no document font can draw (boxes in the PDF)."""

    def __init__(self, characters: list[str]) -> None:
        super().__init__("".join(characters))
        self.characters = characters


# Characters that end a line for some readers (str.splitlines) but are nothing in a document.
SEPARATORS = dict.fromkeys(map(ord, "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), " ")


def defuse(value: Any) -> Any:
    """Data never makes markup: a line of a value that starts with ``@`` (a party's name, a
    reason typed by a user) gets a full-width ＠, so it stays text instead of a directive; and
    exotic line separators become spaces."""
    if isinstance(value, str):
        value = value.translate(SEPARATORS)
        if "@" not in value:
            return value
        return "\n".join(
            line.replace("@", "＠", 1) if line.lstrip().startswith("@") else line
            for line in value.split("\n")
        )
    if isinstance(value, dict):
        return {key: defuse(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [defuse(item) for item in value]
    return value


# Tags a province's text may not use: texts are self-contained and show only the case.
FORBIDDEN_TAGS = re.compile(r"{%\s*(include|extends|load|debug|lorem)\b")


def render_text(text: str, context: dict[str, Any]) -> list[Block]:
    """The blocks ``text`` makes from ``context``. Raises ``TemplateProblem``."""
    context = defuse(context)
    forbidden = FORBIDDEN_TAGS.search(text)
    if forbidden:
        raise TemplateProblem(f"{{% {forbidden.group(1)} %}} is not allowed in a document text")
    try:
        template = ENGINE.from_string(text)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(str(exc)) from exc
    with translation.override("zh-hans"):
        try:
            output = template.render(Context(context))
            output = output.replace("\r", "")
        except (TemplateSyntaxError, TypeError, ValueError, KeyError, AttributeError) as exc:
            raise TemplateProblem(str(exc)) from exc
    try:
        return parse(output)
    except MarkupError as exc:
        raise TemplateProblem(str(exc)) from exc


def province_of(commission: Organisation) -> Organisation | None:
    """The root of ``commission``'s tree (the province's department), whose overrides apply."""
    parts = [p for p in (commission.path or "").split("/") if p]
    if not parts:
        return None
    return Organisation.objects.filter(pk=int(parts[0])).first()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def platform_text(code: str) -> tuple[str, str]:
    """The text shipped in ``texts/`` and its digest, read once per process (files change only
    with a deployment, which starts new processes)."""
    text = catalogue.template(code).default_text()
    return text, sha256_text(text)


def builtin_version(code: str) -> TemplateVersion:
    """The platform's text of ``code`` as stored: a new version whenever the file changed."""
    text, digest = platform_text(code)
    existing = TemplateVersion.objects.filter(code=code, province__isnull=True).order_by("-version")
    latest = existing.first()
    if latest is not None and latest.sha256 == digest:
        return latest
    same = existing.filter(sha256=digest).first()
    if same is not None:
        return same
    return TemplateVersion.objects.create(
        code=code,
        province=None,
        version=(latest.version + 1) if latest else 1,
        text=text,
        sha256=digest,
        # A changed platform text applies from the day it is first used, never before.
        effective_from=timezone.localdate() if latest else date(2017, 7, 1),
        note="platform text",
    )


def in_force(versions: Iterable[TemplateVersion], on: date) -> TemplateVersion | None:
    """Of ``versions`` (the platform's and one province's), the text in force on ``on``.

    The province's newest override effective by then, if it has one: it stays in force until
    the province replaces it, even when the platform's text changes later (a changed platform
    text shows on the registry page; it never silently displaces the province's wording).
    Otherwise the platform's newest text effective by then.
    """
    effective = [v for v in versions if v.effective_from <= on]
    overrides = [v for v in effective if v.province_id is not None]
    pool = overrides or effective
    return max(pool, key=lambda v: (v.effective_from, v.version), default=None)


def version_for(code: str, commission: Organisation, on: date) -> TemplateVersion:
    """The text of ``code`` in force on ``on`` for ``commission`` (``in_force``)."""
    builtin = builtin_version(code)
    province = province_of(commission)
    candidates = TemplateVersion.objects.filter(code=code).filter(
        Q(province__isnull=True) | Q(province=province)
    )
    return in_force(candidates, on) or builtin


def content_digest(blocks: list[Block]) -> str:
    payload = json.dumps([b.as_json() for b in blocks], ensure_ascii=False, sort_keys=True)
    return sha256_text(payload)


def compose(document: CaseDocument, code: str) -> tuple[TemplateVersion, list[Block]]:
    on = timezone.localdate(document.issued_at) if document.issued_at else timezone.localdate()
    version = version_for(code, document.case.commission, on)
    return version, render_text(version.text, document_context(document, on=on))


def freeze(document: CaseDocument, code: str | None = None) -> Rendition | None:
    """Write the content of an issued document as issued; None when no template applies."""
    entry = (
        catalogue.template(code)
        if code
        else catalogue.template_for(
            document.kind, document.decision_kind or document.data.get("variant", "")
        )
    )
    if entry is None:
        return None
    version, blocks = compose(document, entry.code)
    # Refuse now, while the step can still be refused: a PDF with boxes where a name should be
    # must not be issued, served and then fail to be made (render.uncovered).
    missing = uncovered(plain_text(blocks))
    if missing:
        raise UncoveredCharacters(missing)
    return Rendition.objects.create(
        case=document.case,
        document=document,
        code=entry.code,
        template=version,
        content=[b.as_json() for b in blocks],
        content_sha256=content_digest(blocks),
    )


def preview(
    case: Case, code: str, *, data: dict[str, Any] | None = None, body: str = ""
) -> list[Block]:
    """The blocks ``code`` would make for ``case`` now, without issuing anything."""
    document = CaseDocument(
        case=case,
        kind=catalogue.template(code).kind,
        title=catalogue.template(code).title,
        number=case.case_number,
        body=body,
        data=data or {},
        issued_at=timezone.now(),
    )
    return compose(document, code)[1]
