"""Choosing wrong answers that look like the right one.

A distractor is only useful if a player who does not know the answer cannot rule it out by its shape, so
candidates close in length to the correct choice win; ties are broken by a hash of the question id, which
keeps the choice identical on every run without a random generator.
"""

from __future__ import annotations

from collections.abc import Iterable

from quizbot.generate.quality import length_gives_away, wording_gives_away
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
        if candidate.casefold() != correct.casefold() and candidate.casefold() not in {
            u.casefold() for u in unique
        }:
            unique.append(candidate)
    ranked = sorted(unique, key=lambda c: (abs(len(c) - len(correct)) // 8, stable_rank(salt, c)))
    chosen = ranked[:count]
    while len(chosen) >= minimum:
        if not length_gives_away(correct, chosen) and not (
            prompt and wording_gives_away(prompt, correct, chosen)
        ):
            return chosen
        chosen = chosen[:-1]
    return None
