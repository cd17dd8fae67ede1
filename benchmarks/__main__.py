"""``python -m benchmarks``: run the suite and print one table.

Exit status: 0 when every benchmark ran (targets missed or not), 2 when one crashed, and with
``--strict`` 1 when a target was missed. Progress goes to standard error, the table to standard output.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

from benchmarks.harness import Context, Options, Row, default_postgres_url, error_row
from benchmarks.suite import selected
from benchmarks.table import markdown, render


def build_parser() -> argparse.ArgumentParser:
    full = Options()
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="quizbot's benchmark suite: one table, baselines measured in the same run.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, under a minute (the smoke test's mode)"
    )
    parser.add_argument("--answers", type=int, help=f"B1: answers to record (default {full.answers:,})")
    parser.add_argument("--users", type=int, help=f"B2/B7: players (default {full.users:,})")
    parser.add_argument(
        "--history", type=int, help=f"B2/B7: answers in the history (default {full.history:,})"
    )
    parser.add_argument("--queries", type=int, help=f"B2: leaderboard calls timed (default {full.queries:,})")
    parser.add_argument(
        "--baseline-queries", type=int, help=f"B2: GROUP BY calls timed (default {full.baseline_queries})"
    )
    parser.add_argument(
        "--questions", type=int, help=f"B3/B7: questions in the bank (default {full.questions:,})"
    )
    parser.add_argument("--files", type=int, help=f"B3/B7: files in the bank (default {full.files})")
    parser.add_argument("--repeats", type=int, help=f"B3: cold loads timed (default {full.repeats})")
    parser.add_argument("--seed", type=int, help="seed of the synthetic data")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=default_postgres_url(),
        help="PostgreSQL admin URL for B1/B2 PostgreSQL rows and B9 (default: $QUIZBOT_TEST_POSTGRES_URL)",
    )
    parser.add_argument(
        "--no-postgres", action="store_true", help="skip PostgreSQL even if the variable is set"
    )
    parser.add_argument(
        "--only", default="", metavar="KEYS", help="comma-separated benchmarks to run, e.g. B1,B3"
    )
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (databases, banks)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the rows as JSON")
    parser.add_argument(
        "--markdown", action="store_true", help="print a markdown table instead of a rich one"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser


def options_from(args: argparse.Namespace) -> Options:
    sizes = {
        name: getattr(args, name)
        for name in (
            "answers",
            "users",
            "history",
            "queries",
            "baseline_queries",
            "questions",
            "files",
            "repeats",
            "seed",
        )
        if getattr(args, name) is not None
    }
    base = Options.quick_sizes() if args.quick else Options()
    return replace(
        base,
        **sizes,
        postgres=None if args.no_postgres else args.postgres,
        only=frozenset(k.strip().upper() for k in args.only.split(",") if k.strip()),
        workdir=args.workdir,
        keep=args.keep,
    )


async def run_suite(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    for benchmark in selected(ctx.options):
        print(f"{benchmark.key} {benchmark.title} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            rows += await benchmark.run(ctx)
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            traceback.print_exc(file=sys.stderr)
            rows += [error_row(name, exc) for name in benchmark.rows(ctx.options)]
        print(f"{benchmark.key} done in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        gc.collect()  # one benchmark's garbage must not be collected on the next one's clock
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    options = options_from(args)
    if options.history < options.users:
        build_parser().error("--history must be at least --users: every player answers once")
    ctx = Context(options)
    try:
        rows = asyncio.run(run_suite(ctx))
    finally:
        ctx.cleanup()
    if args.markdown:
        print(markdown(rows, options), end="")
    else:
        render(rows, options)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) | {"status": r.status} for r in rows], indent=2) + "\n")
    if any(r.error for r in rows):
        return 2
    return 1 if args.strict and any(r.passed is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
