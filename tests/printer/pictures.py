"""Looking at printed pictures: equal images, a line found on a page, and the page read
back by OCR (tesseract with its Vietnamese data), independent of how it was drawn."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from PIL import Image, ImageChops


def same(a: Image.Image, b: Image.Image) -> bool:
    difference = ImageChops.difference(a.convert("L"), b.convert("L"))
    return a.size == b.size and difference.getbbox() is None


def contains(page: Image.Image, line: Image.Image) -> bool:
    """The line appears in the page, centred, somewhere down the page."""
    x = (page.width - line.width) // 2
    first_row = line.crop((0, 0, line.width, 1)).tobytes()
    for y in range(page.height - line.height + 1):
        if page.crop((x, y, x + line.width, y + 1)).tobytes() == first_row and same(
                page.crop((x, y, x + line.width, y + line.height)), line):
            return True
    return False


def ocr_lines(image: Image.Image) -> list[str]:
    """The text lines tesseract reads on `image`, top to bottom, NFC."""
    if shutil.which("tesseract") is None:
        raise RuntimeError("tesseract is not installed (tools/setup.sh --test installs "
                           "tesseract-ocr and tesseract-ocr-vie)")
    languages = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                               check=True).stdout.split()
    if "vie" not in languages:
        raise RuntimeError("tesseract has no Vietnamese data (apt-get install "
                           "tesseract-ocr-vie; tools/setup.sh --test installs it)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.png"
        image.convert("L").save(path)
        result = subprocess.run(["tesseract", str(path), "-", "-l", "vie", "--psm", "6"],
                                capture_output=True, text=True, check=True, timeout=120)
    return [unicodedata.normalize("NFC", line.strip())
            for line in result.stdout.splitlines() if line.strip()]


def _plain(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).replace("–", "-").split())


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _plain(a), _plain(b)).ratio()


def read_in_order(expected: list[str], lines: list[str], at_least: float = 0.8) -> list[str]:
    """Each expected line matched to an OCR line read after the previous one's (a letter
    or a mark misread here and there is allowed); the matched lines, or AssertionError."""
    found, start = [], 0
    for want in expected:
        scored = [(similarity(want, line), i) for i, line in enumerate(lines) if i >= start]
        score, index = max(scored, default=(0.0, -1))
        assert score >= at_least, (f"{want!r} is not on the paper (best: "
                                   f"{lines[index] if index >= 0 else None!r}, {score:.2f}); "
                                   f"read: {lines}")
        found.append(lines[index])
        start = index + 1
    return found
