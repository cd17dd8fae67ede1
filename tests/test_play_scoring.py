"""``quizbot play`` with piped input: practice repeats earn nothing, and every board is reachable by name."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.test_cli import TWO_QUESTIONS, run_quizbot


def many_questions(count: int) -> str:
    """``count`` hard questions whose right answer is always B (the order is pinned)."""
    items = "".join(
        f"""\
  - id: q{n}
    type: multiple_choice
    prompt: Question number {n}?
    choices: [wrong, right, also wrong]
    answer: right
    explanation: Number {n} is right.
"""
        for n in range(count)
    )
    return f"topic: many\ndifficulty: hard\nshuffle: false\nquestions:\n{items}"


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "demo.yaml").write_text(TWO_QUESTIONS, encoding="utf-8")
    return folder


def play(tmp_path: Path, bank: Path, script: str) -> str:
    result = run_quizbot(["play", "--user", "Ada"], tmp_path, script, QUIZBOT_QUESTIONS=str(bank))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_eight_right_answers_to_two_questions_earn_points_twice(tmp_path: Path, bank: Path) -> None:
    out = play(tmp_path, bank, "b\n" + "/quiz\nb\n" * 7 + "/stats\n/quit\n")

    assert out.count("✓ Correct! +3 pt") == 2
    assert out.count("✓ Correct! Practice — no points.") == 6
    assert out.count("Practice — no points: you have answered every question here") == 6
    assert "Ada: answered 2, correct 2, accuracy 100%, points 6, streak 2 (best 2)" in out


def test_a_practice_question_is_still_explained(tmp_path: Path, bank: Path) -> None:
    out = play(tmp_path, bank, "b\n/quiz\na\n/quiz\na\n/stats\n/quit\n")

    assert "✗ Not quite (practice — no points). The answer is:" in out
    assert out.count("Beta is the second letter") + out.count("Venus orbits") == 3
    assert "Ada: answered 2, correct 1, accuracy 50%, points 3" in out


def test_monthly_board_by_name(tmp_path: Path, bank: Path) -> None:
    before = datetime.now(UTC).strftime("%B %Y")
    out = play(tmp_path, bank, "b\n/leaderboard month\n/quit\n")
    after = datetime.now(UTC).strftime("%B %Y")

    assert f"Leaderboard, {before}" in out or f"Leaderboard, {after}" in out
    assert "Leaderboard, all time" not in out


def test_an_unknown_board_gets_one_usage_line_not_the_all_time_board(tmp_path: Path, bank: Path) -> None:
    out = play(tmp_path, bank, "b\n/leaderboard year\n/quit\n")

    assert "Usage: /leaderboard [all|week|month|accuracy]" in out.splitlines()
    assert "Leaderboard," not in out


def test_accuracy_board_ranks_from_ten_answers(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "many.yaml").write_text(many_questions(10), encoding="utf-8")

    early = play(tmp_path, folder, "b\n/leaderboard accuracy\n/quit\n")
    ranked = play(tmp_path, folder, "b\n" + "/quiz\nb\n" * 8 + "/leaderboard accuracy\n/quit\n")

    assert "Accuracy, all time (from 10 answers): nobody has 10 answers yet." in early
    assert "Accuracy, all time (from 10 answers)" in ranked
    row = next(line for line in ranked.splitlines() if "Ada" in line and "%" in line)
    assert row.split() == ["│", "1", "│", "Ada", "│", "100%", "│", "10", "│", "10", "│"]
