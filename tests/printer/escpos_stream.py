"""Read recorded ESC/POS bytes back, as a printer would: what ran, and the page it makes.

Only the commands LaySo sends are understood; anything else fails the test loudly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image, ImageOps

from layso.ticket_printer.parts import FONT_A_CELL, qr_matrix

ESC, GS, DLE, LF = 0x1B, 0x1D, 0x10, 0x0A
ONE_BYTE_ARG = {(ESC, ord("a")): "align", (ESC, ord("J")): "feed", (ESC, ord("d")): "feed_lines",
                (ESC, ord("E")): "bold", (ESC, ord("!")): "mode", (ESC, ord("t")): "codepage",
                (GS, ord("!")): "size", (DLE, 0x04): "status"}


@dataclass
class Op:
    name: str
    arg: int = 0
    data: bytes = b""
    image: Image.Image | None = None


def parse(data: bytes) -> list[Op]:
    ops: list[Op] = []
    i = 0
    while i < len(data):
        byte = data[i]
        pair = (byte, data[i + 1]) if i + 1 < len(data) else (byte, -1)
        if pair in ONE_BYTE_ARG:
            ops.append(Op(ONE_BYTE_ARG[pair], data[i + 2]))
            i += 3
        elif pair == (ESC, ord("@")):
            ops.append(Op("init"))
            i += 2
        elif pair == (GS, ord("v")) and data[i + 2] == ord("0"):
            width_bytes = data[i + 4] | data[i + 5] << 8
            height = data[i + 6] | data[i + 7] << 8
            raw = data[i + 8:i + 8 + width_bytes * height]
            assert len(raw) == width_bytes * height, "raster cut short"
            # ESC/POS: bit 1 = black; Pillow "1": bit 1 = white.
            image = Image.frombytes("1", (width_bytes * 8, height), raw)
            ops.append(Op("raster", image=ImageOps.invert(image.convert("L")).convert("1")))
            i += 8 + len(raw)
        elif pair == (GS, ord("(")) and data[i + 2] == ord("k"):
            length = data[i + 3] | data[i + 4] << 8
            body = data[i + 5:i + 5 + length]
            ops.append(Op("2d", body[1], body[2:]))  # fn, then its parameters
            i += 5 + length
        elif pair == (GS, ord("V")):
            ops.append(Op("cut", data[i + 2]))
            i += 3 + (data[i + 2] in (65, 66))
        elif byte == LF:
            ops.append(Op("lf"))
            i += 1
        elif 0x20 <= byte < 0x7F:
            end = i
            while end < len(data) and 0x20 <= data[end] < 0x7F:
                end += 1
            ops.append(Op("text", data=data[i:end]))
            i = end
        else:
            raise ValueError(f"unexpected byte {byte:#04x} at {i}: {data[i:i + 8]!r}")
    return ops


@dataclass
class Page:
    image: Image.Image
    natives: list[tuple[str, str, tuple[int, int, int, int]]] = field(default_factory=list)
    cut: int | None = None


def print_page(data: bytes, width_dots: int) -> Page:
    """Run the job like a printer: centred parts, feeds, native text and QR as blank boxes
    (their place and size recorded), rasters pasted exactly. Ends at the cut."""
    ops = parse(data)
    pasted: list[tuple[Image.Image, int, int]] = []
    natives = []
    y, align, size, qr_data, qr_module, cut = 0, 0, 0, "", 3, None
    for op in ops:
        if op.name == "align":
            align = op.arg
        elif op.name == "feed":
            y += op.arg
        elif op.name == "size":
            size = op.arg
        elif op.name == "raster":
            assert align == 1, "every part is printed centred"
            pasted.append((op.image, (width_dots - op.image.width) // 2, y))
            y += op.image.height
        elif op.name == "text":
            text = op.data.decode("ascii")
            w = FONT_A_CELL[0] * ((size >> 4) + 1) * len(text)
            h = FONT_A_CELL[1] * ((size & 0x0F) + 1)
            left = (width_dots - w) // 2
            natives.append(("text", text, (left, y, left + w, y + h)))
            y += h
        elif op.name == "2d" and op.arg == 67:
            qr_module = op.data[0]
        elif op.name == "2d" and op.arg == 80:
            qr_data = op.data[1:].decode()
        elif op.name == "2d" and op.arg == 81:
            side = len(qr_matrix(qr_data)) * qr_module
            left = (width_dots - side) // 2
            natives.append(("qr", qr_data, (left, y, left + side, y + side)))
            y += side
        elif op.name == "cut":
            cut = op.arg
            break
        elif op.name == "feed_lines":
            continue  # the feed past the cutter: not part of the ticket's image
    page = Image.new("1", (width_dots, max(1, y)), 1)
    for image, x, top in pasted:
        page.paste(image, (x, top))
    return Page(page, natives, cut)
