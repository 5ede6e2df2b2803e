"""The systemd units a technician installs (tools/linux) pass `systemd-analyze verify`, and
the daily backup's command really makes a backup."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UNITS = REPO / "tools" / "linux"
VENV_BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                                reason="systemd-analyze is not installed")


def localised(unit: Path, folder: Path, data: Path | None = None) -> Path:
    """The unit with this machine's paths in place of /opt/layso (the rest unchanged)."""
    text = unit.read_text(encoding="utf-8")
    text = text.replace("/opt/layso/venv/bin/", f"{VENV_BIN}/")
    text = text.replace("/opt/layso/bin/layso-xsession", str(UNITS / "layso-xsession"))
    if data is not None:
        text = text.replace("/var/lib/layso", str(data)).replace("/etc/layso/layso.toml",
                                                                  str(data / "layso.toml"))
    target = folder / unit.name
    target.write_text(text, encoding="utf-8")
    return target


def verify(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["systemd-analyze", "verify", "--man=no", *map(str, paths)],
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name", sorted(p.name for p in UNITS.glob("layso-*.service"))
                         + sorted(p.name for p in UNITS.glob("layso-*.timer")))
def test_each_unit_passes_systemd_analyze_verify(name, tmp_path):
    if "kiosk" in name or "display" in name:
        if shutil.which("xinit") is None:
            pytest.skip("xinit is not installed (tools/setup.sh --test installs it)")
    unit = localised(UNITS / name, tmp_path)
    if name.endswith(".timer"):   # a timer is verified with the service it starts
        service = localised(UNITS / name.replace(".timer", ".service"), tmp_path)
        result = verify(unit, service)
    else:
        result = verify(unit)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "" and result.stdout.strip() == ""


def test_verify_would_catch_a_mistake(tmp_path):
    unit = localised(UNITS / "layso-server.service", tmp_path)
    unit.write_text(unit.read_text().replace("Restart=on-failure", "Restart=sometimes"))
    result = verify(unit)
    assert "sometimes" in result.stderr


def test_the_units_run_what_the_install_script_installs():
    text = (UNITS / "install.sh").read_text(encoding="utf-8")
    assert subprocess.run(["bash", "-n", str(UNITS / "install.sh")]).returncode == 0
    for unit in re.findall(r"layso-[a-z]+\.(?:service|timer)", text):
        assert (UNITS / unit).exists(), unit
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    for role in ("server", "kiosk", "display"):
        assert role in extras
    # The kiosk and the display units start the part they are named after, full screen.
    for role in ("kiosk", "display"):
        unit = (UNITS / f"layso-{role}.service").read_text()
        assert f"layso-xsession {role} " in unit and "--windowed" not in unit


def test_the_daily_backup_command_makes_a_readable_copy(tmp_path):
    data = tmp_path / "var"
    (data / "backups").mkdir(parents=True)
    shutil.copy(REPO / "config" / "layso.toml", data / "layso.toml")
    # The installation's database, as the server's first start leaves it (a backup of
    # nothing is refused).
    subprocess.run([str(VENV_BIN / "layso"), "user", "add", "admin", "--role", "admin",
                    "--config", str(data / "layso.toml"), "--data-dir", str(data)],
                   input="a-long-password\n", text=True, check=True, timeout=120)
    unit = localised(UNITS / "layso-backup.service", tmp_path, data=data)
    line = next(ln for ln in unit.read_text().splitlines() if ln.startswith("ExecStart="))
    command = line.removeprefix("ExecStart=/bin/sh -c ").strip("'").replace("%%", "%")
    old = data / "backups" / "layso-20000101.db"
    old.write_bytes(b"")
    subprocess.run(["touch", "-d", "2000-01-01", str(old)], check=True)
    result = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    made = [p for p in (data / "backups").glob("layso-*.db") if p != old]
    assert len(made) == 1
    with sqlite3.connect(made[0]) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"tickets", "events", "offices"} <= tables
    assert not old.exists()   # backups older than 30 days are removed
