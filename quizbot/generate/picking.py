"""Choosing wrong answers that look like the right one.

A distractor is only useful if a player who does not know the answer cannot rule it out by its shape, so
candidates close in length to the correct choice win, and a set is only accepted when the item-writing
checks (:mod:`quizbot.checks`) find no tell in it. Ties are broken by a hash of the question id: the
choice is identical on every run without a random generator.
"""

from __future__ import annotations

from collections.abc import Iterable

from quizbot.checks import MULTIPLE_CHOICE, Item, item_warnings
from quizbot.generate.text import stable_rank


def pick_distractors(
    correct: str,
    candidates: Iterable[str],
    *,
    salt: str,
    count: int = 3,
    prompt: str = "",
    minimum: int = 2,
) -> list[str] | None:
    """Up to ``count`` candidates for ``correct``, or None when fewer than ``minimum`` fit without a tell."""
    unique: list[str] = []
    for candidate in candidates:
        folded = {u.casefold() for u in unique}
        if candidate.casefold() != correct.casefold() and candidate.casefold() not in folded:
            unique.append(candidate)
    ranked = sorted(unique, key=lambda c: (abs(len(c) - len(correct)) // 12, stable_rank(salt, c)))
    for size in range(min(count, len(ranked)), minimum - 1, -1):
        fitting = []
        for start in range(0, max(1, len(ranked) - size + 1)):
            chosen = ranked[start : start + size]
            item = Item(
                id=salt,
                type=MULTIPLE_CHOICE,
                prompt=prompt,
                explanation="-",
                choices=(correct, *chosen),
                answer=correct,
            )
            if not item_warnings(item):
                fitting.append(chosen)
        if fitting:
            # Across a file, the right answer must not usually be the longest (or shortest) choice.
            return next((c for c in fitting if not _extreme(correct, c)), fitting[0])
    return None


def _extreme(correct: str, wrong: list[str]) -> bool:
    lengths = [len(w) for w in wrong]
    return len(correct) > max(lengths) or len(correct) < min(lengths)
