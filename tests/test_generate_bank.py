"""The committed ml-engineering bank: generated from the seed articles, and fit for two months of dailies."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from quizbot.bank import Bank, load_bank
from quizbot.domain import Question, QuestionType
from quizbot.generate import EXIT_OK, generate_command
from quizbot.generate.knowledge import TOOLS
from quizbot.generate.quality import article_gives_away, length_gives_away, wording_gives_away

ROOT = Path(__file__).resolve().parents[1]
BANK_DIR = ROOT / "questions" / "ml-engineering"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
FIRST_ARTICLE = "000_9a567d202cafda1c.txt"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank([BANK_DIR])


def choice_questions(bank: Bank) -> list[Question]:
    return [q for q in bank.questions if q.type is QuestionType.MULTIPLE_CHOICE]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are not next to this checkout")
def test_committed_bank_is_exactly_what_the_generator_makes_from_the_seeds(tmp_path: Path) -> None:
    out = tmp_path / "questions" / "ml-engineering"
    out.parent.mkdir()
    schema = BANK_DIR.parent / "schema.json"  # the generator points editors at it when it is there
    if schema.is_file():
        shutil.copy(schema, out.parent / "schema.json")

    assert generate_command([SEEDS], out) == EXIT_OK

    generated = sorted(p.name for p in out.iterdir())
    assert generated == sorted(p.name for p in BANK_DIR.glob("*.yaml"))
    for name in generated:
        assert (out / name).read_bytes() == (BANK_DIR / name).read_bytes(), f"{name} is stale: regenerate it"


def test_bank_is_big_enough_for_two_months_of_daily_questions(bank: Bank) -> None:
    assert len(bank) >= 60


def test_every_misconception_of_the_first_article_is_asked(bank: Bank) -> None:
    claims = [
        q
        for q in bank.questions
        if q.source
        and q.source.section.startswith("Misconception #")
        and q.type is QuestionType.TRUE_FALSE
        and q.correct_answer == "False"
    ]

    assert sorted(q.source.section for q in claims if q.source) == [
        f"Misconception #{n}" for n in range(1, 6)
    ]


def test_every_faq_of_the_first_article_is_asked(bank: Bank) -> None:
    faqs = {
        q.source.section
        for q in bank.questions
        if q.source and q.source.document == FIRST_ARTICLE and q.source.section.startswith("FAQ: ")
    }

    assert len(faqs) == 10


def test_at_least_fifteen_distinct_tools_are_asked_about(bank: Bank) -> None:
    covered = {
        tool.name
        for q in bank.questions
        if "tools" in q.tags
        for tool in TOOLS
        if tool.name in q.prompt or tool.name in q.accepted
    }

    assert len(covered) >= 15, sorted(covered)


def test_no_two_questions_share_a_prompt(bank: Bank) -> None:
    prompts = Counter(" ".join(q.prompt.casefold().split()) for q in bank.questions)

    assert [p for p, n in prompts.items() if n > 1] == []


def test_no_choice_question_gives_its_answer_away(bank: Bank) -> None:
    for q in choice_questions(bank):
        wrong = [c for c in q.choices if c != q.correct_answer]
        assert not length_gives_away(q.correct_answer, wrong), q.id
        assert not wording_gives_away(q.prompt, q.correct_answer, wrong), q.id
        assert not article_gives_away(q.prompt, q.correct_answer, wrong), q.id


def test_the_correct_choice_is_not_always_in_the_same_place(bank: Bank) -> None:
    by_size: dict[int, Counter[int]] = {}
    for q in choice_questions(bank):
        assert q.correct_index is not None
        by_size.setdefault(len(q.choices), Counter())[q.correct_index] += 1

    for size, positions in by_size.items():
        counts = [positions[i] for i in range(size)]
        assert max(counts) - min(counts) <= 1, f"{size} choices: {counts}"


def test_true_false_answers_are_not_always_true(bank: Bank) -> None:
    answers = Counter(q.correct_answer for q in bank.questions if q.type is QuestionType.TRUE_FALSE)

    assert answers["False"] >= 0.3 * sum(answers.values())
    assert answers["True"] >= 0.3 * sum(answers.values())


def test_types_and_difficulties_are_mixed(bank: Bank) -> None:
    types = Counter(q.type for q in bank.questions)
    difficulties = Counter(q.difficulty for q in bank.questions)

    assert set(types) == set(QuestionType)
    assert types[QuestionType.SHORT_ANSWER] >= 5
    assert all(n >= 0.1 * len(bank) for n in difficulties.values()) and len(difficulties) == 3


def test_every_question_says_where_it_came_from_and_why(bank: Bank) -> None:
    for q in bank.questions:
        assert q.source is not None and q.source.document.endswith(".txt") and q.source.section, q.id
        assert len(q.explanation) >= 20, q.id
