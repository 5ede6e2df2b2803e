"""tools/windows/install.ps1 cannot run here (no Windows); what can be checked is: it
parses as PowerShell, and what it installs and starts exists in this project."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tools" / "windows" / "install.ps1"


def syntax_errors(source: bytes) -> list[tuple[int, str]]:
    tree_sitter = pytest.importorskip("tree_sitter")
    grammar = pytest.importorskip("tree_sitter_powershell")
    parser = tree_sitter.Parser(tree_sitter.Language(grammar.language()))
    found = []

    def walk(node) -> None:
        if node.type == "ERROR" or node.is_missing:
            found.append((node.start_point[0] + 1, node.text[:60].decode(errors="replace")))
        for child in node.children:
            walk(child)

    walk(parser.parse(source).root_node)
    return found


def test_the_script_parses_as_powershell():
    assert syntax_errors(SCRIPT.read_bytes()) == []


def test_the_parser_would_see_a_broken_script():
    broken = SCRIPT.read_bytes().replace(b"if (-not (Test-Admin)) {", b"if (-not (Test-Admin) {")
    assert syntax_errors(broken)


def test_the_script_installs_extras_and_runs_commands_that_exist():
    text = SCRIPT.read_text(encoding="utf-8")
    roles = re.search(r'ValidateSet\(([^)]*)\)', text).group(1)
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    for role in re.findall(r'"(\w+)"', roles):
        assert role in extras, role
    assert any("pywin32" in dep and "win32" in dep for dep in extras["printer"])
    from layso.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices
    for used in ("server", "kiosk", "display", "backup", "printer", "say"):
        assert used in commands
    # kiosk and display start full screen (their default), from their settings file
    arguments = re.findall(r'-Argument "([^"`]*)', text)
    assert '$Role --settings ' in arguments
    assert not any("--windowed" in a for a in arguments)
