"""Quality gates: the last stage before writing, and the same checks ``quizbot lint`` runs on a bank.

A question that breaks the bank format, or that an item-writing check flags (a tell, a reference to "the
article", a near-duplicate, a pair that answers each other), is dropped with the reason, so the generator
never writes what lint would warn about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from quizbot.checks import Item, item_warnings, pair_warnings
from quizbot.generate.model import MULTIPLE_CHOICE, SHORT_ANSWER, TRUE_FALSE, Draft, question_id
from quizbot.generate.text import short_hash

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
MIN_CHOICES = 2
MAX_CHOICES = 5


def as_item(draft: Draft, line: int = 0) -> Item:
    return Item(
        id=draft.id,
        type=draft.type,
        prompt=draft.prompt,
        explanation=draft.explanation,
        choices=draft.choices,
        answer=draft.answer,
        answers=draft.answers,
        line=line,
    )


def format_problems(draft: Draft) -> list[str]:
    """What the bank loader would refuse, in words an article author understands; [] when it is fine."""
    found: list[str] = []
    if not ID_PATTERN.match(draft.id):
        found.append(f"id {draft.id!r} is not a valid question id")
    if not draft.prompt.strip():
        found.append("empty prompt")
    if draft.type == MULTIPLE_CHOICE:
        if not MIN_CHOICES <= len(draft.choices) <= MAX_CHOICES:
            found.append(f"{len(draft.choices)} choices; a question needs {MIN_CHOICES} to {MAX_CHOICES}")
        if len({c.casefold() for c in draft.choices}) != len(draft.choices):
            found.append("two choices are the same")
        if draft.answer not in draft.choices:
            found.append("the answer is not one of the choices")
    elif draft.type == TRUE_FALSE and not isinstance(draft.answer, bool):
        found.append("a true/false answer must be true or false")
    elif draft.type == SHORT_ANSWER and (not draft.answers or any(not a.strip() for a in draft.answers)):
        found.append("a short answer needs at least one accepted answer")
    return found


def gate(drafts: Sequence[Draft]) -> tuple[list[Draft], list[tuple[str, str]]]:
    """The drafts that pass every check, and (id, reason) for each one dropped; later ones of a pair go."""
    kept: list[Draft] = []
    dropped: list[tuple[str, str]] = []
    ids: set[str] = set()
    for draft in drafts:
        if draft.id in ids:
            # Two questions derived the same id; the content decides the suffix, so it is stable too.
            draft = replace(draft, id=question_id(draft.id, short_hash(draft.document, draft.prompt)))
        found = format_problems(draft) + item_warnings(as_item(draft))
        if draft.id in ids:
            found.append("duplicate id")
        if not found:
            items = [as_item(d, n) for n, d in enumerate([*kept, draft])]
            found = [w.message for w in pair_warnings(items) if draft.id in w.ids]
        if found:
            dropped.append((draft.id, "; ".join(found)))
            continue
        ids.add(draft.id)
        kept.append(draft)
    return kept, dropped
