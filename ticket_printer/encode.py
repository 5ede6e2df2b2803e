"""Parts to ESC/POS bytes, through python-escpos (its Dummy printer collects the bytes).

mode "mixed": text lines as small centred rasters (GS v 0), the number in the printer's
font (GS !), the QR by the printer (GS ( k) — a few KB. mode "raster": the whole
composed page as one raster, for printers whose native number or QR misbehave.
"""

from __future__ import annotations

import copy

from escpos.constants import ESC, QR_ECLEVEL_M
from escpos.printer import Dummy

from layso.ticket_printer.parts import NumberPart, Part, QrPart, RasterPart, compose

MODES = ("mixed", "raster")
CUTS = ("partial", "full", "none")
FEED_DOTS = ESC + b"J"  # ESC J n: print and feed n dots (python-escpos has no such call)
MAX_FEED = 255


def _escpos(width_dots: int) -> Dummy:
    printer = Dummy(profile="default")
    # The profile object is this printer's own; its data dict is shared, so copy it.
    data = copy.deepcopy(printer.profile.profile_data)
    data["media"] = {"width": {"pixels": width_dots, "mm": "Unknown"}, "dpi": 203}
    printer.profile.profile_data = data
    return printer


def _feed(printer: Dummy, dots: int) -> None:
    while dots > 0:
        step = min(dots, MAX_FEED)
        printer._raw(FEED_DOTS + bytes((step,)))
        dots -= step


def _part(printer: Dummy, part: Part) -> None:
    _feed(printer, part.space_before)
    if isinstance(part, RasterPart):
        printer.image(part.image, impl="bitImageRaster")
    elif isinstance(part, NumberPart):
        printer.set(bold=True, custom_size=True, width=part.width_mag, height=part.height_mag)
        printer.textln(part.text)
        printer.set(bold=False, normal_textsize=True)
    elif isinstance(part, QrPart):
        printer.qr(part.data, ec=QR_ECLEVEL_M, size=part.module, native=True)


def encode(parts: list[Part], width_dots: int, mode: str = "mixed",
           cut: str = "partial") -> bytes:
    """The whole print job: reset, centre, the parts, feed past the cutter, cut."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if cut not in CUTS:
        raise ValueError(f"cut must be one of {CUTS}, not {cut!r}")
    printer = _escpos(width_dots)
    printer.hw("INIT")
    printer.set(align="center")
    if mode == "raster":
        printer.image(compose(parts, width_dots), impl="bitImageRaster")
    else:
        for part in parts:
            _part(printer, part)
    if cut == "none":
        printer.print_and_feed(6)
    else:
        printer.cut(mode="PART" if cut == "partial" else "FULL")
    return printer.output
