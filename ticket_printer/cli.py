"""`layso printer test|status|list|preview`: the technician's tools.

Imports stay light here (no Pillow, no python-escpos): `layso --help` must be quick.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layso.ticket_printer.errors import PrinterStatus
    from layso.ticket_printer.printer import TicketPrinter


def register(sub: argparse._SubParsersAction) -> None:
    """Add this package's subcommands to `layso`."""
    printer = sub.add_parser(
        "printer", help="máy in phiếu: in thử, trạng thái, liệt kê, xem trước (ticket printer)",
        description="Công cụ máy in phiếu cho kỹ thuật viên (ticket printer tools). URI: "
                    "tcp://HOST:9100, serial:///dev/ttyUSB0?baudrate=115200, usb://VID:PID, "
                    "file:///dev/usb/lp0, win32://Tên máy in, preview:/thư-mục")
    actions = printer.add_subparsers(dest="printer_command", required=True, metavar="ACTION")

    test = actions.add_parser("test", help="in trang thử (print a test page)")
    _printer_options(test)
    test.set_defaults(func=run_test)

    status = actions.add_parser("status", help="đọc trạng thái máy in (read the status)")
    status.add_argument("--uri", required=True, help="địa chỉ máy in (printer URI)")
    _timeout_option(status)
    status.set_defaults(func=run_status)

    listing = actions.add_parser("list", help="liệt kê máy in cắm vào (list attached printers)")
    listing.set_defaults(func=run_list)

    preview = actions.add_parser("preview", help="ghi ảnh PNG của phiếu (write the ticket PNG)")
    preview.add_argument("--out", type=Path, default=Path("ticket.png"))
    preview.add_argument("--width", type=int, default=576, help="384 (58 mm) hoặc 576 (80 mm)")
    preview.add_argument("--config", type=Path, help="file cấu hình (config file) for the office")
    preview.add_argument("--test-page", action="store_true", help="trang thử thay vì phiếu")
    preview.set_defaults(func=run_preview)


def _printer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--uri", required=True, help="địa chỉ máy in (printer URI)")
    parser.add_argument("--width", type=int, default=576, help="384 (58 mm) hoặc 576 (80 mm)")
    parser.add_argument("--mode", choices=("mixed", "raster"), default="mixed",
                        help="mixed: số và QR in bằng lệnh máy in; raster: toàn bộ là ảnh")
    parser.add_argument("--cut", choices=("partial", "full", "none"), default="partial")
    parser.add_argument("--config", type=Path, help="file cấu hình (config file) for the office")
    _timeout_option(parser)


def _timeout_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=float, default=3.0,
                        help="chờ máy in trả lời tối đa (seconds to wait for an answer; "
                             "at most 3)")


def _fail(error: Exception) -> int:
    from layso.ticket_printer.messages import CLI_DETAIL, bilingual

    print(bilingual(error.code), file=sys.stderr)
    if error.detail:
        print(CLI_DETAIL.format(detail=error.detail), file=sys.stderr)
    return 1


def run_test(args: argparse.Namespace) -> int:
    """Print the test page only to a printer that answered it can print (where the link
    can answer at all), and say "sent" only once it answered again after the page: a
    printer that never reads, is silent, answers late or answers garbage fails here."""
    from layso.ticket_printer import PrinterError, open_printer
    from layso.ticket_printer.messages import CLI_PRINTED, bilingual
    from layso.ticket_printer.testpage import build_test_page, sample_ticket

    try:
        printer = open_printer(args.uri, args.width, args.cut, timeout=args.timeout,
                               mode=args.mode)
    except (PrinterError, ValueError) as error:
        return _fail(error) if isinstance(error, PrinterError) else _usage(error)
    with printer:
        try:
            status = _show_status(printer)
            printer.print_parts(build_test_page(args.width, bilingual(status.code),
                                                sample_ticket(args.config)))
            if status.known:
                printer.check()  # it answers after the page: it read the page to the end
        except PrinterError as error:
            return _fail(error)
    print(CLI_PRINTED.format(uri=args.uri))
    return 0


def run_status(args: argparse.Namespace) -> int:
    from layso.ticket_printer import PrinterError, open_printer

    try:
        with open_printer(args.uri, timeout=args.timeout) as printer:
            _show_status(printer)
    except PrinterError as error:
        return _fail(error)
    return 0


def _show_status(printer: TicketPrinter) -> PrinterStatus:
    """The one status check of both commands: ask, print the answer; PrinterError if the
    printer cannot print now (no answer, not a printer, paper out...)."""
    from layso.ticket_printer.messages import bilingual

    status = printer.check()
    print(bilingual(status.code))
    for n, value in status.raw.items():
        print(f"  DLE EOT {n}: {value:#04x} ({value:08b})")
    return status


def run_list(args: argparse.Namespace) -> int:
    from layso.ticket_printer.discover import candidates
    from layso.ticket_printer.messages import CLI_NETWORK_HINT, CLI_NONE_FOUND

    found = candidates()
    for uri, description in found:
        print(f"{uri:45} {description}")
    if not found:
        print(CLI_NONE_FOUND)
    print(CLI_NETWORK_HINT)
    return 0


def run_preview(args: argparse.Namespace) -> int:
    from layso.ticket_printer.layout import ticket_parts
    from layso.ticket_printer.messages import CLI_WROTE
    from layso.ticket_printer.parts import compose
    from layso.ticket_printer.testpage import build_test_page, sample_ticket

    if args.width < 128 or args.width % 8:
        return _usage(ValueError("--width must be a multiple of 8, at least 128"))
    ticket = sample_ticket(args.config)
    parts = (build_test_page(args.width, "preview", ticket) if args.test_page
             else ticket_parts(ticket, args.width))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    compose(parts, args.width).save(args.out)
    print(CLI_WROTE.format(path=args.out))
    return 0


def _usage(error: Exception) -> int:
    print(error, file=sys.stderr)
    return 2
