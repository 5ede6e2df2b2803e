"""How a benchmark hands its figures to `bench/run`: one line per figure on its stdout,

    FIGURE<TAB>name<TAB>value<TAB>unit<TAB>goal

e.g. `FIGURE	ticket issue p99, 4 clients, SQLite	21.4	ms	<= 20`. The goal is `<= N` or
`>= N` in the figure's unit, or empty when there is none. The name says what was measured
and how much (`call-next with 2,000 waiting vs 10`), so two runs compare only like with
like. A person reading the bench's output sees the lines too; `bench/run` gathers them into
one table.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

PREFIX = "FIGURE"


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    goal: str = ""   # "<= 20", ">= 300" or ""
    bench: str = ""  # the script that measured it

    def limit(self) -> tuple[str, float] | None:
        parts = self.goal.replace("≤", "<=").replace("≥", ">=").split()
        if len(parts) != 2 or parts[0] not in ("<=", ">="):
            return None
        return parts[0], float(parts[1].replace(",", ""))

    def met(self) -> bool | None:
        """Whether the goal is met; None without a goal or a value."""
        limit = self.limit()
        if limit is None or math.isnan(self.value):
            return None
        op, bound = limit
        return self.value <= bound if op == "<=" else self.value >= bound

    def lower_is_better(self) -> bool | None:
        limit = self.limit()
        return None if limit is None else limit[0] == "<="

    def to_json(self) -> dict:
        return asdict(self)


def report(name: str, value: float, unit: str, goal: str = "") -> None:
    """Print one figure in the line format above (flushed: bench/run reads as it goes)."""
    if "\t" in name or "\n" in name:
        raise ValueError(f"a figure's name has no tabs or newlines: {name!r}")
    print(f"{PREFIX}\t{name}\t{value:.6g}\t{unit}\t{goal}", flush=True)


def parse(output: str, bench: str = "") -> list[Figure]:
    """The figures in a benchmark's output, in the order printed."""
    found = []
    for line in output.splitlines():
        parts = line.rstrip("\r").split("\t")
        if parts[0] != PREFIX or len(parts) < 4:
            continue
        try:
            value = float(parts[2])
        except ValueError:
            continue
        found.append(Figure(parts[1], value, parts[3], parts[4] if len(parts) > 4 else "",
                            bench))
    return found
