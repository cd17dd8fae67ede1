"""The bundled ml-engineering bank: generated from the seed articles, reviewed, and fit to learn from.

The surface-strategy measurement answers "could a player who knows nothing score well?": each strategy
(always true, longest choice, most words shared with the prompt, …) is scored on the questions it applies
to and compared with chance on the same questions. ``python -m tests.test_generate_bank`` prints the table.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from quizbot.bank import Bank, load_bank
from quizbot.checks import ABSOLUTE_WORDS, content_words
from quizbot.domain import Question, QuestionStatus, QuestionType
from quizbot.generate import EXIT_OK, KINDS, generate_command
from quizbot.generate.sections import read_article
from quizbot.lint import lint_paths

ROOT = Path(__file__).resolve().parents[1]
BANK_DIR = ROOT / "questions" / "ml-engineering"
SEEDS = Path(os.environ.get("SEED_ARTICLES_DIR", ROOT.parent / "shared" / "seeds"))
"""Next to the checkout in CI; SEED_ARTICLES_DIR points elsewhere (a second worktree, say)."""
FIRST_ARTICLE = "000_9a567d202cafda1c.txt"
MAX_EDGE = 0.05
"""A strategy may beat chance by at most five percentage points."""

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are not next to this checkout")


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank([BANK_DIR])


@needs_seeds
def test_committed_bank_is_exactly_what_the_generator_makes_from_the_seeds(tmp_path: Path) -> None:
    out = tmp_path / "questions" / "ml-engineering"
    out.mkdir(parents=True)
    shutil.copy(BANK_DIR.parent / "schema.json", out.parent / "schema.json")
    shutil.copy(BANK_DIR / "review.json", out / "review.json")  # the review decisions the generator applies

    assert generate_command([SEEDS], out) == EXIT_OK

    for kind in KINDS:
        name = f"{kind}.yaml"
        assert (out / name).read_bytes() == (BANK_DIR / name).read_bytes(), f"{name} is stale: regenerate it"


def test_every_served_question_was_reviewed(bank: Bank) -> None:
    unreviewed = load_bank([BANK_DIR], serve_drafts=True)

    assert len(unreviewed) == len(bank), "drafts left: run quizbot review questions/ml-engineering"
    assert all(q.status is QuestionStatus.APPROVED for q in bank.questions)


def test_bank_is_big_enough_for_two_months_of_daily_questions(bank: Bank) -> None:
    assert len(bank) >= 60


def test_every_misconception_of_the_first_article_is_asked(bank: Bank) -> None:
    sections = {q.source.section for q in bank.questions if q.source and q.source.document == FIRST_ARTICLE}

    assert {f"Misconception #{n}" for n in range(1, 6)} <= sections


@needs_seeds
def test_every_faq_of_the_first_article_is_asked(bank: Bank) -> None:
    faqs = {f.question for f in read_article(SEEDS / FIRST_ARTICLE).faqs}
    sections = {
        q.source.section.removeprefix("FAQ: ").split(" (table: ")[0]
        for q in bank.questions
        if q.source and q.source.document == FIRST_ARTICLE and q.source.section.startswith("FAQ: ")
    }

    assert len(faqs) == 10
    assert sections == faqs


@needs_seeds
def test_at_least_fifteen_tools_the_articles_describe_are_asked_about(bank: Bank) -> None:
    articles = [read_article(p) for p in sorted(SEEDS.glob("*.txt"))]
    names = {n for a in articles for g in a.tool_groups for n in g.tools}
    names |= {d.name for a in articles for d in a.tool_descriptions}
    asked = {
        n.casefold()
        for q in bank.questions
        for n in names
        if n.casefold() in f"{q.prompt} {' '.join(q.accepted)}".casefold()
    }

    assert len(asked) >= 15, sorted(asked)


def test_true_false_answers_are_between_forty_and_sixty_percent_true(bank: Bank) -> None:
    answers = [q.correct_index == 0 for q in bank.questions if q.type is QuestionType.TRUE_FALSE]

    assert 0.4 <= sum(answers) / len(answers) <= 0.6


def test_lint_finds_nothing_in_the_bundled_bank() -> None:
    assert [str(f) for f in lint_paths([BANK_DIR.parent])] == []


# --- surface strategies ------------------------------------------------------------------------------------

Guess = Callable[[Question], float]
"""A strategy's score on one question: 1 right, 0 wrong, 1/k when it cannot choose between k choices."""


def _pick(question: Question, score: Callable[[str], float]) -> float:
    values = [score(c) for c in question.choices]
    best = [i for i, v in enumerate(values) if v == max(values)]
    return (question.correct_index in best) / len(best)


def _avoid(question: Question, pick: Callable[[list[int]], int]) -> float:
    """Guess uniformly among the choices that are not the longest (``max``) or shortest (``min``); when
    every choice has the same length there is nothing to avoid."""
    lengths = [len(c) for c in question.choices]
    left = [i for i, n in enumerate(lengths) if n != pick(lengths)] or list(range(len(lengths)))
    return (question.correct_index in left) / len(left)


def _true_false(question: Question) -> bool:
    return question.type is QuestionType.TRUE_FALSE


def _choice(question: Question) -> bool:
    return question.type is QuestionType.MULTIPLE_CHOICE


STRATEGIES: dict[str, tuple[Callable[[Question], bool], Guess]] = {
    "always true": (_true_false, lambda q: float(q.correct_index == 0)),
    "always false": (_true_false, lambda q: float(q.correct_index == 1)),
    "absolute word means false": (
        _true_false,
        lambda q: float(q.correct_index == (1 if ABSOLUTE_WORDS & content_words(q.prompt) else 0)),
    ),
    "longest choice": (_choice, lambda q: _pick(q, len)),
    "shortest choice": (_choice, lambda q: _pick(q, lambda c: -len(c))),
    "never the longest": (_choice, lambda q: _avoid(q, max)),
    "never the shortest": (_choice, lambda q: _avoid(q, min)),
    "most words shared with the prompt": (
        _choice,
        lambda q: _pick(q, lambda c: len(content_words(c) & content_words(q.prompt))),
    ),
    **{f"always choice {p + 1}": (_choice, lambda q, p=p: float(q.correct_index == p)) for p in range(4)},
}


def strategy_edges(bank: Bank) -> dict[str, tuple[float, float, int]]:
    """Per strategy: (its accuracy, chance on the same questions, how many questions)."""
    table = {}
    for name, (applies, guess) in STRATEGIES.items():
        questions = [q for q in bank.questions if applies(q)]
        accuracy = sum(guess(q) for q in questions) / len(questions)
        chance = sum(1 / len(q.choices) for q in questions) / len(questions)
        table[name] = (accuracy, chance, len(questions))
    return table


def test_no_surface_strategy_beats_chance_by_more_than_five_points(bank: Bank) -> None:
    edges = {name: acc - chance for name, (acc, chance, _) in strategy_edges(bank).items()}

    assert {name: round(edge, 3) for name, edge in edges.items() if edge > MAX_EDGE} == {}


if __name__ == "__main__":
    served = load_bank([BANK_DIR])
    print(f"{len(served)} questions")
    for name, (accuracy, chance, n) in strategy_edges(served).items():
        print(f"{name:36} {accuracy:6.1%} vs chance {chance:6.1%} ({accuracy - chance:+.1%}) on {n}")
