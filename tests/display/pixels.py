"""Measuring what a widget really drew: its grab as a Pillow image, the pixels that are
not background ("ink"), the rows they cover, and OCR when tesseract is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageChops, ImageOps
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QColor, QImage, QPixmap


def to_pil(picture: QImage | QPixmap) -> Image.Image:
    """A Qt picture as an RGB Pillow image."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert picture.save(buffer, "PNG")
    from io import BytesIO

    return Image.open(BytesIO(bytes(buffer.data()))).convert("RGB")


def ink_mask(image: Image.Image, background: str, tolerance: int = 60) -> Image.Image:
    """255 where a pixel differs from `background` by more than `tolerance` (sum of RGB)."""
    colour = QColor(background)
    plain = Image.new("RGB", image.size, (colour.red(), colour.green(), colour.blue()))
    diff = ImageChops.difference(image, plain)
    r, g, b = diff.split()
    total = ImageChops.add(ImageChops.add(r, g), b)
    return total.point(lambda v: 255 if v > tolerance else 0)


def ink_count(image: Image.Image, background: str, tolerance: int = 60) -> int:
    return ink_mask(image, background, tolerance).histogram()[255]


def ink_rows(image: Image.Image, background: str, tolerance: int = 60) -> list[int]:
    """The rows (y) that hold at least one ink pixel."""
    mask = ink_mask(image, background, tolerance)
    width = mask.width
    data = mask.tobytes()
    return [y for y in range(mask.height) if any(data[y * width:(y + 1) * width])]


def ocr(image: Image.Image, lang: str = "eng") -> str | None:
    """The text tesseract reads in the picture (light-on-dark is inverted first); None when
    tesseract is not installed."""
    if shutil.which("tesseract") is None:
        return None
    grey = ImageOps.grayscale(image)
    if grey.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0)) < 128:
        grey = ImageOps.invert(grey)
    grey = grey.resize((grey.width * 2, grey.height * 2), Image.Resampling.LANCZOS)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "text.png"
        grey.save(path)
        result = subprocess.run(["tesseract", str(path), "stdout", "-l", lang, "--psm", "6"],
                                capture_output=True, text=True, timeout=60)
    return result.stdout
