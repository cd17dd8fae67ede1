"""What every benchmark shares: options, the result row, the run context and a few measuring helpers.

A benchmark is an async callable that takes the :class:`Context` and returns :class:`Row` objects; the
suite (:mod:`benchmarks.suite`) lists them in order. Each row carries its own baseline, measured in the
same run on the same machine, because an absolute figure means little across machines while a ratio to
"the cheapest possible way to do the same work here" travels.
"""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import sys
import tempfile
import traceback
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

POSTGRES_ENV = "QUIZBOT_TEST_POSTGRES_URL"


@dataclass(frozen=True)
class Options:
    """Sizes and switches of one run; ``--quick`` shrinks every size to run in well under a minute."""

    quick: bool = False
    answers: int = 3_000
    """B1: answers recorded through the engine (and raw inserts for the baseline)."""
    users: int = 100_000
    """B2/B7: players with a score."""
    history: int = 1_000_000
    """B2/B7: answers in the synthetic history behind the leaderboard."""
    queries: int = 2_000
    """B2: leaderboard calls timed (each with a random caller)."""
    baseline_queries: int = 20
    """B2: GROUP BY calls timed for the baseline (each takes hundreds of milliseconds at full size)."""
    questions: int = 10_000
    """B3/B7: questions in the synthetic bank."""
    files: int = 50
    """B3/B7: files the synthetic bank is split into."""
    repeats: int = 3
    """B3: cold loads (and baseline loads) timed; the median counts."""
    postgres: str | None = None
    """An admin URL of a PostgreSQL server; each benchmark creates and drops its own database there."""
    only: frozenset[str] = frozenset()
    """Benchmark keys to run (``B1``...); empty runs all."""
    seed: int = 20_261_118
    workdir: Path | None = None
    keep: bool = False

    @classmethod
    def quick_sizes(cls, **overrides: Any) -> Options:
        sizes: dict[str, Any] = {
            "quick": True,
            "answers": 300,
            "users": 10_000,
            "history": 100_000,
            "queries": 300,
            "baseline_queries": 5,
            "questions": 2_000,
            "files": 10,
            "repeats": 1,
        }
        sizes.update(overrides)
        return cls(**sizes)

    def wants(self, key: str) -> bool:
        return not self.only or key in self.only


@dataclass(frozen=True)
class Row:
    """One line of the results table.

    ``passed`` is None for a figure reported without a target (PostgreSQL today), False for a miss.
    ``values`` keeps the raw numbers for ``--json``.
    """

    name: str
    figure: str
    baseline: str
    ratio: str
    target: str
    passed: bool | None
    values: dict[str, float] = field(default_factory=dict)
    note: str = ""
    error: bool = False

    @property
    def status(self) -> str:
        if self.error:
            return "ERROR"
        return {True: "pass", False: "MISS", None: "n/a"}[self.passed]


def error_row(name: str, exc: BaseException) -> Row:
    """A benchmark that crashed still shows up, so a broken figure is never silently missing."""
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    note = f"{type(exc).__name__}: {first_line}"[:300]  # the traceback goes to standard error
    return Row(name, "-", "-", "-", "-", False, note=note, error=True)


async def guarded(names: list[str], measure: Awaitable[list[Row]]) -> list[Row]:
    """``measure``'s rows, or error rows named ``names`` if it raises: PostgreSQL failing keeps SQLite's."""
    try:
        return await measure
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        return [error_row(name, exc) for name in names]


class Context:
    """State shared by the benchmarks of one run: options, a scratch folder, and datasets built once.

    B2 and B7 both need the 100k-player database and B3 and B7 both need the 10k-question bank; building
    each once keeps the full run short. Datasets are built lazily, so ``--only B1`` builds neither.
    """

    def __init__(self, options: Options) -> None:
        self.options = options
        self._own_workdir = options.workdir is None
        base = options.workdir or Path(tempfile.mkdtemp(prefix="quizbot-bench-"))
        base.mkdir(parents=True, exist_ok=True)
        self.workdir = base
        self.cache: dict[str, Any] = {}

    async def shared(self, key: str, build: Callable[[], Awaitable[Any]]) -> Any:
        """The dataset called ``key``, built on first use."""
        if key not in self.cache:
            self.cache[key] = await build()
        return self.cache[key]

    def release(self, key: str) -> None:
        """Drop a dataset nobody needs any more (and let the collector see the heap again)."""
        if self.cache.pop(key, None) is not None:
            gc.unfreeze()
            gc.collect()

    def path(self, *parts: str) -> Path:
        path = self.workdir.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def cleanup(self) -> None:
        if self._own_workdir and not self.options.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)


@dataclass(frozen=True)
class Benchmark:
    """One entry of the suite.

    ``rows`` names the rows ``run`` returns for given options (the smoke test checks each one is printed);
    ``run`` measures and returns them.
    """

    key: str
    title: str
    rows: Callable[[Options], list[str]]
    run: Callable[[Context], Awaitable[list[Row]]]


def backends(options: Options) -> list[str]:
    """The databases a storage benchmark runs on: SQLite always, PostgreSQL when a server was given."""
    return ["SQLite", "PostgreSQL"] if options.postgres else ["SQLite"]


def default_postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


# -- measuring --------------------------------------------------------------------------------------------


def percentile(samples: Iterable[float], pct: float) -> float:
    """The ``pct`` percentile by the nearest-rank method (p99 of 300 samples is the 297th smallest)."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def median(samples: Iterable[float]) -> float:
    return statistics.median(list(samples))


def latency_rows(
    name: str,
    baseline: str,
    measured: tuple[float, float],
    base: tuple[float, float],
    target_p99: float | None,
    values: dict[str, Any],
    note: str,
    ratio_target: float | None = None,
) -> list[Row]:
    """The p50 and p99 rows of a latency figure; only p99 carries a target (p50 is context): at most
    ``target_p99`` seconds (None: no absolute bound) and, with ``ratio_target``, at most that many times the
    baseline's p99."""
    (p50, p99), (base_p50, base_p99) = measured, base
    bounds = [f"≤ {fmt_ms(target_p99)}"] if target_p99 is not None else []
    passed = target_p99 is None or p99 <= target_p99
    if ratio_target is not None:
        bounds.append(f"≤ {ratio_target:g}× bare")
        passed = passed and p99 <= ratio_target * base_p99
    return [
        Row(
            name=f"{name} p50",
            figure=fmt_ms(p50),
            baseline=f"{baseline} p50 {fmt_ms(base_p50)}",
            ratio=f"{p50 / base_p50:.1f}×",
            target="",
            passed=None,
            values=values,
            note=note,
        ),
        Row(
            name=f"{name} p99",
            figure=fmt_ms(p99),
            baseline=f"{baseline} p99 {fmt_ms(base_p99)}",
            ratio=f"{p99 / base_p99:.1f}×",
            target=", ".join(bounds),
            passed=passed,
            values=values,
            note=note,
        ),
    ]


def fmt_ms(seconds: float) -> str:
    ms = seconds * 1000
    if ms >= 100:
        return f"{ms:,.0f} ms"
    if ms >= 1:
        return f"{ms:.2f} ms"
    return f"{ms:.3f} ms"


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else fmt_ms(seconds)


def fmt_rate(per_second: float) -> str:
    return f"{per_second:,.0f} /s"


def fmt_mb(megabytes: float) -> str:
    return f"{megabytes:,.1f} MB"
