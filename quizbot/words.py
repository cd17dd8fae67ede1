"""Which typed words are real English words (and names), so that a real word is never taken for a typo.

"Baseball" is one edit-distance step from nothing a player meant when the answer is "Basketball": it is
another sport. Deciding that needs a list of words people actually write. The list shipped in
``quizbot/data/english_words.txt`` holds the English words and names whose frequency in the ``wordfreq``
corpus (Zipf scale) is at least 3.0 — about once per million words: "kingston" (3.7), "steven" (4.2) and
"asymmetric" (3.1) are in it; misspellings such as "tolkein" (1.5) or "seperate" (2.8) are not. Only
alphabetic words of 4 letters or more are kept, folded as answers are (lower case, no accents), because
shorter words never get a typo forgiven. ``.ci/english_words.py`` rebuilds it; the data is CC BY-SA 4.0
(see ``quizbot/data/README.md``).

The list is loaded on first use (about 35,000 words, a few MB) rather than depending on ``wordfreq`` at run
time, whose data for every language weighs 58 MB on disk and 40 MB in memory once loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

WORD_LIST = "english_words.txt"


@cache
def english_words() -> frozenset[str]:
    """The shipped word list (comment lines start with ``#``)."""
    text = resources.files("quizbot").joinpath("data", WORD_LIST).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


class Vocabulary:
    """The real words of a bank: the English words plus every word of the bank's answers and choices.

    A player who types another question's answer ("Kingstown" where the answer is "Kingston", "Tigger" for
    "Tiger") named something real, even when the English list does not know it. The bank's own words are
    collected on first use (or by :meth:`warm`), not while the bank is parsed, so that loading a bank costs
    what it did before; the engine warms them in a worker thread after each load.
    """

    __slots__ = ("_own", "_texts")

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self._texts = tuple(texts)
        self._own: frozenset[str] | None = None

    def _words(self) -> frozenset[str]:
        if self._own is None:
            from quizbot.matching import words_of  # matching imports this module for the English words

            self._own = frozenset(words_of(self._texts))
        return self._own

    def warm(self) -> None:
        """Read the word lists now (from a worker thread), so that no answer waits for them later."""
        english_words()
        self._words()

    def __contains__(self, word: object) -> bool:
        return word in english_words() or word in self._words()

    def __len__(self) -> int:
        return len(self._words())
