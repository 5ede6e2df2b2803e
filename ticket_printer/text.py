"""Vietnamese text to 1-bit images with the bundled font.

Printers rarely have a Vietnamese code page (python-escpos then prints `?`), so every
text line goes to the printer as a raster drawn here.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont, ImageOps

from layso.assets import FONT_BOLD, FONT_REGULAR, FONT_SEMIBOLD

_FONT_FILES = {"regular": FONT_REGULAR, "semibold": FONT_SEMIBOLD, "bold": FONT_BOLD}
INK_THRESHOLD = 110  # of 255 coverage: a little bolder than 50 %, thin strokes survive heat


@lru_cache(maxsize=64)
def font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_FONT_FILES[weight]), size)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def wrap(text: str, face: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    """Greedy word wrap; a word wider than the line is broken between letters."""
    lines: list[str] = []
    current = ""
    for word in nfc(text).split():
        candidate = f"{current} {word}" if current else word
        if face.getlength(candidate) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while face.getlength(word) > max_width:
            cut = max(1, max(i for i in range(1, len(word) + 1)
                             if face.getlength(word[:i]) <= max_width or i == 1))
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def byte_align(image: Image.Image) -> Image.Image:
    """Pad to a width that is a multiple of 8 dots, evenly both sides (raster rows are bytes)."""
    extra = -image.width % 8
    if not extra:
        return image
    padded = Image.new("1", (image.width + extra, image.height), 1)
    padded.paste(image, (extra // 2, 0))
    return padded


def ink_to_bitmap(coverage: Image.Image) -> Image.Image:
    """Coverage ("L", 255 = ink) to a 1-bit image, black ink on white."""
    return coverage.point(lambda v: 0 if v >= INK_THRESHOLD else 255).convert("1")


def text_line(text: str, face: ImageFont.FreeTypeFont) -> tuple[Image.Image, int]:
    """One line, cropped to its ink and byte-aligned; returns (image, ink top below the
    line's ascent line) so lines of different height still sit on regular baselines."""
    text = nfc(text)
    ascent, _ = face.getmetrics()
    x0, y0, x1, y1 = face.getbbox(text, anchor="ls")
    coverage = Image.new("L", (max(1, x1 - x0), max(1, y1 - y0)), 0)
    ImageDraw.Draw(coverage).text((-x0, -y0), text, font=face, fill=255, anchor="ls")
    bitmap = ink_to_bitmap(coverage)
    box = ImageOps.invert(bitmap.convert("L")).getbbox()
    if box is None:
        return Image.new("1", (8, 1), 1), ascent
    bitmap = bitmap.crop(box)
    return byte_align(bitmap), ascent + y0 + box[1]
