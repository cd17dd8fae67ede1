"""Reviews in the terminal: the in-process channel class with an injected clock, typed lines as input.

``quizbot play`` reads piped input in one process run, so days cannot pass between two of its lines; the
channel it runs is driven here the same way, with the engine's clock moved between sessions.
"""

from __future__ import annotations

import io
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from rich.console import Console

from adapters.terminal import PLATFORM, TerminalChannel
from quizbot.domain import Player
from quizbot.engine import QuizEngine
from tests.conftest import FakeClock, make_settings

ONE_QUESTION = """\
topic: planets
questions:
  - id: planets-second
    type: short_answer
    prompt: Which planet is second from the sun?
    answers: [Venus]
    explanation: Venus orbits between Mercury and Earth.
"""
ADA = Player(PLATFORM, "Ada", "Ada")


@pytest.fixture(autouse=True)
def in_a_temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``/stats`` saves the player's chart in the working folder; keep it out of the source tree."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
async def engine(sqlite_url: str, clock: FakeClock, tmp_path: Path) -> AsyncIterator[QuizEngine]:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "planets.yaml").write_text(ONE_QUESTION, encoding="utf-8")
    async with await QuizEngine.open(make_settings(sqlite_url, bank), clock=clock, rng=random.Random(1)) as e:
        yield e


async def lines(*typed: str) -> AsyncIterator[str]:
    for line in typed:
        yield line


async def session(engine: QuizEngine, *typed: str) -> str:
    """One terminal session of Ada's (without the opening question): what she saw."""
    out = io.StringIO()
    channel = TerminalChannel(engine, ADA, Console(file=out, width=200, markup=False, highlight=False))
    await channel.converse(lines(*typed))
    return out.getvalue()


async def test_a_missed_question_comes_back_as_a_review_on_a_later_day(
    engine: QuizEngine, clock: FakeClock
) -> None:
    first = await session(engine, "/quiz", "Mars", "/review", "/stats")
    assert "✗ Not quite. The answer is: Venus" in first
    assert "No reviews are due. The next one is due tomorrow at 12:00 UTC." in first
    assert "Reviews: 0 due now (next due tomorrow at 12:00 UTC)" in first

    clock.advance(days=1)
    later = await session(engine, "/stats", "/review", "Venus", "/review")
    assert "Reviews: 1 due now" in later
    assert "Review: you answered this before and it is due again (practice — no points)." in later
    assert "[planets · medium · review]" in later
    assert "✓ Correct! Practice — no points." in later
    assert "The next one is due on Sat 21 Nov" in later  # right this time: due days later, not tomorrow


async def test_quiz_serves_the_due_review_and_stats_show_mastery(
    engine: QuizEngine, clock: FakeClock
) -> None:
    await session(engine, "/quiz", "Venus")
    assert "Mastered (recall ≥ 90%): planets 1 of 1" in await session(engine, "/stats")
    clock.advance(days=30)
    later = await session(engine, "/stats", "/quiz")
    assert "Mastered (recall ≥ 90%): planets 0 of 1" in later
    assert "Review: you answered this before" in later
