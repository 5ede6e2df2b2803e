"""The package boundaries of ARCHITECTURE.md, read from the code's own imports.

Devices (kiosk, counter_display) talk to the server only over HTTP and the event
stream; the server imports no device package; the shared package imports no part;
only the `layso` command (layso/cli.py, layso/demo*.py) sits above all of them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PARTS = ("server", "kiosk", "counter_display", "ticket_printer", "config", "assets", "common")

# part -> the parts it may import
ALLOWED = {
    "common": set(),
    "assets": set(),
    "config": set(),
    "ticket_printer": {"common", "assets", "config"},
    "kiosk": {"common", "assets", "config", "ticket_printer"},
    "counter_display": {"common", "assets", "config"},
    "server": {"common", "assets", "config"},
}


def folder_of(part: str) -> Path:
    return REPO / "layso" / "common" if part == "common" else REPO / part


def imported_parts(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            bits = name.split(".")
            if bits[0] == "layso" and len(bits) > 1:
                found.add(bits[1])
            elif bits[0] in PARTS:
                found.add("bare:" + bits[0])   # an import that skips the layso name
    return found


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_each_part_imports_only_what_lies_below_it(part):
    wrong = {}
    for path in sorted(folder_of(part).rglob("*.py")):
        bad = {p for p in imported_parts(path) if p != part and p not in ALLOWED[part]}
        if bad:
            wrong[str(path.relative_to(REPO))] = sorted(bad)
    assert wrong == {}


def test_the_checker_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("from layso.server.app import create_app\nimport kiosk.state\n")
    assert imported_parts(sample) == {"server", "bare:kiosk"}


def test_a_wheel_puts_only_layso_into_site_packages(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(tmp_path), str(REPO)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("layso-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"layso"}
    # the files the parts load at run time travel with them
    for needed in ("layso/server/storage/migrations/versions/0001_initial_schema.py",
                   "layso/server/web/static/console.js", "layso/server/web/templates/base.html",
                   "layso/assets/fonts/BeVietnamPro-Bold.ttf", "layso/config/layso.toml",
                   "layso/common/sse.py", "layso/cli.py"):
        assert needed in names
    metadata = next(n for n in names if n.endswith("METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    requires = [line for line in text.splitlines() if line.startswith("Requires-Dist:")]
    base = [r for r in requires if "extra ==" not in r]
    # a hall-display PC does not get the database drivers, a server does not get Qt
    assert not any("PySide6" in r or "pyside6" in r for r in base)
    assert not any("psycopg" in r or "sqlalchemy" in r.lower() for r in base)
    display = [r for r in requires if 'extra == "display"' in r]
    assert any("pyside6" in r.lower() for r in display)
    assert not any("psycopg" in r for r in display)
    server = [r for r in requires if 'extra == "server"' in r]
    assert any("psycopg" in r for r in server) and not any("pyside6" in r.lower() for r in server)
