"""How a commission appears on its documents: name, abbreviation, case-number format, address,
and the image of its seal (办案规则 art. 21: documents bear the commission's seal).

The administrators of the department that maintains the commission set them, as they maintain its
other records (``orgs.permissions.may_maintain``). Documents already produced keep the name and
seal they were produced with: their PDF is made once (``services.produce``).
"""

from __future__ import annotations

import hashlib
import io
import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageChops, UnidentifiedImageError

from zhongcai.cases.models import CommissionProfile
from zhongcai.cases.numbering import format_problem, profile_of
from zhongcai.core.events import record_event
from zhongcai.orgs.models import Organisation
from zhongcai.orgs.permissions import ensure_may_maintain

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from zhongcai.accounts.models import User

SEAL_MAX_BYTES = 2 * 1024 * 1024
SEAL_FORMATS = frozenset({"PNG", "JPEG"})
SEAL_MIN_SIDE = 200  # pixels: smaller prints blurred at 42 mm
SEAL_MAX_SIDE = 5000  # pixels: refused before decoding (a small file can hide a huge image)
SEAL_KEPT_SIDE = 1000  # pixels: what is stored (42 mm at 600 dpi)
SEAL_MAX_RATIO = 1.25  # a round seal is square; a little margin on one side is fine
WHITE = 235  # channel level above which a JPEG's background is made transparent
SETTINGS_FIELDS = (
    "document_name",
    "abbreviation",
    "case_number_format",
    "address",
    "postcode",
    "phone",
    "office_hours",
)


def seal_image_png(upload: UploadedFile) -> bytes:
    """The uploaded seal as a PNG with a transparent background, or ``ValidationError``.

    PNG or JPEG, at most 2 MB, roughly square. A JPEG has no transparency: its white
    background is made transparent so that the seal does not hide the date line under it.
    """

    def refuse(message: str, code: str) -> ValidationError:
        return ValidationError({"seal": [ValidationError(message, code=code)]})

    if upload.size is not None and upload.size > SEAL_MAX_BYTES:
        raise refuse(_("The seal image is larger than 2 MB."), "seal_too_large")
    data = upload.read()
    upload.seek(0)
    if len(data) > SEAL_MAX_BYTES:
        raise refuse(_("The seal image is larger than 2 MB."), "seal_too_large")
    malformed = _("The file is not a readable PNG or JPEG image.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, (width, height) = probe.format, probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refuse(malformed, "seal_malformed") from None
    if kind not in SEAL_FORMATS:
        raise refuse(_("The seal image must be a PNG or JPEG file."), "seal_format")
    if max(width, height) > SEAL_MAX_SIDE or min(width, height) < SEAL_MIN_SIDE:
        raise refuse(
            _("The seal image must be between %(min)d and %(max)d pixels on each side.")
            % {"min": SEAL_MIN_SIDE, "max": SEAL_MAX_SIDE},
            "seal_size",
        )
    if max(width, height) / min(width, height) > SEAL_MAX_RATIO:
        raise refuse(
            _("The seal image must be about square (it is %(width)d × %(height)d pixels).")
            % {"width": width, "height": height},
            "seal_shape",
        )
    try:
        with Image.open(io.BytesIO(data)) as source:
            image = source.convert("RGBA")
    except (OSError, SyntaxError, ValueError):  # truncated data that verify() let through
        raise refuse(malformed, "seal_malformed") from None
    if kind == "JPEG":
        red, green, blue, _alpha = image.split()
        darkest = ImageChops.darker(ImageChops.darker(red, green), blue)
        image.putalpha(darkest.point(lambda level: 0 if level > WHITE else 255))
    image.thumbnail((SEAL_KEPT_SIDE, SEAL_KEPT_SIDE))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _settings_errors(values: dict[str, str]) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if not values["abbreviation"]:
        errors["abbreviation"] = [_("This field is required.")]
    problem = format_problem(values["case_number_format"])
    if problem:
        errors["case_number_format"] = [problem]
    if values["postcode"] and not re.fullmatch(r"\d{6}", values["postcode"]):
        errors["postcode"] = [_("A postcode has six digits.")]
    for name in SETTINGS_FIELDS:
        limit = CommissionProfile._meta.get_field(name).max_length
        if limit and len(values[name]) > limit:
            errors.setdefault(name, []).append(
                _("At most %(limit)d characters.") % {"limit": limit}
            )
    return errors


@transaction.atomic
def commission_settings_update(
    *,
    by: User | None,
    commission: Organisation,
    seal: UploadedFile | None = None,
    remove_seal: bool = False,
    **values: str,
) -> CommissionProfile:
    """Set how ``commission`` appears on its documents; nothing is saved if anything is wrong.

    The administrators of the department that maintains the commission do this, as they maintain
    its other records (``orgs.permissions.may_maintain``). A new case-number format applies to
    numbers allocated from now on. Writes ``commission.document_settings_changed`` on the
    commission. Documents already issued keep the name and seal they were produced with.
    """
    ensure_may_maintain(by, commission)
    if commission.type != Organisation.Type.COMMISSION:
        raise ValidationError(_("This is not an arbitration commission."))
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown settings: {sorted(unknown)}")
    cleaned = {name: str(values.get(name) or "").strip() for name in SETTINGS_FIELDS}
    errors = _settings_errors(cleaned)
    png = None
    if seal is not None:
        try:
            png = seal_image_png(seal)
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    locked = Organisation.objects.select_for_update().get(pk=commission.pk)
    profile = CommissionProfile.objects.select_for_update().get(pk=profile_of(locked).pk)
    changed: dict[str, Any] = {}
    for name, value in cleaned.items():
        if getattr(profile, name) != value:
            changed[name] = [getattr(profile, name), value]
            setattr(profile, name, value)
    if png is not None:
        digest = hashlib.sha256(png).hexdigest()
        # The old image stays in storage: never delete what a produced document may show.
        profile.seal.save(f"seal-{locked.pk}-{digest[:16]}.png", ContentFile(png), save=False)
        changed["seal"] = {"sha256": digest}
    elif remove_seal and profile.seal:
        profile.seal = ""
        changed["seal"] = "removed"
    if changed:
        profile.save()
        record_event(
            locked,
            "commission.document_settings_changed",
            actor=by,
            organisation=locked,
            payload={"changed": changed},
        )
    return profile
