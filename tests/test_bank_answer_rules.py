"""Question authors' answer rules in bank files: ``reject`` (near misses) and ``typos: false``."""

from __future__ import annotations

from pathlib import Path

from quizbot.bank import load_bank
from quizbot.domain import Question
from tests.test_bank import bank_file, errors_of

SHORT = """\
questions:
  - id: bacta
    type: short_answer
    prompt: What heals wounds in a Star Wars tank?
    answers: [Bacta, Bacta tank]
    explanation: Bacta.
"""


def test_reject_and_typos_are_loaded_and_survive_the_asked_snapshot(tmp_path: Path) -> None:
    body = SHORT + "    reject: [Bacca, Kolto]\n    typos: false\n"
    (q,) = load_bank([bank_file(tmp_path, body)]).questions
    assert (q.reject, q.typos) == (("Bacca", "Kolto"), False)
    restored = Question.from_snapshot(q.snapshot())
    assert (restored.reject, restored.typos) == (("Bacca", "Kolto"), False)


def test_without_them_typos_are_forgiven_and_nothing_is_rejected(tmp_path: Path) -> None:
    (q,) = load_bank([bank_file(tmp_path, SHORT)]).questions
    assert (q.reject, q.typos) == ((), True)
    assert '"typos"' not in q.snapshot() and '"reject"' not in q.snapshot()  # old snapshots read the same
    assert Question.from_snapshot(q.snapshot()).typos


def test_a_near_miss_that_is_an_accepted_answer_is_an_error_on_its_line(tmp_path: Path) -> None:
    path = bank_file(tmp_path, SHORT + "    reject:\n      - Kolto\n      - bacta-tank\n")
    assert errors_of(path) == [
        f"{path}:9: question 'bacta': field 'reject' lists 'bacta-tank', which is the accepted answer "
        "'Bacta tank'"
    ]


def test_typos_must_be_true_or_false_and_only_on_short_answers(tmp_path: Path) -> None:
    quoted = bank_file(tmp_path, SHORT + "    typos: 'no'\n", "quoted.yaml")
    (quoted_error,) = errors_of(quoted)
    assert f"{quoted}:7:" in quoted_error and "typos" in quoted_error
    yaml_no = bank_file(tmp_path, SHORT + "    typos: no\n", "no.yaml")  # YAML 1.1 would read a boolean
    assert errors_of(yaml_no) == [
        f"{yaml_no}:7: question 'bacta': field 'typos' must be true or false, not 'no'"
    ]
    choice = bank_file(
        tmp_path,
        "questions:\n  - id: q1\n    type: multiple_choice\n    prompt: Which one?\n"
        "    choices: [Alpha, Beta]\n    answer: Beta\n    explanation: Because.\n    typos: false\n",
        "choice.yaml",
    )
    (choice_error,) = errors_of(choice)
    assert "typos" in choice_error and "short_answer" in choice_error
