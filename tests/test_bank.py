"""Loading question banks: every malformed file is reported as PATH:LINE: message naming the field."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import pytest

from quizbot.bank import BankLoader, BankLoadError, load_bank
from quizbot.domain import Difficulty, QuestionType
from quizbot.schema import json_schema
from tests.conftest import ROOT, TEST_BANK

GOOD_MC = """\
  - id: q1
    type: multiple_choice
    prompt: Which one?
    choices: [Alpha, Beta, Gamma]
    answer: Beta
    explanation: Because.
"""


def bank_file(tmp_path: Path, body: str, name: str = "bank.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def errors_of(*paths: Path) -> list[str]:
    with pytest.raises(BankLoadError) as info:
        load_bank(list(paths))
    return [str(e) for e in info.value.errors]


# (name, file body, expected line, expected message fragment)
MALFORMED = [
    ("yaml_syntax", "questions:\n  - id: q1\n    prompt: [unclosed\n", 4, "not valid YAML"),
    ("tab_indent", "questions:\n\t- id: q1\n", 2, "not valid YAML"),
    ("not_a_mapping", "- just\n- a list\n", 1, "must be a mapping with a 'questions' list"),
    ("no_questions_key", "topic: ml\n", 1, "field 'questions' is missing"),
    ("empty_questions", "questions: []\n", 1, "must be a non-empty list"),
    ("question_not_mapping", "questions:\n  - just text\n", 2, "each question must be a mapping"),
    (
        "unknown_file_key",
        "tpoic: ml\nquestions:\n" + GOOD_MC,
        1,
        "unknown key 'tpoic' in the file (did you mean 'topic'?)",
    ),
    (
        "unknown_question_key",
        "questions:\n" + GOOD_MC + "    awnser: x\n",
        8,
        "question 'q1': unknown key 'awnser' in the question (did you mean 'answer'?)",
    ),
    ("missing_type", "questions:\n  - id: q1\n    prompt: P\n", 2, "field 'type' is missing"),
    (
        "bad_type",
        "questions:\n  - id: q1\n    type: multi_choice\n    prompt: P\n",
        2,
        "field 'type' is 'multi_choice', expected one of multiple_choice, true_false, short_answer "
        "(did you mean 'multiple_choice'?)",
    ),
    (
        "missing_prompt",
        "questions:\n  - id: q1\n    type: true_false\n    answer: true\n    explanation: E\n",
        2,
        "question 'q1': field 'prompt' is missing",
    ),
    (
        "empty_prompt",
        GOOD_MC.replace("Which one?", '""').join(["questions:\n", ""]),
        4,
        "question 'q1': field 'prompt' is empty",
    ),
    (
        "blank_explanation",
        GOOD_MC.replace("Because.", "'   '").join(["questions:\n", ""]),
        7,
        "question 'q1': field 'explanation' is empty",
    ),
    (
        "answer_not_in_choices",
        GOOD_MC.replace("answer: Beta", "answer: Betta").join(["questions:\n", ""]),
        6,
        "question 'q1': field 'answer' 'Betta' is not one of the choices (did you mean 'Beta'?)",
    ),
    (
        "duplicate_choices",
        GOOD_MC.replace("Gamma]", "beta]").join(["questions:\n", ""]),
        5,
        "question 'q1': field 'choices' lists 'beta' twice (also choice 2)",
    ),
    (
        "one_choice",
        GOOD_MC.replace("[Alpha, Beta, Gamma]", "[Beta]").join(["questions:\n", ""]),
        5,
        "question 'q1': field 'choices' needs 2 to 5 choices, has 1",
    ),
    (
        "six_choices",
        GOOD_MC.replace("[Alpha, Beta, Gamma]", "[A, Beta, C, D, E, F]").join(["questions:\n", ""]),
        5,
        "question 'q1': field 'choices' needs 2 to 5 choices, has 6",
    ),
    (
        "unquoted_yes_choice",
        GOOD_MC.replace("[Alpha, Beta, Gamma]", "[yes, Beta, no]").join(["questions:\n", ""]),
        5,
        "field 'choices[0]' must be text, but the unquoted value yes was read as a boolean; put it in quotes",
    ),
    (
        "octal_like_answer",
        "questions:\n  - id: q1\n    type: short_answer\n    prompt: P\n    answers: [010]\n"
        "    explanation: E\n",
        5,
        "field 'answers[0]' must be text, but the unquoted value 010 was read as a number",
    ),
    (
        "sexagesimal_prompt",
        "questions:\n  - id: q1\n    type: short_answer\n    prompt: 1:30\n    answers: [x]\n"
        "    explanation: E\n",
        4,
        "field 'prompt' must be text, but the unquoted value 1:30 was read as a number",
    ),
    (
        "true_false_yes",
        "questions:\n  - id: q1\n    type: true_false\n    prompt: P\n    answer: yes\n    explanation: E\n",
        5,
        "field 'answer' must be true or false, not 'yes'",
    ),
    (
        "true_false_quoted",
        "questions:\n  - id: q1\n    type: true_false\n    prompt: P\n    answer: 'true'\n"
        "    explanation: E\n",
        5,
        "field 'answer' must be true or false (unquoted)",
    ),
    (
        "short_answer_without_answers",
        "questions:\n  - id: q1\n    type: short_answer\n    prompt: P\n    answers: []\n"
        "    explanation: E\n",
        5,
        "field 'answers' needs at least one accepted answer",
    ),
    (
        "bad_id",
        GOOD_MC.replace("id: q1", "id: Q 1").join(["questions:\n", ""]),
        2,
        "field 'id' 'Q 1' must be lowercase letters, digits",
    ),
    (
        "numeric_id",
        GOOD_MC.replace("id: q1", "id: 42").join(["questions:\n", ""]),
        2,
        "field 'id' must be text, but the unquoted value 42 was read as a number",
    ),
    (
        "bad_difficulty",
        "difficulty: extreme\nquestions:\n" + GOOD_MC,
        1,
        "field 'difficulty' is 'extreme', expected easy, medium or hard",
    ),
    (
        "duplicate_key",
        GOOD_MC.replace("    explanation", "    prompt: Again?\n    explanation").join(["questions:\n", ""]),
        7,
        "key 'prompt' appears twice in one mapping",
    ),
    (
        "unknown_source_key",
        GOOD_MC.join(["questions:\n", ""]) + "    source: {document: a.txt, chapter: 2}\n",
        8,
        "unknown key 'chapter' in the mapping",
    ),
    (
        "deep_nesting",
        "questions: " + "[" * 30 + "]" * 30 + "\n",
        1,
        "values nested more than 20 levels deep",
    ),
    (
        # Deeper than libyaml's own limit (PyYAML >= 6.0.4 stops there first): still one PATH:LINE line.
        "absurd_nesting",
        "questions: " + "[" * 3000 + "]" * 3000 + "\n",
        1,
        "nest",
    ),
    (
        "empty_explicit_int",
        "questions:\n" + GOOD_MC + "    tags: [!!int '']\n",
        8,
        "YAML tags are not allowed ('!!int')",
    ),
    (
        "alias",
        "questions:\n  - &q\n    id: q1\n  - *q\n",
        2,
        "YAML anchors and aliases are not allowed (anchor &q)",
    ),
    ("multiple_documents", "questions: []\n---\nquestions: []\n", 2, "not valid YAML"),
]


@pytest.mark.parametrize(
    ("body", "line", "message"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED]
)
def test_malformed_file_is_reported_with_file_line_and_field(
    tmp_path: Path, body: str, line: int, message: str
) -> None:
    path = bank_file(tmp_path, body)
    errors = errors_of(path)
    expected = f"{path}:{line}: "
    assert any(e.startswith(expected) and message in e for e in errors), errors


def test_choices_that_differ_only_by_symbols_are_different(tmp_path: Path) -> None:
    body = GOOD_MC.replace("[Alpha, Beta, Gamma]", "[C, C++, 'C#', Beta]")
    (q,) = load_bank([bank_file(tmp_path, "questions:\n" + body)]).questions
    assert q.choices == ("C", "C++", "C#", "Beta")


def test_a_file_inside_a_named_folder_is_not_its_own_duplicate(tmp_path: Path) -> None:
    path = bank_file(tmp_path, "questions:\n" + GOOD_MC)
    assert len(load_bank([tmp_path, path])) == 1


def test_every_error_in_every_file_is_reported_in_one_run(tmp_path: Path) -> None:
    first = bank_file(tmp_path, "questions:\n" + GOOD_MC.replace("answer: Beta", "answer: Zeta"), "a.yaml")
    second = bank_file(
        tmp_path,
        "questions:\n  - id: q2\n    type: true_false\n    prompt: ''\n"
        "    answer: maybe\n    explanation: E\n",
        "b.yaml",
    )
    errors = errors_of(first, second)
    assert [e.split(": ")[0] for e in errors] == [f"{first}:6", f"{second}:4", f"{second}:5"]


def test_duplicate_ids_across_files_name_both_places(tmp_path: Path) -> None:
    a = bank_file(tmp_path, "questions:\n" + GOOD_MC, "a.yaml")
    b = bank_file(tmp_path, "topic: x\nquestions:\n" + GOOD_MC, "b.yaml")
    assert errors_of(a, b) == [f"{b}:3: duplicate id 'q1' (first defined at {a}:2)"]


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = bank_file(tmp_path, "\n".join(lines) + "\nquestions: *i\n")
    started = time.perf_counter()
    errors = errors_of(path)
    assert errors[0].startswith(f"{path}:1: YAML anchors and aliases are not allowed")
    assert time.perf_counter() - started < 5  # would never finish if the aliases were expanded


def test_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    path = bank_file(tmp_path, "questions:\n" + GOOD_MC + "# padding\n" * 200)
    with pytest.raises(BankLoadError) as info:
        BankLoader(max_file_bytes=1000).load([path])
    assert str(info.value.errors[0]).startswith(f"{path}:1: file is ")
    assert "over the 1,000-byte limit" in str(info.value.errors[0])


def test_missing_path_and_empty_folder_are_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    errors = errors_of(tmp_path / "nope", tmp_path / "empty")
    assert any("nope:1: no such file or folder" in e for e in errors)
    assert any("empty:1: no question files" in e for e in errors)


def test_non_utf8_file_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"questions:\n  - id: caf\xe9\n")
    assert errors_of(path) == [f"{path}:2: file is not UTF-8 text"]


def test_file_defaults_apply_to_questions_without_their_own(tmp_path: Path) -> None:
    path = bank_file(
        tmp_path,
        "topic: tools\ndifficulty: hard\ntags: [t]\nsource: {document: doc.txt, section: tools}\nquestions:\n"
        + GOOD_MC
        + "    difficulty: easy\n",
    )
    (q,) = load_bank([path]).questions
    assert (q.topic, q.difficulty, q.tags, q.source.section) == ("tools", Difficulty.EASY, ("t",), "tools")
    assert (q.type, q.choices, q.correct_index, q.line) == (
        QuestionType.MULTIPLE_CHOICE,
        ("Alpha", "Beta", "Gamma"),
        1,
        6,
    )


def test_test_bank_loads_with_a_summary() -> None:
    bank = load_bank([TEST_BANK])
    assert len(bank) == 5
    assert bank.summary()["type"] == {"multiple_choice": 3, "true_false": 1, "short_answer": 1}


def test_reload_of_unchanged_files_uses_the_cache(tmp_path: Path) -> None:
    path = bank_file(tmp_path, "questions:\n" + GOOD_MC)
    loader = BankLoader()
    first = loader.load([path]).get("q1")
    second = loader.load([path]).get("q1")
    path.write_text(path.read_text().replace("Which one?", "Which one now?"), encoding="utf-8")
    third = loader.load([path]).get("q1")
    assert first is second  # same parsed object: nothing was parsed again
    assert third is not None and third.prompt == "Which one now?"


def test_committed_json_schema_matches_the_model() -> None:
    committed = (ROOT / "questions" / "schema.json").read_text(encoding="utf-8")
    assert committed == json_schema(), "run: quizbot schema --out questions/schema.json"
    schema = json.loads(committed)
    assert "questions" in schema["required"]


def test_bundled_bank_reads_the_same_with_and_without_libyaml() -> None:
    """PyYAML without libyaml (some platforms' wheels) must read the bundled files exactly as libyaml does:
    ``{section: What is R?}`` parses with libyaml but is a syntax error for the pure-Python parser."""
    import yaml

    files = sorted((Path(__file__).resolve().parents[1] / "questions").rglob("*.yaml"))
    assert files
    for file in files:
        text = file.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=yaml.SafeLoader) == yaml.load(text, Loader=yaml.CSafeLoader), file
