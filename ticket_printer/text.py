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
ELLIPSIS = "…"
# Bidirectional controls (embeddings, overrides, isolates, marks): the layout engine would
# obey them, so a right-to-left override in one name could turn a line's text around.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                       "\u2066\u2067\u2068\u2069"))


@lru_cache(maxsize=64)
def font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_FONT_FILES[weight]), size)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def printable(text: str) -> str:
    """What goes on paper: NFC, without bidirectional controls."""
    return nfc(text).translate(BIDI_CONTROLS)


def wrap(text: str, face: ImageFont.FreeTypeFont, max_width: int,
         max_lines: int | None = None) -> list[str]:
    """Greedy word wrap; a word wider than the line is broken between letters. Past
    `max_lines` the text is cut, and the last line kept ends with an ellipsis."""
    lines: list[str] = []
    current = ""
    limit = None if max_lines is None else max_lines + 1  # one more shows there is more
    for word in printable(text).split():
        if limit is not None and len(lines) >= limit:
            break
        candidate = f"{current} {word}" if current else word
        if face.getlength(candidate) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while face.getlength(word) > max_width and (limit is None or len(lines) < limit):
            cut = _fitting(word, face, max_width)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = shorten(lines[-1], face, max_width)
    return lines


def _fitting(word: str, face: ImageFont.FreeTypeFont, max_width: int) -> int:
    """How many leading letters of `word` fit in `max_width` (at least one)."""
    low, high = 1, len(word)
    while low < high:  # getlength grows with the prefix: bisect it
        mid = (low + high + 1) // 2
        if face.getlength(word[:mid]) <= max_width:
            low = mid
        else:
            high = mid - 1
    return low


def shorten(line: str, face: ImageFont.FreeTypeFont, max_width: int) -> str:
    """`line` with an ellipsis at its end, letters dropped until both fit."""
    keep = len(line)
    while keep and face.getlength(line[:keep].rstrip() + ELLIPSIS) > max_width:
        keep -= 1
    return line[:keep].rstrip() + ELLIPSIS


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
    text = printable(text)
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
