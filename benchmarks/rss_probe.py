"""One B7 measurement in a fresh interpreter.

``python -m benchmarks.rss_probe baseline`` or ``python -m benchmarks.rss_probe loaded URL BANK USERS``.
Kept apart from the rest of the suite and importing nothing of it, so the baseline process holds exactly
the libraries a running engine imports and the measured one adds only the bank and the data. Prints one
JSON line: the peak resident set size in MB and, for ``loaded``, how many questions were loaded.

The peak is ``VmHWM`` from ``/proc/self/status`` where it exists: on Linux ``ru_maxrss`` survives
``exec``, so a child of a large parent (the harness holds the million-answer history) reports at least the
parent's size at fork time. ``VmHWM`` belongs to the new address space only. Elsewhere ``ru_maxrss``.
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import sys

PROBE_CALLS = 300


def _peak_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # "VmHWM:   123456 kB"
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


def _import_libraries() -> None:
    """Everything a running engine has imported before it loads a bank or touches the database."""
    import aiosqlite  # noqa: F401
    import pydantic  # noqa: F401
    import rapidfuzz  # noqa: F401
    import sqlalchemy.dialects.sqlite.aiosqlite
    import sqlalchemy.ext.asyncio  # noqa: F401
    import yaml  # noqa: F401

    import quizbot.engine  # noqa: F401


async def _serve(url: str, bank: str, users: int) -> dict[str, float]:
    """Open an engine on the bank and the database, then serve boards and stats to random players."""
    from quizbot.domain import Period, Place, Player
    from quizbot.engine import QuizEngine
    from quizbot.settings import Settings

    engine = await QuizEngine.open(Settings(database_url=url, questions=bank))
    try:
        rng = random.Random(7)
        place = Place("bench", "s1", "c1")
        for call in range(PROBE_CALLS):
            player = Player("bench", f"u{rng.randrange(users)}", "Probe")
            period = Period.WEEK if call % 2 else Period.ALL
            await engine.leaderboard(place, player, period=period, channel_only=call % 3 == 0)
            await engine.stats(place, player)
        return {"questions": float(len(engine.bank))}
    finally:
        await engine.aclose()


def probe(argv: list[str]) -> dict[str, float]:
    _import_libraries()
    figures: dict[str, float] = {}
    if argv[:1] == ["loaded"] and len(argv) == 4:
        figures = asyncio.run(_serve(argv[1], argv[2], int(argv[3])))
    elif argv != ["baseline"]:
        raise SystemExit("usage: python -m benchmarks.rss_probe baseline | loaded DB_URL BANK USERS")
    figures["peak_mb"] = _peak_mb()
    return figures


if __name__ == "__main__":
    print(json.dumps(probe(sys.argv[1:])))
