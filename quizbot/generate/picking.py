"""Choosing wrong answers that look like the right one.

A distractor is only useful if a player who does not know the answer cannot rule it out by its shape, so
candidates close in length to the correct choice win, and a set is only accepted when the item-writing
checks (:mod:`quizbot.checks`) find no tell in it. Ties are broken by a hash of the question id: the
choice is identical on every run without a random generator.

Across a bank the correct choice must be the longest about as often as any other choice, no more and no
less: a generator that always keeps the right answer in the middle teaches "never pick the longest (or
the shortest)" as surely as one that makes it the longest teaches "pick the longest". A
:class:`LengthBalance` kept for one output file says where the next question's right answer should sit by
length (longest one time in four, shortest one time in four, in between otherwise, for four choices), and
the candidates are tried in the order that puts it there. Without one, the place is drawn from the id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TypeVar

from quizbot.checks import MULTIPLE_CHOICE, Item, item_warnings
from quizbot.generate.text import stable_rank

LONGEST = "longest"
SHORTEST = "shortest"
BETWEEN = "between"

T = TypeVar("T")


def length_target(salt: str, count: int) -> str:
    """Where the correct choice should sit by length among ``count + 1`` choices, drawn from ``salt``: each
    position as likely as any other, so longest and shortest one time in ``count + 1`` each."""
    slot = stable_rank(salt, "length-rank") % (count + 1)
    return LONGEST if slot == 0 else SHORTEST if slot == 1 else BETWEEN


def length_place(correct: str, wrong: Iterable[str]) -> str:
    """Where ``correct`` sits by length among the choices (a tie for longest or shortest counts as such)."""
    lengths = [len(w) for w in wrong]
    if len(correct) >= max(lengths):
        return LONGEST
    if len(correct) <= min(lengths):
        return SHORTEST
    return BETWEEN


class LengthBalance:
    """Where the right answers of one file sat by length so far, and so where the next one should sit.

    The target is the place furthest below its fair share (1 in ``k`` longest, 1 in ``k`` shortest for
    ``k`` choices); ties go to the question id's draw, so the first questions do not all start "longest".
    """

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    def target(self, salt: str, count: int = 3) -> str:
        fair = {LONGEST: 1 / (count + 1), SHORTEST: 1 / (count + 1), BETWEEN: (count - 1) / (count + 1)}
        total = sum(self.seen.values()) + 1
        drawn = length_target(salt, count)
        return min(fair, key=lambda p: (round(self.seen[p] - fair[p] * total, 6), p != drawn))

    def record(self, correct: str, wrong: Sequence[str]) -> None:
        self.seen[length_place(correct, wrong)] += 1


def on_target(
    options: Sequence[tuple[T, str, list[str]]], *, salt: str, balance: LengthBalance | None = None
) -> tuple[T, str, list[str]]:
    """Of several ways to ask one question, each ``(payload, correct, distractors)``, the first whose correct
    choice sits where the balance (or :func:`length_target`) wants it by length; else the first one. The
    choice is recorded in ``balance``."""
    count = max(len(wrong) for _, _, wrong in options)
    target = balance.target(salt, count) if balance else length_target(salt, count)
    chosen = next((o for o in options if length_place(o[1], o[2]) == target), options[0])
    if balance:
        balance.record(chosen[1], chosen[2])
    return chosen


def pick_distractors(
    correct: str,
    candidates: Iterable[str],
    *,
    salt: str,
    count: int = 3,
    prompt: str = "",
    minimum: int = 2,
    target: str | None = None,
) -> list[str] | None:
    """Up to ``count`` candidates for ``correct``, or None when fewer than ``minimum`` fit without a tell.

    ``target`` is where the correct choice should sit by length (see :class:`LengthBalance`); by default it
    is drawn from ``salt``."""
    unique: list[str] = []
    for candidate in candidates:
        folded = {u.casefold() for u in unique}
        if candidate.casefold() != correct.casefold() and candidate.casefold() not in folded:
            unique.append(candidate)
    target = target or length_target(salt, count)
    for size in range(min(count, len(unique)), minimum - 1, -1):
        fitting = []
        for ranked in (_ranked(correct, unique, salt, target), _ranked(correct, unique, salt, BETWEEN)):
            for start in range(0, max(1, len(ranked) - size + 1)):
                chosen = ranked[start : start + size]
                if chosen not in fitting and fits(correct, chosen, salt, prompt):
                    fitting.append(chosen)
        if fitting:
            return next((c for c in fitting if length_place(correct, c) == target), fitting[0])
    return None


def _ranked(correct: str, unique: list[str], salt: str, target: str) -> list[str]:
    """Candidates closest in length first; for a longest (shortest) target, shorter (longer) ones first."""

    def key(c: str) -> tuple[bool, int, int]:
        side = len(c) >= len(correct) if target == LONGEST else len(c) <= len(correct)
        return (side if target != BETWEEN else False, abs(len(c) - len(correct)) // 12, stable_rank(salt, c))

    return sorted(unique, key=key)


def fits(correct: str, chosen: Sequence[str], salt: str, prompt: str) -> bool:
    """Whether the item-writing checks find no tell (length, an echoed prompt word, mixed shapes) in a
    multiple-choice question with ``correct`` and the wrong choices ``chosen``; ``salt`` is its id."""
    item = Item(
        id=salt,
        type=MULTIPLE_CHOICE,
        prompt=prompt,
        explanation="-",
        choices=(correct, *chosen),
        answer=correct,
    )
    return not item_warnings(item)
