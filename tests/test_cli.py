"""The ``quizbot`` command as a user runs it: a real subprocess, piped standard input, exit codes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TEST_BANK

TWO_QUESTIONS = """\
topic: demo
questions:
  - id: demo-one
    type: multiple_choice
    prompt: Which letter is second?
    choices: [Alpha, Beta, Gamma]
    answer: Beta
    explanation: Beta is the second letter of the Greek alphabet.
    difficulty: hard
  - id: demo-two
    type: multiple_choice
    prompt: Which planet is second from the sun?
    choices: [Mercury, Venus, Earth]
    answer: Venus
    explanation: Venus orbits between Mercury and Earth.
    difficulty: hard
"""


def run_quizbot(
    args: list[str], tmp_path: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))
    }
    environment.update({"QUIZBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'play.db'}", **env})
    return subprocess.run(
        [sys.executable, "-m", "quizbot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
    )


@pytest.fixture
def demo_bank(tmp_path: Path) -> Path:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "demo.yaml").write_text(TWO_QUESTIONS, encoding="utf-8")
    return bank


def test_play_from_question_to_leaderboard_with_piped_input(tmp_path: Path, demo_bank: Path) -> None:
    script = "b\nb\n/quiz\nA\n/leaderboard\n/stats\n/quit\n"
    result = run_quizbot(["play", "--user", "Ada"], tmp_path, script, QUIZBOT_QUESTIONS=str(demo_bank))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Q: Which" in out and "  B) " in out
    assert out.count("✓ Correct! +3 pt") == 1  # the first answer
    assert "No open question" in out  # the second "b" had nothing to answer
    assert "✗ Not quite. The answer is:" in out  # "A" to the second question
    assert "Leaderboard, all time" in out and "Ada" in out
    assert "Ada: answered 2, correct 1, accuracy 50%, points 3, streak 0 (best 1)" in out
    assert out.rstrip().endswith("Bye!")
    assert "Traceback" not in result.stderr


def test_play_keeps_scores_between_sessions(tmp_path: Path, demo_bank: Path) -> None:
    run_quizbot(["play", "--user", "Ada"], tmp_path, "b\n", QUIZBOT_QUESTIONS=str(demo_bank))
    again = run_quizbot(["play", "--user", "Ada"], tmp_path, "/stats\n", QUIZBOT_QUESTIONS=str(demo_bank))
    assert "Ada: answered 1, correct 1" in again.stdout
    assert f"Scores are kept in {tmp_path / 'play.db'}" in again.stdout


def test_play_topic_filter_and_unknown_topic(tmp_path: Path) -> None:
    result = run_quizbot(
        ["play", "--user", "Ada", "--topic", "tools"],
        tmp_path,
        "/quiz cooking\n",
        QUIZBOT_QUESTIONS=str(TEST_BANK),
    )
    assert "[tools ·" in result.stdout and "[ml ·" not in result.stdout
    assert "No questions on topic 'cooking'. Topics: ml, tools." in result.stdout


def test_validate_good_bank_prints_a_summary(tmp_path: Path) -> None:
    result = run_quizbot(["validate", str(TEST_BANK)], tmp_path)
    assert result.returncode == 0
    assert "OK: 5 questions, no errors." in result.stdout
    assert "multiple_choice" in result.stdout and "tools" in result.stdout and "hard" in result.stdout


def test_validate_bad_bank_lists_every_error_and_exits_1(tmp_path: Path, demo_bank: Path) -> None:
    broken = demo_bank / "broken.yaml"
    broken.write_text("questions:\n  - id: x\n    type: true_false\n    prompt: ''\n", encoding="utf-8")
    result = run_quizbot(["validate", str(demo_bank)], tmp_path)
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert f"{broken}:2: question 'x': field 'answer' is missing" in lines
    assert f"{broken}:4: question 'x': field 'prompt' is empty" in lines
    assert lines[-1] == "2 error(s) found."
    assert "Traceback" not in result.stdout + result.stderr


def test_play_with_a_broken_bank_explains_instead_of_crashing(tmp_path: Path, demo_bank: Path) -> None:
    (demo_bank / "broken.yaml").write_text("questions: [", encoding="utf-8")
    result = run_quizbot(["play"], tmp_path, "", QUIZBOT_QUESTIONS=str(demo_bank))
    assert result.returncode == 1
    assert (
        f"{demo_bank / 'broken.yaml'}:2: not valid YAML: did not find expected node content" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = run_quizbot(
        ["play"],
        tmp_path,
        "",
        QUIZBOT_DATABASE_URL="postgresql+asyncpg://nobody:secret@127.0.0.1:1/none",
        QUIZBOT_QUESTIONS=str(TEST_BANK),
    )
    assert result.returncode == 1
    assert (
        "quizbot: cannot use the database postgresql+asyncpg://nobody:***@127.0.0.1:1/none" in result.stderr
    )
    assert "Traceback" not in result.stderr and "secret" not in result.stderr


def test_schema_command_prints_the_committed_schema(tmp_path: Path) -> None:
    result = run_quizbot(["schema"], tmp_path)
    assert result.stdout == (ROOT / "questions" / "schema.json").read_text(encoding="utf-8")


def test_daily_in_the_terminal_channel_is_answered_once(tmp_path: Path, demo_bank: Path) -> None:
    script = "/daily\nb\n/daily\nb\n/quit\n"
    result = run_quizbot(["play", "--user", "Ada"], tmp_path, script, QUIZBOT_QUESTIONS=str(demo_bank))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Daily question:") == 1  # posted once, then shown again as today's question
    assert "Today's daily question:" in result.stdout
    assert "✓ Correct! +3 pt" in result.stdout
    assert "You already answered 'Beta'" in result.stdout or "You already answered 'Venus'" in result.stdout


def test_run_without_tokens_serves_the_terminal_channel(tmp_path: Path, demo_bank: Path) -> None:
    result = run_quizbot(["run"], tmp_path, "/stats\n/quit\n", QUIZBOT_QUESTIONS=str(demo_bank))
    assert result.returncode == 0, result.stderr
    assert "questions loaded" in result.stdout and "Bye!" in result.stdout
    assert "running the terminal channel" in result.stderr


def test_terminal_daily_holds_the_verdict_when_the_channel_reveals_at_close(
    tmp_path: Path, demo_bank: Path
) -> None:
    env = {"QUIZBOT_QUESTIONS": str(demo_bank)}
    added = run_quizbot(
        ["schedule", "add", "terminal:local:terminal", "00:00", "--reveal-at-close"], tmp_path, **env
    )
    assert added.returncode == 0, added.stderr
    result = run_quizbot(["play", "--user", "Ada"], tmp_path, "/daily\nb\n/quit\n", **env)
    assert "Answer recorded: " in result.stdout and "revealed when the question closes" in result.stdout
    assert "Correct" not in result.stdout and "Not quite" not in result.stdout


def test_ctrl_c_ends_play_at_once_even_while_waiting_for_input(tmp_path: Path, demo_bank: Path) -> None:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("QUIZBOT_", "SLACK_", "DISCORD_"))
    }
    environment.update(
        QUIZBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'play.db'}", QUIZBOT_QUESTIONS=str(demo_bank)
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "quizbot", "play"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=environment,
    )
    assert proc.stdout is not None
    while (
        "Type a letter." not in proc.stdout.readline()
    ):  # the first question is on screen: waiting for input
        pass
    proc.send_signal(signal.SIGINT)
    try:
        code = proc.wait(timeout=10)
    finally:
        proc.kill()
    assert code == 130
    assert "Traceback" not in proc.stderr.read()
