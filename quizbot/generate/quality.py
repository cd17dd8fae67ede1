"""Checks every generated question must pass before it is written.

Two families: the bank format's own rules (so the loader never rejects a generated file), and the tells
that let a player guess without knowing: the right choice much longer or shorter than the others, or the
only one that repeats a word of the prompt, or "an" in the prompt pointing at the one choice with a vowel.
Builders use the tell checks to pick distractors; the pipeline drops whatever still fails and says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from quizbot.generate.model import MULTIPLE_CHOICE, SHORT_ANSWER, TRUE_FALSE, Draft
from quizbot.generate.text import content_words

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
MIN_CHOICES = 2
MAX_CHOICES = 5
LENGTH_RATIO = 1.5
"""The right choice may be at most this many times longer than the longest wrong one (and vice versa)."""
SHORT_CHOICE = 16
"""Choices shorter than this (tool names, job titles) differ in length for no reason a player can use."""


def length_gives_away(correct: str, distractors: Sequence[str]) -> bool:
    """True when the correct choice stands out by its length alone."""
    if not distractors:
        return False
    lengths = [len(d) for d in distractors]
    if max(len(correct), *lengths) < SHORT_CHOICE:
        return False
    return len(correct) > LENGTH_RATIO * max(lengths) or LENGTH_RATIO * len(correct) < min(lengths)


def wording_gives_away(prompt: str, correct: str, distractors: Sequence[str]) -> bool:
    """True when only the correct choice echoes a meaningful prompt word ("software" → Software Engineer)."""
    prompt_words = content_words(prompt)
    if not content_words(correct) & prompt_words:
        return False
    return not any(content_words(d) & prompt_words for d in distractors)


def article_gives_away(prompt: str, correct: str, distractors: Sequence[str]) -> bool:
    """True when the prompt ends in "a"/"an" and only some choices fit that article."""
    ending = prompt.rstrip(" _.?…").split()[-1:] or [""]
    if ending[0].lower() not in ("a", "an"):
        return False
    wants_vowel = ending[0].lower() == "an"
    return any((c[:1].lower() in "aeiou") != wants_vowel for c in (correct, *distractors))


def problems(draft: Draft) -> list[str]:
    """Everything wrong with one question, in words an article author understands; [] when it is fine."""
    found: list[str] = []
    if not ID_PATTERN.match(draft.id):
        found.append(f"id {draft.id!r} is not a valid question id")
    if not draft.prompt.strip():
        found.append("empty prompt")
    if not draft.explanation.strip():
        found.append("empty explanation")
    if draft.type == MULTIPLE_CHOICE:
        found.extend(_choice_problems(draft))
    elif draft.type == TRUE_FALSE:
        if not isinstance(draft.answer, bool):
            found.append("a true/false answer must be true or false")
    elif draft.type == SHORT_ANSWER:
        if not draft.answers or any(not a.strip() for a in draft.answers):
            found.append("a short answer needs at least one accepted answer")
    else:
        found.append(f"unknown question type {draft.type!r}")
    return found


def _choice_problems(draft: Draft) -> list[str]:
    found = []
    choices = list(draft.choices)
    if not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
        found.append(f"{len(choices)} choices; a question needs {MIN_CHOICES} to {MAX_CHOICES}")
    if len({c.casefold() for c in choices}) != len(choices):
        found.append("two choices are the same")
    if draft.answer not in choices:
        found.append("the answer is not one of the choices")
        return found
    correct = str(draft.answer)
    distractors = [c for c in choices if c != correct]
    if length_gives_away(correct, distractors):
        found.append("the correct choice stands out by its length")
    if wording_gives_away(draft.prompt, correct, distractors):
        found.append("only the correct choice repeats a word of the prompt")
    if article_gives_away(draft.prompt, correct, distractors):
        found.append('the "a"/"an" before the blank fits only some choices')
    return found


def duplicate_prompts(drafts: Sequence[Draft]) -> list[str]:
    """Prompts used by more than one question (compared without case and spacing)."""
    seen: dict[str, str] = {}
    duplicates = []
    for draft in drafts:
        key = " ".join(draft.prompt.casefold().split())
        if key in seen:
            duplicates.append(draft.id)
        else:
            seen[key] = draft.id
    return duplicates
