"""Bank files written to confuse: every message is one line, on the line an editor shows, values escaped."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from quizbot.bank import MAX_ERRORS_PER_FILE, BankLoadError, load_bank
from tests.conftest import ROOT

GOOD = """\
questions:
  - id: q1
    type: multiple_choice
    prompt: Which one?
    choices: [Alpha, Beta, Gamma]
    answer: Beta
    explanation: Because.
"""
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<message>.*)$")


def write(tmp_path: Path, text: str, name: str = "bank.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def errors_of(path: Path) -> list[str]:
    with pytest.raises(BankLoadError) as info:
        load_bank([path])
    return [str(e) for e in info.value.errors]


def only_error(path: Path) -> tuple[int, str]:
    [error] = errors_of(path)
    assert "\n" not in error and "\r" not in error
    match = LINE.match(error)
    assert match is not None and match["path"] == str(path), error
    return int(match["line"]), match["message"]


@pytest.mark.parametrize(("char", "name"), [("\x00", "NUL"), ("\x1b", "ESC"), ("\x07", "BEL")])
def test_a_raw_control_character_is_reported_on_its_own_line_in_one_line(
    tmp_path: Path, char: str, name: str
) -> None:
    path = write(tmp_path, GOOD.replace("Because.", f"Be{char}cause."))

    line, message = only_error(path)

    assert line == 7
    assert name in message and "U+00" in message and "column 20" in message
    assert char not in message


@pytest.mark.parametrize(
    "value",
    [
        "a\nb",  # a quoted YAML string can hold a line break ...
        "x\nother.yaml:99: forged error",  # ... which must not fake another file's error
        "\x1b[31mred\x1b[0m",  # ANSI colours, written as YAML escapes
        ":smile: [bold]not bold[/bold]",  # Rich emoji codes and markup
        "\u202eevil",  # a right-to-left override
        "a\u2028b",  # a line separator
    ],
)
def test_values_shown_in_messages_are_escaped_to_one_line(tmp_path: Path, value: str) -> None:
    escaped = value.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    path = write(tmp_path, GOOD.replace("answer: Beta", f'answer: "{escaped}"'))

    line, message = only_error(path)

    assert line == 6
    assert repr(value) in message
    assert "\x1b" not in message and "\u202e" not in message


def test_validate_prints_values_without_interpreting_them(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("answer: Beta", 'answer: ":smile: [bold]x[/bold] \\e[31m"'))
    result = subprocess.run(
        [sys.executable, "-m", "quizbot", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 1
    assert "':smile: [bold]x[/bold] \\x1b[31m'" in result.stdout
    assert "😄" not in result.stdout and "\x1b" not in result.stdout


@pytest.mark.parametrize("line_break", ["\x85", "\u2028", "\u2029", "\r"])
def test_line_numbers_count_newlines_only_as_editors_do(tmp_path: Path, line_break: str) -> None:
    text = GOOD.replace("Which one?", f'"Which{line_break}one?"').replace("answer: Beta", "answer: Delta")

    line, message = only_error(write(tmp_path, text))

    assert line == 6 and "'Delta' is not one of the choices" in message


def test_a_syntax_error_after_an_odd_line_break_is_on_the_editors_line(tmp_path: Path) -> None:
    text = 'topic: "a\u2028b"\nquestions: [\n'
    line, message = only_error(write(tmp_path, text))
    assert line == 3 and "not valid YAML" in message


@pytest.mark.parametrize(
    ("tagged", "shown"),
    [
        ("explanation: !!python/object/apply:os.system [echo hi]", "!!python/object/apply:os.system"),
        ("tags: !!set {a, b}", "!!set"),
        ("explanation: !shout Because.", "!shout"),
        ("explanation: !!str Because.", "!!str"),
    ],
)
def test_yaml_tags_are_refused(tmp_path: Path, tagged: str, shown: str) -> None:
    text = GOOD.replace("explanation: Because.", tagged)
    line, message = only_error(write(tmp_path, text))
    assert line == 7
    assert "tags are not allowed" in message and repr(shown) in message


@pytest.mark.parametrize(
    ("field", "old", "new", "line"),
    [
        ("prompt", "Which one?", '"\\u200b\\u200d"', 4),
        ("explanation", "Because.", '"\\ufeff"', 7),
        ("explanation", "Because.", '"\\0"', 7),
        ("choices[0]", "[Alpha, Beta, Gamma]", '["\\u202e", Beta, Gamma]', 5),
        ("answer", "answer: Beta", 'answer: "\\u00ad"', 6),
    ],
)
def test_text_that_is_only_invisible_characters_is_refused(
    tmp_path: Path, field: str, old: str, new: str, line: int
) -> None:
    errors = errors_of(write(tmp_path, GOOD.replace(old, new)))
    assert any(f":{line}: " in e and f"field '{field}'" in e and "invisible" in e for e in errors), errors


def test_a_short_answer_that_is_only_invisible_characters_is_refused(tmp_path: Path) -> None:
    text = (
        "questions:\n  - id: q1\n    type: short_answer\n    prompt: Name it\n"
        '    answers: [Spark, "\\u200b"]\n    explanation: E.\n'
    )
    errors = errors_of(write(tmp_path, text))
    assert any(":5: " in e and "field 'answers[1]'" in e and "invisible" in e for e in errors), errors


def test_choices_that_differ_only_by_invisible_characters_are_duplicates(tmp_path: Path) -> None:
    text = GOOD.replace("[Alpha, Beta, Gamma]", '[Alpha, "Al\\u200bpha", Gamma]')
    errors = errors_of(write(tmp_path, text))
    assert any(":5: " in e and "twice" in e for e in errors), errors


def test_errors_shown_per_file_are_capped_with_a_count(tmp_path: Path) -> None:
    count = MAX_ERRORS_PER_FILE + 500
    body = "".join(f"  - {{id: q{i}, type: nope}}\n" for i in range(count))
    path = write(tmp_path, "questions:\n" + body)

    with pytest.raises(BankLoadError) as info:
        load_bank([path])

    shown = [str(e) for e in info.value.errors]
    assert len(shown) == MAX_ERRORS_PER_FILE + 1
    assert shown[-1].endswith(f"… and 500 more errors in {path}")
    assert info.value.total == count
