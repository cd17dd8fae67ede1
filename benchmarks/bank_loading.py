"""B3: loading a 10,000-question bank split over 50 files, cold and warm.

Measured: ``BankLoader.load`` on the folder, as ``QuizEngine.open`` and ``/quiz reload`` call it. Cold is a
new loader (read, hash, parse with positions, refuse anchors and aliases, validate every question,
check duplicate ids); warm is the same loader again with no file changed, which should cost a read and
a hash per file.

Baseline: a bare ``yaml.load(text, Loader=CSafeLoader)`` of each of the same files, read the same way:
the fastest PyYAML can turn these bytes into Python data, with no validation at all.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from benchmarks.harness import Benchmark, Context, Options, Row, fmt_s, median
from benchmarks.synth import write_bank
from quizbot.bank import BankLoader

COLD_TARGET = 1.3
WARM_TARGET = 0.05
WARM_RUNS = 5


def row_names(options: Options) -> list[str]:
    return ["B3 bank load cold", "B3 bank load warm"]


async def shared_bank(ctx: Context) -> Path:
    """The synthetic bank folder shared by B3 and B7 (written once per run)."""
    options = ctx.options

    async def build() -> Path:
        folder = ctx.path("bank", "x").parent
        write_bank(folder, options.questions, options.files, options.seed)
        return folder

    folder: Path = await ctx.shared("bank", build)
    return folder


def _timed(action: Callable[[], object]) -> float:
    gc.collect()
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _bare_yaml(files: list[Path]) -> None:
    for file in files:
        yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


async def run(ctx: Context) -> list[Row]:
    options = ctx.options
    folder = await shared_bank(ctx)
    files = sorted(folder.glob("*.yaml"))
    baseline: list[float] = []
    cold: list[float] = []
    loaders: list[BankLoader] = []
    # Freeze what the process already holds (imported libraries, other benchmarks' leftovers): garbage
    # collections during a load then walk only what that load allocates, as in a fresh process. Without
    # it the baseline, which allocates more containers, pays more for the harness's heap and looks slower.
    gc.collect()
    gc.freeze()
    try:
        for _ in range(options.repeats):
            baseline.append(_timed(lambda: _bare_yaml(files)))
            loaders.append(BankLoader())
            cold.append(_timed(lambda: loaders[-1].load([folder])))
        warm = [_timed(lambda: loaders[-1].load([folder])) for _ in range(WARM_RUNS)]
    finally:
        gc.unfreeze()
    loaded = len(loaders[-1].load([folder]))
    if loaded != options.questions:
        raise RuntimeError(f"loaded {loaded} questions, expected {options.questions}")
    base, cold_s, warm_s = median(baseline), median(cold), median(warm)
    size = sum(f.stat().st_size for f in files) / 1e6
    note = f"{options.questions:,} questions, {len(files)} files, {size:.1f} MB"
    values = {"cold_s": cold_s, "warm_s": warm_s, "baseline_s": base}
    return [
        Row(
            "B3 bank load cold",
            fmt_s(cold_s),
            f"yaml.load {fmt_s(base)}",
            f"{cold_s / base:.2f}×",
            f"≤ {COLD_TARGET}×",
            cold_s / base <= COLD_TARGET,
            values,
            note + f", median of {len(cold)}",
        ),
        Row(
            "B3 bank load warm",
            fmt_s(warm_s),
            f"yaml.load {fmt_s(base)}",
            f"{warm_s / base:.3f}×",
            f"≤ {WARM_TARGET}×",
            warm_s / base <= WARM_TARGET,
            values,
            note + f", median of {len(warm)}",
        ),
    ]


BENCHMARK = Benchmark("B3", "bank loading, cold and warm", row_names, run)
