"""How hard a generated question is, judged from the question itself rather than from its template.

A player's effort grows with what the question asks of them: typing an answer is recall, harder than
recognising it among choices; more choices and choices that read alike ("D → C → E → A → B" against
"D → C → E → B → A") leave fewer ways to eliminate; spotting the swapped term in a false statement is
harder than confirming a true one; a long prompt (a quoted point, a list of steps) asks more reading.
The score is deliberately simple; play statistics (how often players get a question right) are the
better judge once there are any.
"""

from __future__ import annotations

from statistics import mean

from rapidfuzz import fuzz

from quizbot.generate.model import EASY, HARD, MEDIUM, MULTIPLE_CHOICE, SHORT_ANSWER, Draft

MEDIUM_FROM = 1.2
HARD_FROM = 2.0


def effort(draft: Draft) -> float:
    score = min(len(draft.prompt.split()), 60) / 40
    if draft.type == SHORT_ANSWER:
        score += 2.0
    elif draft.type == MULTIPLE_CHOICE:
        score += 0.5 * (len(draft.choices) - 2) + 1.5 * _alike(str(draft.answer), draft.choices)
    elif draft.answer is False:
        score += 0.5
    return score


def _alike(correct: str, choices: tuple[str, ...]) -> float:
    """0-1: how much the wrong choices read like the right one, leaving out words every choice shares
    ("Machine learning engineers …")."""
    shared = set.intersection(*(set(c.lower().split()) for c in choices))
    strip = [" ".join(w for w in c.lower().split() if w not in shared) for c in choices]
    right = strip[choices.index(correct)]
    wrong = [s for s, c in zip(strip, choices, strict=True) if c != correct]
    # Choices made of the same words in another order ("C → D → B → A") are as alike as choices get.
    return (
        mean(100.0 if right == w else fuzz.token_set_ratio(right, w) for w in wrong) / 100 if wrong else 0.0
    )


def rate(draft: Draft) -> str:
    """``easy``, ``medium`` or ``hard`` for ``draft``."""
    score = effort(draft)
    return EASY if score < MEDIUM_FROM else MEDIUM if score < HARD_FROM else HARD
