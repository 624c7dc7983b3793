"""The template registry: the texts of the catalogue's documents as each province issues them.

A province's department overrides the platform's text of a catalogue template with versions of
its own, each effective from a date that is never in the past: a version never changes a document
issued before it (the content of an issued document is frozen at issue, ``compose.freeze``), and a
document issued on or after the date uses it (``compose.version_for``). A text must compile and
render the sample case (and the province's newest document of the kind) before it is stored, so
that a broken text never refuses an issuing step later (``cases.documents.document_issue`` fails
on a broken text). The commission's own settings (name, seal) are in ``commission_settings``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.template import TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongcai.cases.models import Case, CaseDocument
from zhongcai.core.events import record_event
from zhongcai.orgs.models import Organisation
from zhongcai.orgs.permissions import is_administrator

from . import catalogue
from .catalogue import Served, Signer, Template
from .compose import (
    ENGINE,
    TemplateProblem,
    builtin_version,
    in_force,
    platform_text,
    province_of,
    render_text,
    sha256_text,
)
from .context import document_context
from .markup import DIRECTIVES, Block, MarkupError
from .models import Rendition, TemplateVersion
from .sample import sample_context

if TYPE_CHECKING:
    from zhongcai.accounts.models import User

SIGNER_LABELS = {
    Signer.SEAL: gettext_lazy("The commission's seal"),
    Signer.ARBITRATORS: gettext_lazy("The arbitrators, with the seal"),
    Signer.INSTITUTE: gettext_lazy("The arbitration institute"),
    Signer.HANDLER: gettext_lazy("The officer handling the step"),
    Signer.RECIPIENT: gettext_lazy("The recipient"),
    Signer.SYSTEM: gettext_lazy("The platform"),
}
SERVED_LABELS = {
    Served.NONE: gettext_lazy("Not served"),
    Served.APPLICANTS: gettext_lazy("Applicants"),
    Served.RESPONDENTS: gettext_lazy("Respondents"),
    Served.PARTIES: gettext_lazy("Every party"),
    Served.ADDRESSEE: gettext_lazy("The party it is addressed to"),
}


# --- Who may do what ----------------------------------------------------------------------------


def province_for(user: Any) -> Organisation | None:
    """The root of the user's organisation tree: the province whose overrides the user sees."""
    organisation = getattr(user, "organisation", None)
    return province_of(organisation) if organisation is not None else None


def may_view_registry(user: Any) -> bool:
    """Administrators of an HRSS department, at any level, read their province's registry."""
    return is_administrator(user)


def may_edit_templates(user: Any, province: Organisation | None) -> bool:
    """Only the administrators of the province's own department (the root of the tree) change
    the texts every commission of the province issues; a city or county reads them."""
    return (
        province is not None
        and province.parent_id is None
        and is_administrator(user)
        and user.organisation_id == province.pk
    )


# --- The registry as the province sees it -------------------------------------------------------


@dataclass(frozen=True)
class RegistryRow:
    entry: Template
    current: TemplateVersion | None  # in force today; None when the platform text is missing
    scheduled: TemplateVersion | None  # the next version, effective later

    @property
    def overridden(self) -> bool:
        return self.current is not None and self.current.province_id is not None


def _sync_builtin_versions(stored: dict[str, list[TemplateVersion]]) -> set[str]:
    """Store the platform's text of every code whose file changed; the codes that have none."""
    missing = set()
    for entry in catalogue.CATALOGUE:
        if not entry.path.is_file():
            missing.add(entry.code)
            continue
        platform = [v for v in stored.get(entry.code, []) if v.province_id is None]
        latest = max(platform, key=lambda v: v.version, default=None)
        if latest is None or latest.sha256 != platform_text(entry.code)[1]:
            version = builtin_version(entry.code)
            if all(v.pk != version.pk for v in platform):
                stored.setdefault(entry.code, []).append(version)
    return missing


def _stored_versions(province: Organisation | None) -> dict[str, list[TemplateVersion]]:
    where = Q(province__isnull=True)
    if province is not None:
        where |= Q(province=province)
    stored: dict[str, list[TemplateVersion]] = {}
    for version in TemplateVersion.objects.filter(where).select_related("created_by"):
        stored.setdefault(version.code, []).append(version)
    return stored


def registry_rows(province: Organisation | None, *, on: date | None = None) -> list[RegistryRow]:
    """Every catalogue entry with the version in force for ``province`` (a few queries)."""
    today = on or timezone.localdate()
    stored = _stored_versions(province)
    missing = _sync_builtin_versions(stored)
    rows = []
    for entry in catalogue.CATALOGUE:
        versions = [] if entry.code in missing else stored.get(entry.code, [])
        later = [v for v in versions if v.effective_from > today]
        rows.append(
            RegistryRow(
                entry=entry,
                current=in_force(versions, today),
                scheduled=min(
                    later, key=lambda v: (v.effective_from, v.province_id is None), default=None
                ),
            )
        )
    return rows


def versions_of(code: str, province: Organisation | None) -> list[TemplateVersion]:
    """The platform's texts of ``code`` and the province's overrides, newest effective first."""
    if catalogue.template(code).path.is_file():
        builtin_version(code)
    where = Q(province__isnull=True)
    if province is not None:
        where |= Q(province=province)
    return list(
        TemplateVersion.objects.filter(where, code=code)
        .select_related("created_by", "province")
        .order_by("-effective_from", "-created_at", "-pk")
    )


# --- Checking a text: it compiles, and renders a sample without error ---------------------------


@dataclass(frozen=True)
class TextProblem:
    message: str
    line: int | None = None

    def __str__(self) -> str:
        # Django's own messages say "on line 3" already.
        if self.line and f"line {self.line}" not in self.message:
            return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


def _directive_line(text: str, name: str) -> int | None:
    pattern = re.compile(rf"^\s*@{re.escape(name)}(\s|$)")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def _unknown_directive(text: str) -> TextProblem | None:
    """A line written as ``@name`` with a name markup does not know, wherever it stands (also
    inside an ``{% if %}`` the sample does not take)."""
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"^\s*@([A-Za-z_]\w*)", line)
        if match and match.group(1) not in DIRECTIVES:
            return TextProblem(
                _("Unknown directive @%(name)s.") % {"name": match.group(1)}, line=number
            )
    return None


def problem_of(exc: Exception, text: str) -> TextProblem:
    cause = exc.__cause__ if isinstance(exc, TemplateProblem) and exc.__cause__ else exc
    if isinstance(cause, TemplateSyntaxError):
        token = getattr(cause, "token", None)
        return TextProblem(str(cause), line=getattr(token, "lineno", None))
    if isinstance(cause, MarkupError):
        name = cause.message.rsplit("@", 1)[-1] if "@" in cause.message else ""
        return TextProblem(cause.message, line=_directive_line(text, name) if name else None)
    return TextProblem(str(cause) or cause.__class__.__name__)


def _render(text: str, context: dict[str, Any]) -> list[Block]:
    try:
        return render_text(text, context)
    except TemplateProblem:
        raise
    except Exception as exc:  # any failure of the text is the text's problem
        raise TemplateProblem(str(exc)) from exc


def _latest_issued(code: str, where: Q) -> CaseDocument | None:
    rendition = (
        Rendition.objects.filter(where, code=code)
        .select_related("document__case")
        .order_by("-pk")
        .first()
    )
    return rendition.document if rendition is not None else None


def text_problem(
    text: str, *, code: str, province: Organisation | None = None
) -> TextProblem | None:
    """Why ``text`` cannot be stored as a version of ``code``, or None.

    The text compiles; every ``@`` line names a known directive; it renders the sample case and
    (when the province has issued one) the newest document of ``code`` issued in the province,
    with the data its step recorded.
    """
    if not text.strip():
        return TextProblem(_("The text is empty."))
    try:
        ENGINE.from_string(text)
    except TemplateSyntaxError as exc:
        return problem_of(exc, text)
    unknown = _unknown_directive(text)
    if unknown is not None:
        return unknown
    contexts = [sample_context(code)]
    if province is not None:
        issued = _latest_issued(code, Q(case__commission__path__startswith=province.path))
        if issued is not None:
            contexts.append(document_context(issued))
    for context in contexts:
        try:
            blocks = _render(text, context)
        except TemplateProblem as exc:
            return problem_of(exc, text)
        if not blocks:
            return TextProblem(_("The text produces an empty document."))
    return None


def preview_blocks(version: TemplateVersion, *, case: Case | None = None) -> list[Block]:
    """The blocks ``version`` makes for ``case`` (its newest document of the kind, with that
    document's data; otherwise a new one), or for the sample. Raises ``TemplateProblem``."""
    if case is None:
        return _render(version.text, sample_context(version.code))
    entry = catalogue.template(version.code)
    document = _latest_issued(version.code, Q(case=case)) or CaseDocument(
        case=case,
        kind=entry.kind,
        decision_kind=entry.variant if entry.kind == "decision" else "",
        title=entry.title,
        number=case.case_number,
        issued_at=timezone.now(),
    )
    return _render(version.text, document_context(document))


# --- New versions -------------------------------------------------------------------------------


def _normalised(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n") + "\n"


@transaction.atomic
def template_version_create(
    *,
    by: User,
    province: Organisation,
    code: str,
    text: str,
    effective_from: date,
    note: str = "",
) -> TemplateVersion:
    """Store the province's new text of ``code``, effective from ``effective_from``.

    Preconditions: ``by`` administers the province's own department; the date is today or
    later (no back-dating: documents issued before keep their frozen content, and none issued
    before the date will use it); the text renders (``text_problem``). Writes the event
    ``document.template_version`` on the province's department.
    """
    if code not in catalogue.BY_CODE:
        raise ValidationError(_("There is no document template %(code)s.") % {"code": code})
    if not may_edit_templates(by, province):
        raise PermissionDenied(
            _("Only the administrators of the province's department change its templates.")
        )
    errors: dict[str, list[str]] = {}
    if effective_from < timezone.localdate():
        errors["effective_from"] = [
            _(
                "A new version takes effect today or later: a template is never back-dated, so "
                "documents already issued keep the text they were issued with."
            )
        ]
    text = _normalised(text)
    problem = text_problem(text, code=code, province=province)
    if problem is not None:
        errors["text"] = [
            _("The text cannot be used: %(problem)s") % {"problem": problem},
        ]
    if errors:
        raise ValidationError(errors)
    # The department's row serializes two administrators adding a version at the same moment.
    locked = Organisation.objects.select_for_update().get(pk=province.pk)
    last = TemplateVersion.objects.filter(code=code, province=locked).order_by("-version").first()
    version = TemplateVersion.objects.create(
        code=code,
        province=locked,
        version=(last.version + 1) if last else 1,
        text=text,
        sha256=sha256_text(text),
        effective_from=effective_from,
        note=note.strip()[:200],
        created_by=by,
    )
    record_event(
        locked,
        "document.template_version",
        actor=by,
        organisation=locked,
        payload={
            "template": code,
            "version": version.version,
            "version_id": version.pk,
            "effective_from": effective_from.isoformat(),
            "sha256": version.sha256,
            "note": version.note,
        },
    )
    return version
