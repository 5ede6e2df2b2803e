"""A printed page as a column of parts: raster lines, a native big number, a native QR.

Every part is printed centred (ESC a 1) after `space_before` dots of paper feed, and
every part can draw itself the way the printer will print it, so the preview, the
full-raster fallback and the mixed ESC/POS stream all come from the same list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageOps
from qrcode.exceptions import DataOverflowError

from layso.ticket_printer import text

FONT_A_CELL = (12, 24)  # dots per character of the printer's font A at magnification 1
QR_ERROR_LEVEL = "M"
QR_MAX_SIDE = 360  # dots (45 mm): a bigger code only makes the ticket longer
QR_MIN_MODULE = 2  # dots a module: below this a phone cannot read a thermal print


@dataclass(frozen=True)
class RasterPart:
    """A 1-bit image, byte-aligned width: sent as GS v 0."""

    image: Image.Image
    space_before: int = 0

    def preview(self) -> Image.Image:
        return self.image


@dataclass(frozen=True)
class NumberPart:
    """The queue number in the printer's own font, magnified (GS ! n). ASCII only."""

    text: str
    width_mag: int
    height_mag: int
    space_before: int = 0

    def preview(self) -> Image.Image:
        return number_image(self.text, self.width_mag, self.height_mag)


@dataclass(frozen=True)
class QrPart:
    """A QR code made by the printer (GS ( k), `module` dots per module, no quiet zone."""

    data: str
    module: int
    space_before: int = 0

    def preview(self) -> Image.Image:
        return qr_image(self.data, self.module)


Part = RasterPart | NumberPart | QrPart


def compose(parts: list[Part], width_dots: int) -> Image.Image:
    """The page exactly as printed: each part centred below its feed."""
    images = [part.preview() for part in parts]
    height = sum(part.space_before + image.height for part, image in zip(parts, images))
    page = Image.new("1", (width_dots, max(1, height)), 1)
    y = 0
    for part, image in zip(parts, images):
        y += part.space_before
        page.paste(image, ((width_dots - image.width) // 2, y))
        y += image.height
    return page


def part_boxes(parts: list[Part], width_dots: int) -> list[tuple[int, int, int, int]]:
    """Where each part lands on the composed page (left, top, right, bottom)."""
    boxes = []
    y = 0
    for part in parts:
        image = part.preview()
        y += part.space_before
        left = (width_dots - image.width) // 2
        boxes.append((left, y, left + image.width, y + image.height))
        y += image.height
    return boxes


@lru_cache(maxsize=32)
def _digit_glyph(char: str) -> Image.Image:
    """One character of the bold bundled font, cropped to its ink, as coverage."""
    face = text.font("bold", 200)
    x0, y0, x1, y1 = face.getbbox(char, anchor="ls")
    glyph = Image.new("L", (x1 - x0, y1 - y0), 0)
    ImageDraw.Draw(glyph).text((-x0, -y0), char, font=face, fill=255, anchor="ls")
    return glyph.crop(glyph.getbbox() or (0, 0, 1, 1))


@lru_cache(maxsize=32)
def number_image(number: str, width_mag: int, height_mag: int) -> Image.Image:
    """How a printer draws `number` in font A magnified: each character fills ~80 % of its
    12x24-dot cell scaled by the magnification. The printer's own glyphs differ a little;
    the size and place are the printer's."""
    cell_w, cell_h = FONT_A_CELL[0] * width_mag, FONT_A_CELL[1] * height_mag
    coverage = Image.new("L", (cell_w * len(number), cell_h), 0)
    for i, char in enumerate(number):
        if char == " ":
            continue
        glyph = _digit_glyph(char).resize((int(cell_w * 0.8), int(cell_h * 0.7)))
        coverage.paste(glyph, (i * cell_w + (cell_w - glyph.width) // 2,
                               int(cell_h * 0.12)))
    return text.ink_to_bitmap(coverage)


def qr_matrix(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(version=None, border=0,
                         error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


@lru_cache(maxsize=16)
def qr_image(data: str, module: int) -> Image.Image:
    matrix = qr_matrix(data)
    size = len(matrix)
    small = Image.new("1", (size, size), 1)
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    return small.resize((size * module, size * module), Image.NEAREST)


class PageBuilder:
    """Stacks parts top to bottom on a page `width_dots` wide with regular baselines."""

    def __init__(self, width_dots: int, margin: int) -> None:
        self.width_dots = width_dots
        self.margin = margin
        self.parts: list[Part] = []
        self._feed = 0  # dots of paper still owed before the next part

    @property
    def text_width(self) -> int:
        return self.width_dots - 2 * self.margin

    def gap(self, dots: int) -> None:
        self._feed += dots

    def paragraph(self, line: str, weight: str, size: int, max_lines: int | None = None,
                  leading: float = 1.25) -> None:
        """Wrapped lines, centred, at most `max_lines` (the last cut with an ellipsis); the
        baseline-to-baseline pitch is `leading` x size."""
        face = text.font(weight, size)
        pitch = round(size * leading)
        for row in text.wrap(line, face, self.text_width, max_lines):
            image, ink_top = text.text_line(row, face)
            self._add(RasterPart(image, max(0, self._feed + ink_top)))
            self._feed = max(0, pitch - ink_top - image.height)

    def image(self, image: Image.Image) -> None:
        self._add(RasterPart(text.byte_align(image.convert("1")), self._feed))
        self._feed = 0

    def inverted_label(self, label: str, weight: str, size: int) -> None:
        """White text on a black box: the priority mark."""
        face = text.font(weight, size)
        glyphs, _ = text.text_line(label, face)
        pad = max(4, size // 4)
        box = Image.new("1", (glyphs.width + 4 * pad, glyphs.height + 2 * pad), 0)
        box.paste(ImageOps.invert(glyphs.convert("L")).convert("1"), (2 * pad, pad))
        self.image(box)

    def number(self, number: str, max_lines: int | None = None) -> None:
        """The queue number as big as the printer's font allows (GS ! goes to 8x)."""
        if not number.isascii():
            self.paragraph(number, "bold", 96, max_lines)
            return
        width_mag = max(1, min(8, self.text_width // (FONT_A_CELL[0] * max(1, len(number)))))
        height_mag = min(8, width_mag + 1)
        self._add(NumberPart(number, width_mag, height_mag, self._feed))
        self._feed = 0

    def qr(self, data: str, space_before: int = 0) -> bool:
        """The QR, as big as fits (at most QR_MAX_SIDE); False, and nothing added, when
        `data` is too long to print readably in that space."""
        side = min(self.text_width, QR_MAX_SIDE)
        try:
            modules = len(qr_matrix(data))
        except DataOverflowError:  # more than a QR code holds
            return False
        module = 6 if self.width_dots >= 512 else 5 if self.width_dots >= 384 else 4
        while module > QR_MIN_MODULE and modules * module > side:
            module -= 1
        if modules * module > side:
            return False
        self.gap(space_before)
        self._add(QrPart(data, module, self._feed))
        self._feed = 0
        return True

    def _add(self, part: Part) -> None:
        self.parts.append(part)
