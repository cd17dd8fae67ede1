"""Answer matching on real trivia written by other people, with the answers players really type.

The sample (tests/data/trivia) and the generated answers are described in :mod:`benchmarks.matching`, which
also prints the full table for docs/answer-matching.md. Here only quizbot's own rules are judged.
"""

from __future__ import annotations

import pytest

from benchmarks.matching import KIND_LABELS, TARGETS, Line, load_sample, measure


@pytest.fixture(scope="module")
def lines() -> dict[str, Line]:
    return {line.kind: line for line in measure(load_sample(), only_chosen=True)}


def test_the_sample_is_real_trivia_of_many_lists() -> None:
    questions = load_sample()
    assert len(questions) > 1000
    assert len({q.category for q in questions}) >= 10


@pytest.mark.parametrize("kind", list(KIND_LABELS))
def test_each_kind_of_player_answer_meets_its_target(lines: dict[str, Line], kind: str) -> None:
    line = lines[kind]
    assert line.count > 0, f"no {KIND_LABELS[kind]} were generated"
    target, _ = TARGETS[kind]
    assert line.meets_target, (
        f"{KIND_LABELS[kind]}: {line.share():.2%} counted as right, target {target}; "
        f"misjudged: {line.misjudged[:10]}"
    )


def test_typos_are_measured_on_thousands_of_answers_and_other_answers_on_every_pair(
    lines: dict[str, Line],
) -> None:
    assert lines["typo"].count >= 3000
    assert lines["other"].count >= 100_000
