"""The answer-matching rules of quizbot 0.1.0, kept unchanged as the baseline of ``benchmarks.matching``.

Not used by the bot. They forgave one typo only while ``fuzz.ratio`` of the whole answers stayed >= 88,
folded inner punctuation into a space and knew no real words: measuring them in the same run shows what
the current rules in :mod:`quizbot.matching` changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA
from rapidfuzz.utils import default_process

FUZZY_MIN_LENGTH = 5
"""Words shorter than this must match exactly: one wrong letter in "Git" or "Keras" is a guess."""

FUZZY_MIN_RATIO = 88.0
"""``fuzz.ratio`` of the whole answers: one typo in a 9-letter word scores ~89, another word ~50."""

LONG_WORD = 10
"""A word this long may carry two edits ("tensorflwo" has two); shorter words only one."""

_LEADING_ARTICLE = re.compile(r"^(?:the|an|a)\s+(?=\S)")
_FOLD = re.compile(r"[^\w+#-]+|_+")
"""Everything but letters, digits, ``+``, ``#`` and ``-`` becomes a space. ``+`` and ``#`` change meaning
("C", "C++" and "C#" are different languages), so they survive; ``-`` is handled word by word."""
_HAS_DIGIT = re.compile(r"\d")


def normalise(text: str) -> str:
    """Fold an answer to a canonical form: case, accents, punctuation, spacing and a leading article.

    ``"  The Scikit-Learn! "`` and ``"scikit learn"`` both become ``"scikit learn"``; ``"C++"`` stays
    ``"c++"`` and ``"-1"`` stays ``"-1"``. The article is dropped only when a space follows it in what was
    typed, so "A* search" and "A/B testing" keep their "a".
    """
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    text = _LEADING_ARTICLE.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text)
    text = _FOLD.sub(" ", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))
    words: list[str] = []
    for token in text.split():
        sign = "-" if token[0] == "-" and token[1:2].isdigit() else ""  # a minus sign, not a hyphen
        parts = (token[1:] if sign else token).replace("-", " ").split()
        if parts:
            words.extend([sign + parts[0], *parts[1:]])
    return " ".join(words)


def _one_typo_apart(given: str, accepted: str) -> bool:
    """True when the answers differ by a small typo inside a single long word, nothing else."""
    given_words, accepted_words = given.split(), accepted.split()
    if len(given_words) != len(accepted_words):
        return False
    differing = [(g, a) for g, a in zip(given_words, accepted_words, strict=True) if g != a]
    if len(differing) != 1:
        return False
    g, a = differing[0]
    if len(a) < FUZZY_MIN_LENGTH:
        return False
    if g in a or a in g:
        # "supervised" inside "unsupervised", "symmetric" inside "asymmetric": another word, not a typo;
        # only a last letter dropped or doubled ("tensorflo", "kerass") counts as one
        return g == a[:-1] or a == g[:-1]
    return OSA.distance(g, a) <= (2 if len(a) >= LONG_WORD else 1)


def matches(response: str, accepted: Iterable[str]) -> bool:
    """True when ``response`` is one of ``accepted`` after normalisation, or a small typo of a long one.

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
        len(c) >= FUZZY_MIN_LENGTH
        and not _HAS_DIGIT.search(c)
        and fuzz.ratio(given, c, processor=default_process) >= FUZZY_MIN_RATIO
        and _one_typo_apart(given, c)
        for c in candidates
    )
