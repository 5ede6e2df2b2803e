"""PostgreSQL backup and restore with the server's own tools: pg_dump in custom format,
pg_restore --clean --if-exists.

The tools get the URL's host, port, user, database and options as a connection string
and the password in PGPASSWORD, never on a command line `ps` shows; no message repeats
it. pg_dump refuses a server newer than itself (and an archive restores best with the
pg_restore of the server's major version), so the tool is looked for in this order:
$LAYSO_PG_BIN alone when set; otherwise Debian's /usr/lib/postgresql/<server major>/bin,
Windows' Program Files\\PostgreSQL\\<major>\\bin, then PATH; the first whose major
version is at least the server's is used, else one line names the package to install.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from layso.server.backup import check_revision, partial_file
from layso.server.startup import StartupError, describe, step
from layso.server.storage.db import Database

PG_BIN_ENV = "LAYSO_PG_BIN"
TOOL_TIMEOUT_S = 3600  # a year of a busy office dumps in seconds; never hang for ever
_TABLE_ENTRY = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ", re.MULTILINE)


@dataclass(frozen=True)
class Target:
    """How the tools reach the database: a connection string without the password."""

    conninfo: str
    password: str | None
    dbname: str
    shown: str  # the URL as messages name it (no password)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def scrub(self, text: str) -> str:
        return text.replace(self.password, "***") if self.password else text


def target(url: str) -> Target:
    from psycopg.conninfo import make_conninfo
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    params: dict[str, str] = {key: str(value if isinstance(value, str) else value[-1])
                              for key, value in parsed.query.items()}
    for key, value in (("host", parsed.host), ("port", parsed.port),
                       ("user", parsed.username), ("dbname", parsed.database)):
        if value is not None:
            params[key] = str(value)
    return Target(make_conninfo(**params), parsed.password, parsed.database or "",
                  describe(url))


def _connect(t: Target):
    import psycopg

    return psycopg.connect(t.conninfo, password=t.password, autocommit=True)


def server_major(t: Target) -> int:
    with step("database", t.shown), _connect(t) as conn:
        return conn.info.server_version // 10000


def tool_major(tool: Path) -> int | None:
    try:
        out = subprocess.run([str(tool), "--version"], capture_output=True, text=True,
                             timeout=30, check=False).stdout
    except OSError:
        return None
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    return int(found.group(1)) if found else None


def _candidates(name: str, major: int) -> list[Path]:
    exe = name + (".exe" if sys.platform == "win32" else "")
    if os.environ.get(PG_BIN_ENV):
        return [Path(os.environ[PG_BIN_ENV]) / exe]
    program_files = Path(os.environ.get("ProgramFiles", r"C:\Program Files"))
    found = [Path(f"/usr/lib/postgresql/{major}/bin") / exe,
             program_files / "PostgreSQL" / str(major) / "bin" / exe]
    on_path = shutil.which(name)
    if on_path:
        found.append(Path(on_path))
    return found


def find_tool(name: str, major: int) -> Path:
    """pg_dump or pg_restore, at least as new as the server (see the module's docstring)."""
    too_old: tuple[Path, int] | None = None
    for tool in _candidates(name, major):
        if not tool.is_file():
            continue
        version = tool_major(tool)
        if version is not None and version >= major:
            return tool
        if version is not None and too_old is None:
            too_old = (tool, version)
    if too_old is not None:
        raise StartupError("pg_tool", str(too_old[0]), "pg_tool_old", tool=name,
                           found=too_old[1], major=major)
    raise StartupError("pg_tool", name, "pg_tool_missing", tool=name, major=major)


def _run(tool: Path, t: Target, *args: str) -> str:
    """Run the tool; its output, or one line with the first error it printed."""
    try:
        done = subprocess.run([str(tool), *args], capture_output=True, text=True,
                              env=t.env(), timeout=TOOL_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise StartupError("pg_tool", str(tool), "pg_tool_failed", str(exc),
                           tool=tool.stem) from exc
    if done.returncode != 0:
        lines = [ln.strip() for ln in done.stderr.splitlines() if ln.strip()]
        first = next((ln for ln in lines if "error" in ln.lower()), lines[0] if lines else
                     f"exit code {done.returncode}")
        raise StartupError("pg_tool", str(tool), "pg_tool_failed", t.scrub(first),
                           tool=tool.stem)
    return done.stdout


def dump(url: str, out: Path) -> None:
    """pg_dump -Fc of the configured database into `out` (written whole or not at all)."""
    t = target(url)
    tool = find_tool("pg_dump", server_major(t))
    partial = partial_file(out)
    try:
        _run(tool, t, "--format=custom", f"--file={partial}", f"--dbname={t.conninfo}")
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def restore(url: str, source: Path, data_dir: Path) -> Path:
    """pg_restore the archive `source` into the configured database, refused while other
    sessions use it. The database as it was is first dumped into the data directory;
    where it went is returned."""
    t = target(url)
    with step("database", t.shown), _connect(t) as conn:
        major = conn.info.server_version // 10000
        others = conn.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]
    if others:
        raise StartupError("database", t.shown, "sessions_connected", count=others)
    tool = find_tool("pg_restore", major)
    try:
        listing = _run(tool, t, "--list", str(source))
        revision_sql = _run(tool, t, "--data-only", "--table=alembic_version", "--file=-",
                            str(source))
    except StartupError as bad:
        raise StartupError("backup", str(source), "not_a_backup", bad.detail) from bad
    check_revision(_copied_value(revision_sql, "alembic_version"), source)

    with step("data_dir", data_dir):
        data_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = data_dir / f"{t.dbname}.before-restore-{stamp}.dump"
    dump(url, aside)
    _drop_tables_not_in(t, set(_TABLE_ENTRY.findall(listing)))
    _run(tool, t, "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
         "--no-owner", "--no-privileges", f"--dbname={t.conninfo}", str(source))
    with step("database", t.shown):
        restored = Database(url)
        try:
            restored.migrate()
        finally:
            restored.dispose()
    return aside


def _copied_value(sql: str, table: str) -> str | None:
    """The first value of a `COPY … table … FROM stdin;` block in pg_restore's script."""
    lines = sql.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and f".{table} " in line and i + 1 < len(lines):
            value = lines[i + 1]
            return None if value == "\\." else value.split("\t")[0]
    return None


def _drop_tables_not_in(t: Target, archived: set[tuple[str, str]]) -> None:
    """Tables a newer schema added, which --clean would leave and the migrations that
    follow would then meet again: dropped (they are in the dump just made)."""
    from psycopg import sql

    with step("database", t.shown), _connect(t) as conn:
        present = conn.execute("SELECT schemaname, tablename FROM pg_tables "
                               "WHERE schemaname = ANY(current_schemas(false))").fetchall()
        extra = [(schema, name) for schema, name in present if (schema, name) not in archived]
        if extra and archived:
            with conn.transaction():
                for schema, name in extra:
                    conn.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(
                        sql.Identifier(schema, name)))
