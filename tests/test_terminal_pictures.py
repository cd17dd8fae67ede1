"""Pictures in the terminal: ``/stats`` saves the player's 8 weeks as a PNG in the working folder and prints
its path; the daily reveal on a Monday saves last week's standings the same way."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from adapters.terminal import TerminalChannel, TerminalPoster
from quizbot import charts
from quizbot.domain import Leaderboard, LeaderboardEntry, Period
from quizbot.engine import QuizEngine
from tests.test_charts import png_size
from tests.test_cli import run_quizbot
from tests.test_daily import ANN, PLACE, right
from tests.test_terminal_typed_answers import ONE_SHORT_ANSWER


@pytest.fixture
def short_bank(tmp_path: Path) -> Path:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "demo.yaml").write_text(ONE_SHORT_ANSWER, encoding="utf-8")
    return bank


def test_stats_saves_the_weeks_picture_in_the_working_folder_and_prints_its_path(
    tmp_path: Path, short_bank: Path
) -> None:
    result = run_quizbot(
        ["play", "--user", "Ada"], tmp_path, "Hadoop\n/stats\n", QUIZBOT_QUESTIONS=str(short_bank)
    )

    assert result.returncode == 0, result.stderr
    saved = tmp_path / "quiz-weeks.png"
    assert f"Your last 8 weeks: {saved.resolve()}" in result.stdout.replace("\n", "")
    assert png_size(saved.read_bytes()) == (800, 480)


def test_stats_before_any_answer_saves_nothing(tmp_path: Path, short_bank: Path) -> None:
    result = run_quizbot(["play", "--user", "Ada"], tmp_path, "/stats\n", QUIZBOT_QUESTIONS=str(short_bank))

    assert result.returncode == 0, result.stderr
    assert "Your last 8 weeks" not in result.stdout and not (tmp_path / "quiz-weeks.png").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_read_only_working_folder_saves_into_the_temp_folder(tmp_path: Path, short_bank: Path) -> None:
    work, temp = tmp_path / "work", tmp_path / "temp"
    work.mkdir()
    temp.mkdir()
    (work / "play.db").touch()
    work.chmod(0o555)
    try:
        result = run_quizbot(
            ["play", "--user", "Ada"],
            work,
            "Hadoop\n/stats\n",
            QUIZBOT_QUESTIONS=str(short_bank),
            QUIZBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'play.db'}",
            TMPDIR=str(temp),
        )
    finally:
        work.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert png_size((temp / "quiz-weeks.png").read_bytes()) == (800, 480)
    assert str(temp / "quiz-weeks.png") in result.stdout.replace("\n", "")


async def test_mondays_reveal_in_the_terminal_saves_the_standings_picture(
    engine: QuizEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where a player would start ``quizbot play``
    console = Console(record=True, width=200)
    poster = TerminalPoster(TerminalChannel(engine, ANN, console))
    asked = await engine.ask(PLACE)
    await engine.answer(asked.id, ANN, right(asked))
    summary = await engine.close_question(asked.id)
    entry = LeaderboardEntry(1, ANN.key, ANN.name, 3, 1, 1)
    board = Leaderboard(PLACE.channel_scope, Period.WEEK, (entry,), week_start=date(2026, 11, 16), final=True)

    await poster.post_close(summary, board, "", picture=charts.weekly_top_png(board))

    saved = tmp_path / "quiz-week.png"
    assert png_size(saved.read_bytes()) == (800, 480)
    assert f"Last week's final standings: {saved.resolve()}" in console.export_text()
