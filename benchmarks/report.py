"""The benchmark's Markdown report: the machine it ran on, the targets, the results table."""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from scheduler.contract import Problem

if TYPE_CHECKING:
    from benchmarks.run import Outcome

__all__ = ["Target", "machine", "render"]

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Target:
    """One target of the issue: met (True), missed (False) or not measured (None), and why."""

    text: str
    met: bool | None
    evidence: str = ""

    @property
    def mark(self) -> str:
        return {True: "✔", False: "✘", None: "—"}[self.met]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    """Installed memory, and the container's limit when there is one."""
    text = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                text = f"{int(line.split()[1]) / 2**20:.1f} GiB"
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit.isdigit():
            text += f" (container limit {int(limit) / 2**30:.1f} GiB)"
    except (OSError, ValueError):
        pass
    return text


def _cores() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{os.cpu_count()} logical, {usable} usable by this process"


def _commit() -> str:
    """The commit the code ran at, marked when the working tree had uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (with uncommitted changes)" if dirty else head


def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def machine(started: str) -> dict[str, str]:
    """What the numbers depend on: hardware, software and the code's commit."""
    return {
        "CPU": _cpu_model(),
        "cores": _cores(),
        "memory": _memory(),
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "OR-Tools": _package("ortools"),
        "date": started,
        "load at start": " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1 / 5 / 15 min)",
        "commit": _commit(),
    }


def page(title: str, intro: str, header: str, rows: list[str], started: str) -> str:
    """A benchmark's report: its title, what was run, the table (two text columns, then numbers), the machine."""
    numbers = header.count("|") - 3
    return "\n".join(
        [
            f"# {title}",
            "",
            intro,
            "",
            header,
            "|---|---|" + "---:|" * numbers,
            *rows,
            "",
            "## Machine",
            "",
            *[f"- {key}: {value}" for key, value in machine(started).items()],
            "",
        ]
    )


def _num(value: float | int | None, fmt: str = "{:,}") -> str:
    return "—" if value is None else fmt.format(value)


def _row(o: Outcome) -> str:
    share = _num(o.share * 100 if o.share is not None else None, "{:.1f} %")
    checked = "—" if o.violations is None else f"{o.violations}" + (f" ({o.rules})" if o.rules else "")
    cells = [
        f"{o.size:,}",
        o.planner,
        _num(o.limit, "{:g}"),
        o.status,
        _num(o.wall, "{:.1f}"),
        _num(o.placed),
        _num(o.unassigned),
        share,
        _num(o.objective, "{:,.0f}"),
        _num(o.bound, "{:,.0f}"),
        _num(o.gap * 100 if o.gap is not None else None, "{:.2f} %"),
        _num(o.peak_mib, "{:,.0f}"),
        checked,
    ]
    return "| " + " | ".join(cells) + " |"


RESULT_HEAD = (
    "| clients | planner | limit s | status | wall s | placed | unassigned | placed of suitable "
    "| objective | bound | gap | peak RSS MiB | violations |\n"
    "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
)

NOTES = """\
## How to read the table
- **wall s**: seconds of the planning call alone (`solve` or `greedy_plan`), timed inside its
  own spawned child process; process start, imports and parsing the problem are not included.
- **placed of suitable**: the share placed of the clients who have any suitable candidate
  group, by the solver's reading (placed by the solver, or unplaced with only `capacity`
  reasons); the greedy row uses the same clients as its denominator.
- **gap**: (bound − objective) / objective as the solver reports it; the greedy has no bound.
- **peak RSS**: the child process's own `ru_maxrss` (Python, the problem, the model and all
  CP-SAT workers).
- **violations**: hard-constraint violations (H1–H10) found by the independent checker
  `scheduler/checker.py`; the rules broken are listed in brackets.
"""


def _scenario_table(problems: Mapping[int, Problem]) -> list[str]:
    lines = ["| clients | hubs | rooms | staff | group models |", "|---:|---:|---:|---:|---:|"]
    for size, p in problems.items():
        rooms = sum(len(h.rooms) for h in p.hubs)
        lines.append(f"| {size:,} | {len(p.hubs)} | {rooms} | {len(p.staff)} | {len(p.templates)} |")
    return lines


def _spread_table(spread: Sequence[tuple[int, Outcome]]) -> list[str]:
    """The same size generated (and solved) with other seeds, so one lucky seed does not make a target."""
    if not spread:
        return []
    size = spread[0][1].size
    gaps = [o.gap for _, o in spread if o.gap is not None]
    within = sum(1 for g in gaps if g <= 0.01)
    return [
        f"## {size:,} clients with other scenario seeds",
        "",
        f"The solver alone, same time limit, scenario and solver seed as shown: gap ≤ 1 % with "
        f"{within} of {len(spread)} seeds.",
        "",
        RESULT_HEAD.replace("| clients |", "| seed | clients |", 1).replace("|---:|", "|---:|---:|", 1),
        *(f"| {seed} " + _row(o) for seed, o in spread),
        "",
    ]


def render(
    host: Mapping[str, str],
    command: str,
    seed: int,
    problems: Mapping[int, Problem],
    results: Sequence[Outcome],
    targets: Sequence[Target],
    spread: Sequence[tuple[int, Outcome]] = (),
) -> str:
    """The whole report as Markdown; `spread` are solver runs of one size with other scenario seeds."""
    lines = [
        "# Benchmark: CP-SAT planner beside a first-come-first-served coordinator",
        "",
        "The built-in Western Uusimaa scenario (`scheduler.scenario.generate(clients, "
        f"seed={seed})`) planned by the solver and by the greedy baseline "
        "(`benchmarks/greedy_baseline.py`). Produced by `" + command + "`.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in host.items()),
        "",
        "## Targets",
        "",
        "| | target | measured |",
        "|---|---|---|",
        *(f"| {t.mark} | {t.text} | {t.evidence} |" for t in targets),
        "",
        "## Results",
        "",
        RESULT_HEAD,
        *(_row(o) for o in results),
        "",
        *_spread_table(spread),
        "## Scenario",
        "",
        *_scenario_table(problems),
        "",
    ]
    failures = [o for o in [*results, *(o for _, o in spread)] if o.error]
    if failures:
        lines += [
            "## Failures",
            "",
            *(f"- {o.size} clients, {o.planner}: `{o.error}`" for o in failures),
            "",
        ]
    return "\n".join(lines) + "\n" + NOTES
