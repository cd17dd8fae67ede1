"""The benchmark suite runs end to end: ``python -m benchmarks --quick`` exits cleanly and shows every row.

Only that it runs is checked, never how fast: a timing assertion would fail on a busy CI machine and
prove nothing about the code. The figures themselves are for people to read.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from benchmarks.harness import Options
from benchmarks.suite import expected_rows
from tests.conftest import POSTGRES_ENV, ROOT

HANG_GUARD_S = 600
"""Not a timing assertion: only stops a hung run from blocking the test session forever."""


@pytest.mark.benchmark
def test_quick_benchmark_run_prints_a_row_for_every_benchmark() -> None:
    postgres = os.environ.get(POSTGRES_ENV) or None
    expected = expected_rows(Options.quick_sizes(postgres=postgres))

    run = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_S,
        check=False,
    )

    assert run.returncode == 0, run.stderr[-4000:]
    missing = [name for name in expected if name not in run.stdout]
    assert not missing, f"rows missing from the table: {missing}\n{run.stdout}"
    assert expected, "the suite lists no benchmark"
