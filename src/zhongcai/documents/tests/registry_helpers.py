"""What the registry, settings and download tests share: an issued notice, another province,
seal images, and a production that does not render (where the bytes do not matter)."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from zhongcai.accounts.models import Role, User
from zhongcai.accounts.services import staff_user_create
from zhongcai.cases.documents import document_issue
from zhongcai.cases.models import Case, CaseDocument, DocumentKind
from zhongcai.orgs.models import Division, Organisation
from zhongcai.orgs.services import organisation_create

MARKER = "本版本为山东省修订文本"

# The acceptance notice with one line more: what a province's override looks like.
OVERRIDE = """@caption {{ commission.name }}
@title 受理通知书
@number {{ doc.number }}
{% for applicant in applicants %}
@to {{ applicant.name }}：
{% endfor %}
你（单位）提交的仲裁申请，本委决定予以受理，立案日期为{{ case.accepted_on_text }}。
@plain %s
@seal
@sign {{ commission.name }}
@date {{ doc.issued_on_cn }}
""".replace("%s", MARKER)


def issue_notice(case: Case, by: User) -> CaseDocument:
    """A 受理通知书 issued on ``case`` now, as the acceptance step issues it."""
    with transaction.atomic():
        return document_issue(
            case=case, kind=DocumentKind.ACCEPTANCE_NOTICE, title="受理通知书", by=by
        )


def other_province() -> tuple[Organisation, User]:
    """Jiangsu's department (another root of the tree) and its administrator."""
    division, _created = Division.objects.get_or_create(
        code="320000", defaults={"name": "江苏省", "level": Division.Level.PROVINCE}
    )
    department = organisation_create(
        by=None,
        name="江苏省人力资源和社会保障厅",
        type=Organisation.Type.HRSS_DEPARTMENT,
        division=division,
        parent=None,
    )
    admin = staff_user_create(
        by=None,
        username="jiangsu_admin",
        real_name="钱江",
        role=Role.HRSS_ADMIN,
        organisation=department,
        password="x-unused-x",
    )
    return department, admin


def image_bytes(
    size: tuple[int, int] = (400, 400), *, fmt: str = "PNG", colour: Any = (200, 16, 26, 255)
) -> bytes:
    mode = "RGBA" if fmt == "PNG" else "RGB"
    image = Image.new(mode, size, (255, 255, 255, 0) if mode == "RGBA" else (255, 255, 255))
    inner = (size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4)
    image.paste(colour if mode == "RGBA" else colour[:3], inner)
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def upload(content: bytes, name: str = "seal.png", content_type: str = "image/png") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def fake_render(monkeypatch: Any) -> list[int]:
    """Make production write small fake files (no WeasyPrint); returns the renditions made."""
    made: list[int] = []

    def render_files(rendition: Any) -> tuple[bytes, bytes]:
        made.append(rendition.pk)
        digest = hashlib.sha256(repr(rendition.content).encode()).hexdigest().encode()
        return b"%PDF-1.7 fake " + digest, b"PK fake " + digest

    monkeypatch.setattr("zhongcai.documents.services.render_files", render_files)
    return made
