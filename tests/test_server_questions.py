"""A server's own question files: stored only when wholly valid, served to that server only."""

from __future__ import annotations

import json

import pytest

from quizbot.domain import NoQuestionError, Place, Player, QuizError
from quizbot.engine import QuizEngine
from quizbot.uploads import UploadRefused

HERE = Place("test", "guild-a", "general")
ELSEWHERE = Place("test", "guild-b", "general")
ANN = Player("test", "u1", "Ann")

OWN = b"""topic: team
questions:
- id: team-1
  type: true_false
  prompt: Our team deploys on Fridays.
  answer: false
  explanation: We never deploy on Fridays.
- id: team-2
  type: short_answer
  prompt: Which tool runs our pipelines?
  answers: [Airflow]
  explanation: Airflow schedules every pipeline we run.
"""


async def upload(engine: QuizEngine, name: str, data: bytes, place: Place = HERE):  # type: ignore[no-untyped-def]
    return await engine.server_questions.upload(place.platform, place.server, name, data, "Ann")


async def test_uploaded_questions_are_served_to_that_server_only(any_engine: QuizEngine) -> None:
    uploaded = await upload(any_engine, "team.yaml", OWN)
    assert (uploaded.file.name, uploaded.file.questions, uploaded.file.topics) == ("team", 2, ("team",))

    asked = await any_engine.ask(HERE, ANN, topic="team")
    assert asked.question.id in {"team-1", "team-2"}
    with pytest.raises(NoQuestionError, match="No questions on topic 'team'"):
        await any_engine.ask(ELSEWHERE, ANN, topic="team")


async def test_a_broken_file_is_refused_with_every_error_and_nothing_is_stored(
    any_engine: QuizEngine,
) -> None:
    broken = OWN.replace(b"answer: false", b"answer: maybe").replace(b"answers: [Airflow]", b"answers: []")
    with pytest.raises(UploadRefused) as refused:
        await upload(any_engine, "team.yaml", broken)
    assert len(refused.value.errors) == 2
    assert all(e.startswith("team.yaml:") for e in refused.value.errors)
    assert (await any_engine.server_questions.files(HERE.platform, HERE.server)).files == ()


async def test_ids_already_in_use_are_refused(any_engine: QuizEngine) -> None:
    bundled_id = any_engine.bank.questions[0].id
    clash = OWN.replace(b"id: team-1", f"id: {bundled_id}".encode())
    with pytest.raises(UploadRefused) as refused:
        await upload(any_engine, "team.yaml", clash)
    assert f"question id '{bundled_id}' is already used by the bundled bank" in refused.value.errors[0]
    await upload(any_engine, "team.yaml", OWN)
    with pytest.raises(UploadRefused, match="already in use"):
        await upload(any_engine, "copy.yaml", OWN)
    # the same name replaces the file instead of clashing with itself
    again = await upload(any_engine, "team.yaml", OWN)
    assert again.replaced


async def test_red_opentdb_and_csv_uploads_are_converted(any_engine: QuizEngine) -> None:
    red = await upload(any_engine, "capitals.yaml", b"AUTHOR: me\nCapital of Peru?:\n- Lima\n")
    assert red.converted_from == "a Red-DiscordBot trivia list"
    dump = {
        "response_code": 0,
        "results": [
            {
                "type": "boolean",
                "difficulty": "easy",
                "category": "Science",
                "question": "Water boils at 100 &deg;C at sea level.",
                "correct_answer": "True",
                "incorrect_answers": ["False"],
            }
        ],
    }
    opentdb = await upload(any_engine, "dump.json", json.dumps(dump).encode())
    assert opentdb.converted_from == "an Open Trivia DB dump"
    sheet = await upload(any_engine, "sheet.csv", b"type,prompt,answer\nshort_answer,Two plus two?,4\n")
    assert sheet.converted_from == "a CSV sheet"
    topics = (await any_engine.bank_for(HERE)).topics()
    assert {"capitals", "Science", "sheet"} <= set(topics)


async def test_limits_are_clear(any_engine: QuizEngine) -> None:
    any_engine.server_questions.max_upload_bytes = 100
    with pytest.raises(UploadRefused, match="over the 100-byte limit"):
        await upload(any_engine, "team.yaml", OWN)
    any_engine.server_questions.max_upload_bytes = 10_000
    any_engine.server_questions.max_questions = 1
    with pytest.raises(UploadRefused, match="would have 2 questions of its own, over the limit of 1"):
        await upload(any_engine, "team.yaml", OWN)


async def test_bundled_bank_can_be_turned_off_for_one_server(any_engine: QuizEngine) -> None:
    await upload(any_engine, "team.yaml", OWN)
    await any_engine.server_questions.set_bundled(HERE.platform, HERE.server, False)
    served = {(await any_engine.ask(HERE, ANN)).question.id for _ in range(6)}
    assert served <= {"team-1", "team-2"}
    assert len(await any_engine.bank_for(ELSEWHERE)) == len(any_engine.bank)


async def test_download_gives_the_yaml_back_and_remove_stops_serving_it(any_engine: QuizEngine) -> None:
    await upload(any_engine, "Team Questions.yaml", OWN)
    name, text = await any_engine.server_questions.download(HERE.platform, HERE.server, "team-questions")
    assert name == "team-questions.yaml" and text == OWN.decode()
    await any_engine.server_questions.remove(HERE.platform, HERE.server, "team-questions")
    with pytest.raises(NoQuestionError):
        await any_engine.ask(HERE, ANN, topic="team")
    with pytest.raises(QuizError, match="no question file named 'team-questions'"):
        await any_engine.server_questions.remove(HERE.platform, HERE.server, "team-questions")


async def test_another_process_sees_an_upload_at_its_next_ask(any_engine: QuizEngine, db_url: str) -> None:
    from tests.conftest import make_settings

    async with await QuizEngine.open(make_settings(db_url)) as second:
        assert "team" not in (await second.bank_for(HERE)).topics()
        await upload(any_engine, "team.yaml", OWN)
        assert "team" in (await second.bank_for(HERE)).topics()


def _result(prompt: str, correct: str, wrong: list[str]) -> dict:  # type: ignore[type-arg]
    return {
        "type": "multiple",
        "difficulty": "easy",
        "category": "Food",
        "question": prompt,
        "correct_answer": correct,
        "incorrect_answers": wrong,
    }


async def test_errors_in_a_converted_upload_point_at_the_uploaded_file(any_engine: QuizEngine) -> None:
    sheet = b"type,prompt,choices,answer\nmc,Four in Roman numerals?,IV|iv|V,IV\n"
    with pytest.raises(UploadRefused) as refused:
        await upload(any_engine, "up.csv", sheet)
    assert refused.value.errors == ("up.csv:2: field 'choices' lists 'iv' twice (also choice 1)",)
    dump = {
        "response_code": 0,
        "results": [
            _result("Two plus two?", "4", ["3", "5", "6"]),
            _result("Who sells the Big Mac?", "McDonald&#039;s", ["Mcdonald&#039;s", "KFC", "Wendy&#039;s"]),
        ],
    }
    with pytest.raises(UploadRefused) as refused:
        await upload(any_engine, "dump.json", json.dumps(dump).encode())
    [error] = refused.value.errors
    assert error.startswith("dump.json: result #2 (\"Who sells the Big Mac?\"): field 'choices' lists")
    assert (await any_engine.server_questions.files(HERE.platform, HERE.server)).files == ()


async def test_a_repeated_question_in_an_uploaded_dump_is_skipped_with_a_warning(
    any_engine: QuizEngine,
) -> None:
    one = _result("Two plus two?", "4", ["3", "5", "6"])
    dump = {"response_code": 0, "results": [one, _result("One plus one?", "2", ["1", "3", "4"]), one]}
    uploaded = await upload(any_engine, "dump.json", json.dumps(dump).encode())
    assert uploaded.file.questions == 2
    assert any("result #3" in w and "repeats the question of result #1" in w for w in uploaded.warnings)


async def test_a_second_overlapping_dump_skips_what_the_server_already_has(any_engine: QuizEngine) -> None:
    shared = _result("Two plus two?", "4", ["3", "5", "6"])
    first = {"response_code": 0, "results": [shared, _result("One plus one?", "2", ["1", "3", "4"])]}
    second = {"response_code": 0, "results": [_result("Three plus three?", "6", ["5", "7", "8"]), shared]}
    await upload(any_engine, "d1.json", json.dumps(first).encode())
    uploaded = await upload(any_engine, "d2.json", json.dumps(second).encode())
    assert uploaded.file.questions == 1
    assert any(
        'd2.json: result #2 ("Two plus two?")' in w and "the server's file 'd1'" in w
        for w in uploaded.warnings
    )
    assert len(await any_engine.bank_for(HERE)) == len(any_engine.bank) + 3


async def test_an_id_clash_in_a_converted_upload_names_the_sheet_row(any_engine: QuizEngine) -> None:
    bundled_id = any_engine.bank.questions[0].id
    sheet = f"id,type,prompt,answer\nmine,short,One?,1\n{bundled_id},short,Two plus two?,4\n".encode()
    with pytest.raises(UploadRefused) as refused:
        await upload(any_engine, "up.csv", sheet)
    assert refused.value.errors == (
        f"up.csv:3: question id '{bundled_id}' is already used by the bundled bank; give it another id",
    )


NEAR_NAMES = b"""topic: moons
questions:
- id: moons-zorbax
  type: short_answer
  prompt: Which moon of the game's first planet has rings?
  answers: [Zorbax]
  explanation: Zorbax is the ringed moon.
- id: moons-zorbex
  type: short_answer
  prompt: Which moon of the game's first planet has no air?
  answers: [Zorbex]
  explanation: Zorbex has no atmosphere.
"""


async def _asked(engine: QuizEngine, player: Player, question_id: str):  # type: ignore[no-untyped-def]
    for _ in range(4):
        asked = await engine.ask(HERE, player, topic="moons")
        if asked.question.id == question_id:
            return asked
    raise AssertionError(f"{question_id} never came up")


async def test_another_uploaded_questions_answer_is_a_different_answer_not_a_typo(
    any_engine: QuizEngine,
) -> None:
    """One letter apart, but both are names this server's questions use: typing the other one is wrong."""
    await upload(any_engine, "moons.yaml", NEAR_NAMES)
    wrong_name, typo = Player("test", "u2", "Bo"), Player("test", "u3", "Cy")

    other = await any_engine.answer(
        (await _asked(any_engine, wrong_name, "moons-zorbax")).id, wrong_name, "Zorbex"
    )
    slip = await any_engine.answer((await _asked(any_engine, typo, "moons-zorbax")).id, typo, "Zorbaz")

    assert not other.correct
    assert slip.correct and slip.accepted_as == "Zorbax"
