"""``quizbot import``: Red-DiscordBot lists, Open Trivia DB dumps and CSV become valid question files."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from quizbot.bank import BankLoadError, load_bank
from quizbot.cli import main
from quizbot.domain import Question, QuestionType

DATA = Path(__file__).parent / "data" / "import"


def run_import(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["import", *args])
    return code, capsys.readouterr().out


def by_prompt(out: Path) -> dict[str, Question]:
    return {q.prompt: q for q in load_bank([out]).questions}


def test_red_list_keeps_answers_as_written_and_says_what_it_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, printed = run_import(capsys, "red", str(DATA / "capitals.yaml"), "--out", str(tmp_path))
    assert code == 0
    questions = by_prompt(tmp_path)
    assert questions["Which agent number is James Bond?"].accepted == ("007", "Double-oh-seven")
    assert questions["Is the Earth round?"].accepted == ("yes",)
    assert questions["How many sides has a hexagon?"].accepted == ("6", "six")
    assert all(q.type is QuestionType.SHORT_ANSWER and q.topic == "capitals" for q in questions.values())
    # the question given twice is reported, not silently replaced
    assert "is given twice" in printed and "What is the capital of Italy?" in printed
    assert questions["What is the capital of Italy?"].accepted == ("Roma", "Rome")
    # CONFIG keys with no equivalent are named
    assert "CONFIG key 'timeout'" in printed and "CONFIG key 'max_score'" in printed


def test_red_image_questions_become_images_with_the_link_taken_out_of_the_prompt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import(capsys, "red", str(DATA / "capitals.yaml"), "--out", str(tmp_path))
    questions = by_prompt(tmp_path)
    flag = questions["What flag is this?"]
    assert flag.image == "https://i.imgur.com/abc123.png"
    assert questions["Name this building please"].image == "https://example.org/img/tower.jpg"


def test_red_ids_follow_the_list_and_prompt_so_a_reimport_keeps_every_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = tmp_path / "one" / "quiz.yaml", tmp_path / "two" / "quiz.yaml"
    one.parent.mkdir()
    two.parent.mkdir()
    one.write_text("Capital of France?:\n- Paris\nCapital of Spain?:\n- Madrid\n")
    two.write_text("AUTHOR: someone\nCapital of Spain?:\n- Madrid\nCapital of France?:\n- Paris\n")
    run_import(capsys, "red", str(one), "--out", str(tmp_path / "a"))
    run_import(capsys, "red", str(two), "--out", str(tmp_path / "b"))
    first = {q.prompt: q.id for q in load_bank([tmp_path / "a"]).questions}
    second = {q.prompt: q.id for q in load_bank([tmp_path / "b"]).questions}
    assert first == second


def _encode(dump: dict, encoder) -> dict:  # type: ignore[no-untyped-def,type-arg]
    def enc(value):  # type: ignore[no-untyped-def]
        if isinstance(value, str):
            return encoder(value)
        if isinstance(value, list):
            return [enc(v) for v in value]
        return value

    return {"response_code": 0, "results": [{k: enc(v) for k, v in r.items()} for r in dump["results"]]}


@pytest.mark.parametrize("encoding", ["default", "url3986", "base64"])
def test_opentdb_dump_in_every_encoding_imports_the_same_questions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    import html

    dump = json.loads((DATA / "opentdb.json").read_text())
    plain = _encode(dump, html.unescape)
    source = tmp_path / "dump.json"
    if encoding == "default":
        shutil.copy(DATA / "opentdb.json", source)
    elif encoding == "url3986":
        source.write_text(json.dumps(_encode(plain, lambda s: quote(s, safe=""))))
    else:
        source.write_text(json.dumps(_encode(plain, lambda s: base64.b64encode(s.encode()).decode())))
    code, printed = run_import(capsys, "opentdb", str(source), "--out", str(tmp_path / "out"))
    assert code == 0
    questions = by_prompt(tmp_path / "out")
    cpu = questions['What does "CPU" stand for?']
    assert cpu.correct_answer == "Central Processing Unit" and len(cpu.choices) == 4
    assert cpu.topic == "Science: Computers" and cpu.difficulty.value == "easy"
    assert "Who wrote 'The Hobbit'?" in questions  # entities decoded, whitespace trimmed
    assert questions["Tomatoes are <fruit> in botany."].correct_answer == "True"
    assert questions['The programming language "Python" is named after a snake.'].correct_answer == "False"
    assert questions["Which of these is a prime number: 7 & 9?"].correct_answer == "7"
    assert "repeats the question of result #1" in printed  # the duplicate is reported, once
    assert len(questions) == 5
    assert "CC BY-SA 4.0" in (tmp_path / "out" / "dump.yaml").read_text()  # attribution kept


def test_opentdb_correct_answers_are_not_always_in_the_first_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = [
        {
            "type": "multiple",
            "difficulty": "easy",
            "category": "Numbers",
            "question": f"Which number is {n}?",
            "correct_answer": str(n),
            "incorrect_answers": [str(n + 100), str(n + 200), str(n + 300)],
        }
        for n in range(40)
    ]
    (tmp_path / "n.json").write_text(json.dumps({"response_code": 0, "results": results}))
    run_import(capsys, "opentdb", str(tmp_path / "n.json"), "--out", str(tmp_path / "out"))
    positions = {q.correct_index for q in load_bank([tmp_path / "out"]).questions}
    assert positions == {0, 1, 2, 3}


def test_opentdb_error_response_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "e.json").write_text('{"response_code": 1, "results": []}')
    code, printed = run_import(capsys, "opentdb", str(tmp_path / "e.json"), "--out", str(tmp_path / "o"))
    assert code == 1
    assert "error response 1: no results" in printed


def test_csv_rows_become_questions_and_bad_rows_are_skipped_with_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, printed = run_import(capsys, "csv", str(DATA / "sheet.csv"), "--out", str(tmp_path))
    assert code == 0
    questions = by_prompt(tmp_path)
    assert questions["Which tool versions datasets alongside code?"].correct_answer == "DVC"
    assert questions["Which Python library gives you DataFrames?"].accepted == ("pandas", "pandas library")
    registry = questions["A model registry stores trained models with their versions, stages and metadata."]
    assert registry.correct_answer == "True" and registry.difficulty.value == "medium"
    assert f"{DATA / 'sheet.csv'}:5: skipped: the answer 'C' is not one of the choices" in printed
    assert f"{DATA / 'sheet.csv'}:6: skipped: a true/false answer must be true or false" in printed


def test_csv_from_a_semicolon_spreadsheet_with_a_byte_order_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "excel.csv"
    source.write_text(
        "\ufefftype;prompt;choices;answer;explanation\nshort_answer;Two plus two?;;4;Arithmetic.\n"
    )
    code, _ = run_import(capsys, "csv", str(source), "--out", str(tmp_path / "out"))
    assert code == 0
    assert by_prompt(tmp_path / "out")["Two plus two?"].accepted == ("4",)


def test_csv_without_the_needed_columns_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "x.csv"
    source.write_text("question,reply\nA?,B\n")
    code, printed = run_import(capsys, "csv", str(source), "--out", str(tmp_path / "out"))
    assert code == 1
    assert "the header row lacks type, prompt, answer" in printed


def test_out_onto_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "file.yaml"
    target.write_text("x")
    code, printed = run_import(capsys, "csv", str(DATA / "sheet.csv"), "--out", str(target))
    assert code == 2 and "is a file" in printed


@pytest.mark.parametrize(
    ("name", "expected"),
    [("capitals.yaml", "quizbot import red"), ("opentdb.json", "quizbot import opentdb")],
)
def test_validate_names_the_import_command_for_another_bots_format(name: str, expected: str) -> None:
    with pytest.raises(BankLoadError) as caught:
        load_bank([DATA / name])
    assert len(caught.value.errors) == 1
    assert expected in str(caught.value.errors[0])


def test_an_imported_question_without_explanation_is_served_with_none_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import(capsys, "red", str(DATA / "capitals.yaml"), "--out", str(tmp_path))
    assert all(q.explanation == "" for q in load_bank([tmp_path]).questions)


def test_image_must_be_an_https_link(tmp_path: Path) -> None:
    bank = tmp_path / "b.yaml"
    bank.write_text(
        "questions:\n- id: q1\n  type: short_answer\n  prompt: What is this?\n  answers: [cat]\n"
        "  image: http://example.org/cat.png\n"
    )
    with pytest.raises(BankLoadError) as caught:
        load_bank([bank])
    assert "image" in str(caught.value.errors[0])


def _mc(prompt: str, correct: str, wrong: list[str], category: str = "General Knowledge") -> dict:  # type: ignore[type-arg]
    return {
        "type": "multiple",
        "difficulty": "easy",
        "category": category,
        "question": prompt,
        "correct_answer": correct,
        "incorrect_answers": wrong,
    }


def _dump(path: Path, results: list) -> Path:  # type: ignore[type-arg]
    path.write_text(json.dumps({"response_code": 0, "results": results}))
    return path


def test_overlapping_opentdb_dumps_skip_the_repeats_and_import_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = _mc("Which planet is red?", "Mars", ["Venus", "Jupiter", "Saturn"])
    first = _dump(tmp_path / "d1.json", [shared, _mc("Two plus two?", "4", ["3", "5", "6"])])
    second = _dump(tmp_path / "d2.json", [_mc("Three plus three?", "6", ["5", "7", "8"]), shared])
    code, printed = run_import(capsys, "opentdb", str(first), str(second), "--out", str(tmp_path / "out"))
    assert code == 0, printed
    assert (
        f'{second}: skipped: result #2 ("Which planet is red?"): repeats the question of {first} result #1'
        in printed
    )
    assert "1 skipped (1 repeat)" in printed
    assert len(load_bank([tmp_path / "out"])) == 3


def test_a_csv_with_the_same_prompt_twice_skips_the_second(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "twice.csv"
    source.write_text("type,prompt,answer\nshort,Two plus two?,4\nshort,Two plus two?,4\nshort,One?,1\n")
    code, printed = run_import(capsys, "csv", str(source), "--out", str(tmp_path / "out"))
    assert code == 0, printed
    assert f"{source}:3: skipped: repeats the question of line 2" in printed
    assert len(load_bank([tmp_path / "out"])) == 2


def test_a_csv_id_used_twice_keeps_the_first_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    one.write_text("id,type,prompt,answer\nq1,short,Two plus two?,4\n")
    two.write_text("id,type,prompt,answer\nq1,short,Three plus three?,6\nq2,short,One?,1\n")
    code, printed = run_import(capsys, "csv", str(one), str(two), "--out", str(tmp_path / "out"))
    assert code == 0, printed
    assert f"{two}:2: skipped: its id 'q1' is already used by {one}:2" in printed
    assert len(load_bank([tmp_path / "out"])) == 2


def test_a_question_the_loader_refuses_is_skipped_not_the_whole_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = _dump(
        tmp_path / "d.json",
        [
            _mc(
                "Which chain sells the Big Mac?",
                "McDonald&#039;s",
                ["Mcdonald&#039;s", "KFC", "Wendy&#039;s"],
            ),
            _mc("Two plus two?", "4", ["3", "5", "6"]),
        ],
    )
    sheet = tmp_path / "s.csv"
    sheet.write_text("type,prompt,choices,answer\nmc,Four in Roman numerals?,IV|iv|V,IV\nshort,One?,,1\n")
    code, printed = run_import(capsys, "opentdb", str(dump), "--out", str(tmp_path / "o1"))
    assert code == 0, printed
    assert (
        f"{dump}: skipped: result #1 (\"Which chain sells the Big Mac?\"): field 'choices' lists" in printed
    )
    assert [q.prompt for q in load_bank([tmp_path / "o1"]).questions] == ["Two plus two?"]
    code, printed = run_import(capsys, "csv", str(sheet), "--out", str(tmp_path / "o2"))
    assert code == 0, printed
    assert f"{sheet}:2: skipped: field 'choices' lists 'iv' twice" in printed
    assert [q.prompt for q in load_bank([tmp_path / "o2"]).questions] == ["One?"]


def test_a_failed_import_leaves_no_file_behind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a question file already in --out with an id the import would also write: the import must not
    # leave a folder that `quizbot validate` refuses
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.yaml").write_text(
        "questions:\n- id: q1\n  type: short_answer\n  prompt: One?\n  answers: ['1']\n"
    )
    source = tmp_path / "s.csv"
    source.write_text("id,type,prompt,answer\nq1,short,Two plus two?,4\nq2,short,Three?,3\n")
    code, printed = run_import(capsys, "csv", str(source), "--out", str(out))
    assert f"{source}:2: skipped: its id 'q1' is already used by {out / 'mine.yaml'}:2" in printed
    assert code == 0
    assert len(load_bank([out])) == 2
    assert sorted(p.name for p in out.iterdir()) == ["mine.yaml", "s.yaml"]


def test_validate_names_the_import_command_for_a_bare_list_dump(tmp_path: Path) -> None:
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps([_mc("Two plus two?", "4", ["3", "5", "6"])]))
    with pytest.raises(BankLoadError) as caught:
        load_bank([bare])
    assert len(caught.value.errors) == 1
    assert "quizbot import opentdb" in str(caught.value.errors[0])


@pytest.mark.parametrize("encoding", ["default", "url3986", "base64"])
def test_a_5000_question_opentdb_download_imports_with_no_false_refusal(
    tmp_path: Path, encoding: str
) -> None:
    from benchmarks.opentdb_dump import import_dumps, write_dumps

    [dumps] = [d for d in write_dumps(tmp_path / "dumps", 5000, 250) if d.encoding == encoding]
    if encoding == "default":
        raw = dumps.files[0].read_text()
        assert all(e in raw for e in ("&quot;", "&#039;", "&amp;", "&eacute;", "&lt;"))
    done = import_dumps(dumps, tmp_path / "out")
    assert done.code == 0
    assert done.converted == 5000
    assert len(done.skipped) == 250
    assert all("repeats the question of" in line for line in done.skipped)
    bank = load_bank([tmp_path / "out"])
    assert len(bank) == 5000
    prompts = {q.prompt for q in bank.questions}
    assert 'Which of these is linked to "São Paulo" in question 1?' in prompts
    assert 'Which of these is linked to "Mötley Crüe" in question 7?' in prompts  # spaces trimmed
    assert 'In "Pokémon" (0), the capital wasn\'t born in Zürich & Bern.' in prompts
    answers = {q.correct_answer for q in bank.questions}
    assert {"McDonald's", "Mcdonald's", "AT&T", "<html>", 'The "Big Apple"', "Dvořák"} <= answers
