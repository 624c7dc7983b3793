"""The commission's seal on issued PDFs: its uploaded image, or one drawn from its name.

A drawn seal follows the shape of an official round seal: a red ring, a five-pointed star in the
middle, the body's name along the upper arc. It stands in until the commission uploads the image
of its real seal (commission settings); it is marked 样章 so that nobody takes it for the real one.
"""

from __future__ import annotations

import base64
import io
import math
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from .render import font_paths

RED = (200, 16, 26, 235)
SIZE = 600


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.382
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy - r * math.sin(angle)))
    draw.polygon(points, fill=RED)


@lru_cache(maxsize=32)
def drawn_seal(name: str, footer: str = "样章") -> bytes:
    """A PNG of a round seal with ``name`` on the upper arc and ``footer`` below the star."""
    image = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    centre = SIZE / 2
    draw.ellipse((12, 12, SIZE - 12, SIZE - 12), outline=RED, width=16)
    _star(draw, centre, centre, SIZE * 0.16)
    font_file = str(font_paths()[700])
    chars = list(name)[:24]
    size = 62 if len(chars) <= 14 else 50
    font = ImageFont.truetype(font_file, size)
    radius = SIZE / 2 - 30 - size * 0.75
    span = min(250.0, 17.5 * len(chars))  # degrees of arc the name takes
    for index, char in enumerate(chars):
        angle = -span / 2 + span * (index + 0.5) / len(chars)  # 0 = top, clockwise
        rad = math.radians(angle)
        x = centre + radius * math.sin(rad)
        y = centre - radius * math.cos(rad)
        glyph = Image.new("RGBA", (size * 2, size * 2), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((size, size), char, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.Resampling.BICUBIC)
        image.alpha_composite(glyph, (int(x - size), int(y - size)))
    if footer:
        small = ImageFont.truetype(font_file, 44)
        draw.text((centre, centre + SIZE * 0.25), footer, font=small, fill=RED, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def seal_png(commission) -> bytes:
    """The image of ``commission``'s seal: uploaded, else drawn from its document name."""
    from zhongcai.cases.numbering import profile_of

    profile = profile_of(commission)
    if profile.seal:
        with profile.seal.open("rb") as handle:
            return handle.read()
    return drawn_seal(profile.document_name or commission.name)


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
