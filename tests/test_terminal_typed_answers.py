"""Typed answers in the terminal (``quizbot play`` with piped input): a forgiven typo says what it was
accepted as; a line of invisible characters is a blank line, not an answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import run_quizbot

ONE_SHORT_ANSWER = """\
topic: demo
questions:
  - id: demo-hadoop
    type: short_answer
    prompt: Which Apache framework stores big data in HDFS?
    answers: [Apache Hadoop, Hadoop]
    explanation: Hadoop's file system is HDFS.
"""


@pytest.fixture
def short_bank(tmp_path: Path) -> Path:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "demo.yaml").write_text(ONE_SHORT_ANSWER, encoding="utf-8")
    return bank


def test_a_forgiven_typo_is_shown_as_accepted_as_the_right_spelling(tmp_path: Path, short_bank: Path) -> None:
    result = run_quizbot(["play", "--user", "Ada"], tmp_path, "Hadopp\n", QUIZBOT_QUESTIONS=str(short_bank))

    assert result.returncode == 0, result.stderr
    assert "✓ Correct! +2 pt" in result.stdout
    assert "Accepted as Hadoop." in result.stdout


def test_an_exact_answer_says_nothing_about_typos(tmp_path: Path, short_bank: Path) -> None:
    result = run_quizbot(
        ["play", "--user", "Ada"], tmp_path, "apache hadoop\n", QUIZBOT_QUESTIONS=str(short_bank)
    )

    assert "✓ Correct!" in result.stdout and "Accepted as" not in result.stdout


def test_a_line_of_invisible_characters_is_not_an_answer(tmp_path: Path, short_bank: Path) -> None:
    script = "\u200b\n\u00ad\ufeff\nHad\u200boop\n/stats\n"
    result = run_quizbot(["play", "--user", "Ada"], tmp_path, script, QUIZBOT_QUESTIONS=str(short_bank))

    assert result.returncode == 0, result.stderr
    assert "Not quite" not in result.stdout and "Answer with a letter" not in result.stdout
    assert "✓ Correct!" in result.stdout and "Accepted as" not in result.stdout
    assert "Ada: answered 1, correct 1" in result.stdout


def test_report_flags_the_question_just_answered_for_the_health_report(
    tmp_path: Path, short_bank: Path
) -> None:
    played = run_quizbot(
        ["play", "--user", "Ada"],
        tmp_path,
        "Hadoop\n/report ambiguous Spark also reads HDFS\n",
        QUIZBOT_QUESTIONS=str(short_bank),
    )
    health = run_quizbot(
        ["health", "--server", "terminal:local"], tmp_path, QUIZBOT_QUESTIONS=str(short_bank)
    )

    # The terminal has no server and no admins: whoever runs it reads reports with `quizbot health`.
    assert "Thanks: `quizbot health` lists your report." in played.stdout
    assert "server's admins" not in played.stdout
    assert "reported: 1 × More than one answer fits" in health.stdout, health.stdout + health.stderr
    assert '"Spark also reads HDFS"' in health.stdout


def test_report_without_an_answered_question_or_with_an_unknown_reason_says_how(
    tmp_path: Path, short_bank: Path
) -> None:
    played = run_quizbot(
        ["play", "--user", "Ada"],
        tmp_path,
        "/report typo\nHadoop\n/report boring\n",
        QUIZBOT_QUESTIONS=str(short_bank),
    )

    assert played.returncode == 0, played.stderr
    assert "Answer a question first; /report then reports it." in played.stdout
    assert "Usage: /report wrong-answer|ambiguous|typo|other [what is wrong]" in played.stdout
    assert "Thanks" not in played.stdout
