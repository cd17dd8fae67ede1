"""Choices are shuffled when a question is asked, and the order asked is the order every later step uses."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from quizbot.bank import BankLoadError, load_bank
from quizbot.domain import AskKind, Place, Player, QuestionType
from quizbot.engine import QuizEngine
from tests.conftest import make_settings

PLACE = Place("test", "server1", "general")
ANN = Player("test", "u1", "Ann")

RIGHT_FIRST = """\
topic: imported
questions:
  - id: capital-of-france
    type: multiple_choice
    prompt: What is the capital of France?
    choices: [Paris, Lyon, Marseille, Nice, Lille]
    answer: Paris
    explanation: Paris has been the capital since the Middle Ages.
"""

PINNED = """\
topic: pinned
questions:
  - id: moon-landing-year
    type: multiple_choice
    prompt: In which year did people first walk on the Moon?
    choices: ["1965", "1969", "1972", "None of these"]
    answer: "1969"
    explanation: Apollo 11 landed in July 1969.
    shuffle: false
  - id: water-is-wet
    type: true_false
    prompt: Water is wet.
    answer: false
    explanation: Debatable, but the bank says so.
"""

FILE_PINNED = """\
topic: years
shuffle: false
questions:
  - id: first-printed-bible
    type: multiple_choice
    prompt: Around which year was the Gutenberg Bible printed?
    choices: ["1455", "1517", "1605"]
    answer: "1455"
    explanation: Gutenberg printed it in Mainz in the 1450s.
  - id: shuffled-anyway
    type: multiple_choice
    prompt: Which of these is a fruit?
    choices: [Apple, Carrot, Leek]
    answer: Apple
    explanation: The others are vegetables.
    shuffle: true
"""


def write_bank(tmp_path: Path, **files: str) -> Path:
    bank = tmp_path / "bank"
    bank.mkdir(exist_ok=True)
    for name, text in files.items():
        (bank / f"{name}.yaml").write_text(text, encoding="utf-8")
    return bank


async def open_engine(tmp_path: Path, bank: Path, seed: int = 3) -> QuizEngine:
    url = f"sqlite+aiosqlite:///{(tmp_path / 'quizbot.db').as_posix()}"
    return await QuizEngine.open(make_settings(url, bank), rng=random.Random(seed))


async def test_an_imported_right_answer_first_is_not_always_a(tmp_path: Path) -> None:
    engine = await open_engine(tmp_path, write_bank(tmp_path, imported=RIGHT_FIRST))
    async with engine:
        positions: Counter[int] = Counter()
        for n in range(40):
            player = Player("test", f"p{n}", f"P{n}")
            asked = await engine.ask(PLACE, player)
            assert sorted(asked.question.choices) == sorted(["Paris", "Lyon", "Marseille", "Nice", "Lille"])
            assert asked.question.correct_answer == "Paris"
            positions[asked.question.choices.index("Paris")] += 1
            result = await engine.answer(asked.id, player, asked.question.correct_index or 0)
            assert result.correct and result.given == "Paris"
    assert set(positions) == {0, 1, 2, 3, 4}  # every position comes up
    assert max(positions.values()) < 20  # and none takes half of 40 draws


async def test_pinned_order_and_true_false_never_move(tmp_path: Path) -> None:
    engine = await open_engine(tmp_path, write_bank(tmp_path, pinned=PINNED, years=FILE_PINNED))
    async with engine:
        seen: dict[str, set[tuple[str, ...]]] = {}
        for n in range(12):
            player = Player("test", f"p{n}", f"P{n}")
            for _ in range(len(engine.bank)):
                asked = await engine.ask(PLACE, player)
                seen.setdefault(asked.question.id, set()).add(asked.question.choices)
    assert seen["moon-landing-year"] == {("1965", "1969", "1972", "None of these")}
    assert seen["water-is-wet"] == {("True", "False")}
    assert seen["first-printed-bible"] == {("1455", "1517", "1605")}  # the file's default
    assert len(seen["shuffled-anyway"]) > 1  # a question may opt back in


async def test_buttons_letters_closing_post_and_restart_use_the_order_asked(tmp_path: Path) -> None:
    bank = write_bank(tmp_path, imported=RIGHT_FIRST)
    engine = await open_engine(tmp_path, bank)
    async with engine:
        asked = await engine.ask(PLACE, kind=AskKind.DAILY)
        order = asked.question.choices
        assert order != ("Paris", "Lyon", "Marseille", "Nice", "Lille")  # this seed moved Paris
        assert (await engine.get_asked(asked.id)).question.choices == order  # type: ignore[union-attr]
        letter = "ABCDE"[order.index("Paris")]
        assert (await engine.answer(asked.id, ANN, letter.lower())).correct
        wrong = next(i for i, c in enumerate(order) if c != "Paris")
        bob = await engine.answer(asked.id, Player("test", "u2", "Bob"), wrong)
        assert (bob.correct, bob.given) == (False, order[wrong])
    restarted = await open_engine(tmp_path, bank, seed=99)  # another process, another random source
    async with restarted:
        again = await restarted.get_asked(asked.id)
        assert again is not None and again.question.choices == order
        carl = await restarted.answer(asked.id, Player("test", "u3", "Carl"), order.index("Paris"))
        assert carl.correct
        summary = await restarted.close_question(asked.id)
    assert summary.asked.question.choices == order
    assert summary.asked.question.correct_answer == "Paris"
    assert (summary.answered, summary.correct) == (3, 2)


async def test_the_same_seed_gives_the_same_order(tmp_path: Path) -> None:
    orders = []
    for run in ("a", "b"):
        folder = tmp_path / run
        folder.mkdir()
        engine = await open_engine(folder, write_bank(folder, imported=RIGHT_FIRST), seed=11)
        async with engine:
            orders.append([(await engine.ask(PLACE, ANN)).question.choices for _ in range(5)])
    assert orders[0] == orders[1]


def test_shuffle_is_a_multiple_choice_key(tmp_path: Path) -> None:
    bank = write_bank(
        tmp_path,
        bad="""\
questions:
  - id: tf
    type: true_false
    prompt: Water is wet.
    answer: true
    explanation: It is.
    shuffle: false
  - id: mc
    type: multiple_choice
    prompt: Pick one.
    choices: [A1, B1]
    answer: A1
    explanation: A1.
    shuffle: sometimes
""",
    )
    with pytest.raises(BankLoadError) as caught:
        load_bank([bank])
    lines = [str(e).removeprefix(str(bank / "bad.yaml")) for e in caught.value.errors]
    assert lines == [
        ":7: question 'tf': key 'shuffle' is for multiple_choice questions, not true_false",
        ":14: question 'mc': field 'shuffle' must be true or false (unquoted), not 'sometimes'",
    ]


def test_loaded_questions_know_whether_they_may_be_shuffled(tmp_path: Path) -> None:
    bank = load_bank([write_bank(tmp_path, pinned=PINNED, years=FILE_PINNED, imported=RIGHT_FIRST)])
    flags = {q.id: (q.type, q.shuffle) for q in bank.questions}
    assert flags == {
        "capital-of-france": (QuestionType.MULTIPLE_CHOICE, True),
        "moon-landing-year": (QuestionType.MULTIPLE_CHOICE, False),
        "water-is-wet": (QuestionType.TRUE_FALSE, False),
        "first-printed-bible": (QuestionType.MULTIPLE_CHOICE, False),
        "shuffled-anyway": (QuestionType.MULTIPLE_CHOICE, True),
    }
