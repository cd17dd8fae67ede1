"""The one results table: rich in a terminal, markdown for the README."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from benchmarks.harness import Options, Row

HEADERS = ("Benchmark", "Figure", "Baseline (same run)", "Ratio", "Target", "Result", "Notes")
_STYLE = {"pass": "green", "MISS": "bold red", "ERROR": "bold red", "n/a": "dim"}


def describe_machine() -> str:
    return (
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
    )


def describe_run(options: Options) -> str:
    mode = "quick mode, smaller than the targets assume: results are indicative" if options.quick else "full"
    return (
        f"{mode}; B1 {options.answers:,} answers; B2 {options.users:,} players / "
        f"{options.history:,} answers, {options.queries:,} calls; "
        f"B3 {options.questions:,} questions in {options.files} files"
    )


def _cells(row: Row) -> list[str]:
    return [row.name, row.figure, row.baseline, row.ratio, row.target, row.status, row.note]


def render(rows: Sequence[Row], options: Options, console: Console | None = None) -> None:
    """Print the table to standard output (wide enough that no row name wraps, even when piped)."""
    console = console or Console(width=None if sys.stdout.isatty() else 200)
    table = Table(title="quizbot benchmarks", caption=f"{describe_run(options)}\n{describe_machine()}")
    for header in HEADERS:
        table.add_column(header, no_wrap=header == "Benchmark", overflow="fold")
    for row in rows:
        cells = [escape(c) for c in _cells(row)]
        cells[5] = f"[{_STYLE.get(row.status, '')}]{cells[5]}[/]" if row.status in _STYLE else cells[5]
        table.add_row(*cells)
    console.print(table)


def markdown(rows: Sequence[Row], options: Options) -> str:
    """The same table as GitHub markdown, for the README's Performance section."""
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for row in rows:
        cells = (" ".join(c.split()).replace("|", "\\|") for c in _cells(row))  # one line per row
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"Run: {describe_run(options)}. Machine: {describe_machine()}."]
    return "\n".join(lines) + "\n"
