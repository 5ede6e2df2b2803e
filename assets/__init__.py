"""Bundled files: the Vietnamese-capable font (Be Vietnam Pro, SIL OFL), the chime, images.

Every screen and the printed ticket use this font, so Vietnamese looks the same
everywhere and nothing depends on the fonts a machine happens to have.
"""

from __future__ import annotations

from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent
FONT_DIR = ASSETS_DIR / "fonts"
FONT_REGULAR = FONT_DIR / "BeVietnamPro-Regular.ttf"
FONT_SEMIBOLD = FONT_DIR / "BeVietnamPro-SemiBold.ttf"
FONT_BOLD = FONT_DIR / "BeVietnamPro-Bold.ttf"
FONT_FAMILY = "Be Vietnam Pro"
CHIME_WAV = ASSETS_DIR / "sounds" / "chime.wav"

_qt_family: str | None = None


def load_qt_fonts() -> str:
    """Register the bundled fonts with Qt (a QGuiApplication must exist); return the family.

    Raises RuntimeError when Qt refuses the files: without them Qt draws boxes
    for Vietnamese on a machine with no system fonts, so failing loudly is kinder.
    """
    global _qt_family
    if _qt_family is not None:
        return _qt_family
    from PySide6.QtGui import QFontDatabase

    family = None
    for path in (FONT_REGULAR, FONT_SEMIBOLD, FONT_BOLD):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            raise RuntimeError(f"Qt could not load the bundled font {path}")
        family = QFontDatabase.applicationFontFamilies(font_id)[0]
    _qt_family = family
    return family
