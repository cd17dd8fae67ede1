"""Checking a typed answer against a question's accepted answers.

The one place where "is this answer right?" is decided for typed text. Peers get this wrong in both
directions: substring matching accepts "air" for "chair", token-set matching accepts "the" for "the beatles"
and lets a player list several guesses at once. So: normalise both sides, compare exactly, and allow a strict
whole-string fuzzy ratio only for longer, non-numeric answers, where a typo is far likelier than a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

FUZZY_MIN_LENGTH = 5
"""Answers shorter than this (normalised) must match exactly: one wrong letter in "Git" is another word."""

FUZZY_MIN_RATIO = 88.0
"""``fuzz.ratio`` threshold: one typo in a 9-letter word scores ~89, a different word of that length ~50."""

_LEADING_ARTICLE = re.compile(r"^(?:the|an|a) (?=\S)")
_NON_WORD = re.compile(r"[^\w]+|_+")
_HAS_DIGIT = re.compile(r"\d")


def normalise(text: str) -> str:
    """Fold an answer to a canonical form: case, accents, punctuation, spacing and a leading article.

    ``"  The Scikit-Learn! "`` and ``"scikit learn"`` both become ``"scikit learn"``.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = _NON_WORD.sub(" ", text).strip()
    text = " ".join(text.split())
    return _LEADING_ARTICLE.sub("", text)


def _fuzzy_allowed(accepted: str) -> bool:
    return len(accepted) >= FUZZY_MIN_LENGTH and not _HAS_DIGIT.search(accepted)


def matches(response: str, accepted: Iterable[str]) -> bool:
    """True when ``response`` is one of ``accepted`` after normalisation, or a close typo of a long one.

    Numbers never match fuzzily ("1990" is not "1991"); neither do short answers.
    """
    given = normalise(response)
    if not given:
        return False
    candidates = [normalise(a) for a in accepted]
    if given in candidates:
        return True
    if _HAS_DIGIT.search(given):
        return False
    return any(
        _fuzzy_allowed(c) and fuzz.ratio(given, c, processor=default_process) >= FUZZY_MIN_RATIO
        for c in candidates
    )
