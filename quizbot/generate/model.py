"""The generator's own question record, before shuffling and writing.

It mirrors the bank format (see ``questions/``) field for field, so the writer is a plain mapping and the
quality checks can run on exactly what will be written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from quizbot.generate.text import short_hash


@dataclass(frozen=True, slots=True)
class Draft:
    """One generated question.

    For multiple choice, ``choices[0]`` is the correct answer until :func:`shuffle.shuffle_bank` puts the
    choices in their final order; ``answer`` always holds the correct text (or a bool for true/false).
    """

    id: str
    type: str
    prompt: str
    explanation: str
    difficulty: str
    kind: str
    """Section kind: misconceptions, faqs or tools; decides the output file."""
    document: str
    section: str
    choices: tuple[str, ...] = ()
    answer: str | bool | None = None
    answers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    status: str = "draft"
    """Generated questions start as drafts; a review record (see :mod:`review`) may approve them."""

    def with_choices(self, choices: tuple[str, ...]) -> Draft:
        return replace(self, choices=choices)


MULTIPLE_CHOICE = "multiple_choice"
TRUE_FALSE = "true_false"
SHORT_ANSWER = "short_answer"

EASY = "easy"
MEDIUM = "medium"
HARD = "hard"


def multiple_choice(
    *,
    id: str,
    prompt: str,
    correct: str,
    distractors: list[str] | tuple[str, ...],
    explanation: str,
    difficulty: str,
    kind: str,
    document: str,
    section: str,
    tags: tuple[str, ...] = (),
) -> Draft:
    """A multiple-choice draft with the correct answer first (shuffled later)."""
    return Draft(
        id=id,
        type=MULTIPLE_CHOICE,
        prompt=prompt,
        choices=(correct, *distractors),
        answer=correct,
        explanation=explanation,
        difficulty=difficulty,
        kind=kind,
        document=document,
        section=section,
        tags=tags,
    )


def true_false(
    *,
    id: str,
    prompt: str,
    answer: bool,
    explanation: str,
    difficulty: str,
    kind: str,
    document: str,
    section: str,
    tags: tuple[str, ...] = (),
) -> Draft:
    return Draft(
        id=id,
        type=TRUE_FALSE,
        prompt=prompt,
        answer=answer,
        explanation=explanation,
        difficulty=difficulty,
        kind=kind,
        document=document,
        section=section,
        tags=tags,
    )


def short_answer(
    *,
    id: str,
    prompt: str,
    answers: tuple[str, ...],
    explanation: str,
    difficulty: str,
    kind: str,
    document: str,
    section: str,
    tags: tuple[str, ...] = (),
) -> Draft:
    return Draft(
        id=id,
        type=SHORT_ANSWER,
        prompt=prompt,
        answers=answers,
        explanation=explanation,
        difficulty=difficulty,
        kind=kind,
        document=document,
        section=section,
        tags=tags,
    )


MAX_ID_LENGTH = 80


def question_id(*parts: str) -> str:
    """Join slug parts into an id; ids come from content (claim, question, tool), never from positions.

    An id that would exceed the format's 80 characters is cut and given a hash of the full text, so that it
    stays both short and stable.
    """
    text = "-".join(part for part in parts if part)
    if len(text) > MAX_ID_LENGTH:
        text = f"{text[: MAX_ID_LENGTH - 7].rstrip('-')}-{short_hash(text)}"
    return text
