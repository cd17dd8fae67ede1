"""Deterministic choice order, with the correct answer's position spread evenly over the bank.

Players learn patterns fast ("it's always B"), so positions are dealt round-robin: questions with the same
number of choices are ordered by a hash of their id and the correct answer goes to position 0, 1, 2, …
in turn. Wrong choices are ordered by a hash of id and text. No random generator, no clock: the same
questions always come out in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence

from quizbot.generate.model import MULTIPLE_CHOICE, Draft
from quizbot.generate.text import stable_rank


def shuffle_bank(drafts: Sequence[Draft]) -> list[Draft]:
    """The drafts in their original order, multiple-choice ones with their choices in final order."""
    groups: dict[int, list[Draft]] = {}
    for draft in drafts:
        if draft.type == MULTIPLE_CHOICE:
            groups.setdefault(len(draft.choices), []).append(draft)
    placed: dict[str, Draft] = {}
    for size, members in groups.items():
        for turn, draft in enumerate(sorted(members, key=lambda d: (stable_rank("position", d.id), d.id))):
            placed[draft.id] = draft.with_choices(_arrange(draft, turn % size))
    return [placed.get(draft.id, draft) if draft.type == MULTIPLE_CHOICE else draft for draft in drafts]


def _arrange(draft: Draft, position: int) -> tuple[str, ...]:
    correct = str(draft.answer)
    wrong = sorted((c for c in draft.choices if c != correct), key=lambda c: (stable_rank(draft.id, c), c))
    wrong.insert(position, correct)
    return tuple(wrong)
