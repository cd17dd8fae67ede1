"""``quizbot lint``: item-writing warnings for any bank, as PATH:LINE: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizbot.lint import lint_paths
from tests.test_cli import run_quizbot

HEADER = "topic: demo\nquestions:\n"


def tf(qid: str, prompt: str, answer: bool, explanation: str = "Because it is so.") -> str:
    return (
        f"  - id: {qid}\n    type: true_false\n    prompt: '{prompt}'\n    answer: {str(answer).lower()}\n"
        f"    explanation: {explanation}\n"
    )


def mc(qid: str, prompt: str, choices: list[str], answer: str, explanation: str = "Because it is so.") -> str:
    return (
        f"  - id: {qid}\n    type: multiple_choice\n    prompt: '{prompt}'\n"
        f"    choices: [{', '.join(choices)}]\n    answer: {answer}\n    explanation: {explanation}\n"
    )


def lint(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "bank.yaml"
    path.write_text(HEADER + body, encoding="utf-8")
    return [f"{f.line}: {f.message}" for f in lint_paths([path])]


def test_a_clean_bank_has_no_warnings(tmp_path: Path) -> None:
    body = mc("q1", "Which planet is second from the sun?", ["Mercury", "Venus", "Earth"], "Venus")
    body += tf("q2", "Venus is hotter than Mercury.", True)

    assert lint(tmp_path, body) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (tf("q", "Engineers always test their code.", False), "3: absolute word (always) in a true/false"),
        (
            mc(
                "q",
                "Which tool schedules pipelines?",
                ["Pipeline scheduler", "Spreadsheet", "Word processor"],
                "Pipeline scheduler",
            ),
            "3: only the correct choice repeats a word of the prompt",
        ),
        (
            mc("q", "Which planet is second?", ["Venus", "Mars", "Earth"], "Venus", "The article says so."),
            "3: refers to “The article”",
        ),
        (
            mc(
                "q", "Which planet is second?", ["Venus", "the fourth planet from the sun.", "Earth"], "Venus"
            ),
            "choices of different kinds: “the fourth planet from the sun.” is a sentence",
        ),
        (
            mc(
                "q",
                "Which is right?",
                ["A much much longer and detailed correct choice here", "Short", "Tiny"],
                "A much much longer and detailed correct choice here",
            ),
            "3: the correct choice stands out by its length",
        ),
    ],
)
def test_each_item_writing_check_names_the_line_and_the_problem(
    tmp_path: Path, body: str, expected: str
) -> None:
    assert any(w.startswith(expected) or expected in w for w in lint(tmp_path, body)), lint(tmp_path, body)


def test_a_missing_explanation_is_reported_on_its_question(tmp_path: Path) -> None:
    body = tf("q", "Venus is a planet.", True).replace("    explanation: Because it is so.\n", "")

    assert any(w.startswith("3: ") and "explanation" in w for w in lint(tmp_path, body)), lint(tmp_path, body)


def test_negation_pairs_and_near_duplicates_are_named_with_both_lines(tmp_path: Path) -> None:
    body = tf("a", "Venus is the second planet from the sun.", True)
    body += tf("b", "Venus is not the second planet from the sun.", False)
    body += mc("c", "Which planet is second from the sun?", ["Mercury", "Venus", "Earth"], "Venus")
    body += mc("d", "Which planet is the second from the sun?", ["Mars", "Venus", "Earth"], "Venus")

    warnings = lint(tmp_path, body)

    assert "8: negates question 'a' (line 3): one answers the other" in warnings
    assert "19: prompt nearly the same as question 'c' (line 13)" in warnings


def test_a_prompt_containing_another_questions_answer_is_a_leak(tmp_path: Path) -> None:
    body = mc("kind", "Which of these is a cloud platform?", ["Azure", "Git", "Docker"], "Azure")
    body += mc(
        "maker", "Which company runs the Azure cloud platform?", ["Microsoft", "Google", "IBM"], "Microsoft"
    )

    assert any("prompt contains “Azure”, the answer to question 'kind'" in w for w in lint(tmp_path, body))


def test_file_patterns_true_share_and_longest_correct_choice(tmp_path: Path) -> None:
    body = "".join(tf(f"t{i}", f"Statement number {i} about planet {i} holds.", True) for i in range(5))
    body += "".join(
        mc(
            f"m{i}",
            f"Question {i} about moon {i}?",
            [f"Right answer number {i}", f"Wrong{i}", f"Other{i}"],
            f"Right answer number {i}",
        )
        for i in range(4)
    )

    warnings = lint(tmp_path, body)

    assert "3: 100% of the 5 true/false answers are true; keep it between 40% and 60%" in " ".join(warnings)
    assert any("the correct choice is the longest in 4 of 4 questions" in w for w in warnings)


def test_rejected_questions_are_not_checked(tmp_path: Path) -> None:
    body = tf("q", "Engineers always test their code.", False).replace(
        "    type:", "    status: rejected\n    type:"
    )

    assert lint(tmp_path, body) == []


def test_the_command_prints_path_line_message_and_strict_fails(tmp_path: Path) -> None:
    (tmp_path / "bank").mkdir()
    (tmp_path / "bank" / "x.yaml").write_text(
        HEADER + tf("q", "Engineers never rest.", False), encoding="utf-8"
    )

    loose = run_quizbot(["lint", "bank"], tmp_path)
    strict = run_quizbot(["lint", "--strict", "bank"], tmp_path)

    assert loose.returncode == 0 and strict.returncode == 1
    assert loose.stdout.splitlines()[0].startswith("bank/x.yaml:3: absolute word (never)")


def test_the_bundled_questions_folder_passes_strict_lint(tmp_path: Path) -> None:
    from tests.conftest import ROOT

    assert [str(f) for f in lint_paths([ROOT / "questions"])] == []
