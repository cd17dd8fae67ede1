"""Checking a typed answer against a question's accepted answers.

The one place where "is this answer right?" is decided for typed text. Peers get this wrong in both
directions: substring matching accepts "air" for "chair", token-set matching accepts "the" for "the beatles"
and lets a player list several guesses at once, and a loose ratio accepts "unsupervised" for "supervised".

The rules, in order (``docs/answer-matching.md`` explains them to players and question authors):

1. **Form never matters.** Case, accents, spacing, invisible characters, a leading article and punctuation
   around words are ignored. Punctuation *inside* a word may be typed or left out: "hitchhiker's" =
   "hitchhikers", "Spider-Man" = "Spiderman" = "Spider Man", "J.D." = "JD" = "J. D.", "1,500" = "1500",
   "&" = "and". Between two digits punctuation keeps its meaning: "7/8" is not "7.8".
2. **A near miss listed by the author is wrong**, however close it is (``reject``).
3. **A typo is forgiven** in one word of the answer: one edit (a wrong, missing, extra or swapped letter:
   Damerau/OSA distance) in a word of 5 to 9 letters, two in a longer word. Never in numbers, number words,
   Roman numerals, codes (letters mixed with digits, or a word the author wrote in CAPITALS), words under 5
   letters, or when the author set ``typos: false``.
4. **A real word is an answer, not a typo**: "Baseball" is not a typo of "Basketball", nor "Kingston" of
   "Kingstown", nor "Steven" of "Seven" (see :mod:`quizbot.words`). Adding or dropping a prefix or suffix of
   two or more letters ("unsupervised", "deconvolution") is another word too. A plural "s" is a typo.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Container, Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from quizbot.invisible import strip_invisible
from quizbot.words import english_words

FUZZY_MIN_LENGTH = 5
"""Words shorter than this must match exactly: one wrong letter in "Git" or "Mars" is a guess."""

LONG_WORD = 10
"""A word this long may carry two edits ("kubrenetse"); shorter words only one."""

_ARTICLE = re.compile(r"(?:the|an|a)\s+(?=\S)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
"""A comma between a digit and exactly three more digits groups thousands: "1,500,000"; "7,8" stays."""
_SYMBOLS = "+#"
"""Kept as part of a word: "C", "C++" and "C#" are three languages."""
_ROMAN = re.compile(r"m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")
_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fourty fifty sixty seventy eighty ninety"
)
_ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth fortieth "
    "fiftieth sixtieth seventieth eightieth ninetieth hundredth thousandth millionth"
)
_NUMBER_WORDS = frozenset(f"{_UNITS} {_ORDINALS} hundred thousand million billion trillion dozen".split())
"""Numbers written as words are numbers: "sixth" is not a typo of "sixty"."""


@dataclass(frozen=True, slots=True)
class Match:
    """Why an answer counts: which accepted answer it was taken as, and whether a typo was forgiven."""

    accepted: str
    """The accepted answer as the question's author wrote it."""
    typo: bool = False
    """True when the answer was accepted despite a typo: players are told "Accepted as <accepted>"."""


def _fold(text: str) -> str:
    """Case, width, accents and invisible characters folded; "&" spelled out; thousands ungrouped."""
    if text.isascii():  # most answers: no accents to fold, and only control characters can be invisible
        text = (text if text.isprintable() else strip_invisible(text)).lower()
    else:
        text = unicodedata.normalize("NFKC", strip_invisible(text)).casefold()
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        text = text.replace("\u2212", "-")  # U+2212 is a minus sign
    text = text.replace("&", " and ")
    return _THOUSANDS.sub("", text)


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch in _SYMBOLS


def _token_forms(token: str) -> tuple[str, str]:
    """One whitespace-separated token as (joined, spaced): punctuation inside it removed, or made a space.

    Punctuation around the token is dropped, except a minus sign before a digit ("-1") and the ``+``/``#``
    that are part of a word. Between two digits punctuation stays ("7/8", "3.14", "1-0").
    """
    if token.isalnum():
        return token, token
    start, end = 0, len(token)
    while start < end and not _word_char(token[start]):
        start += 1
    while end > start and not _word_char(token[end - 1]):
        end -= 1
    core = token[start:end]
    if not core:
        return "", ""
    sign = "-" if start and token[start - 1] == "-" and core[0].isdigit() else ""
    joined: list[str] = []
    spaced: list[str] = []
    for i, ch in enumerate(core):
        if _word_char(ch) or (core[i - 1].isdigit() and core[i + 1].isdigit()):  # a core ends in word chars
            joined.append(ch)
            spaced.append(ch)
        else:
            spaced.append(" ")
    return sign + "".join(joined), sign + "".join(spaced)


def _collapse_initials(words: list[str]) -> list[str]:
    """Runs of single letters become one word: "j d salinger" -> "jd salinger"."""
    out: list[str] = []
    run = ""
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            out.append(run)
            run = ""
        if word:
            out.append(word)
    return out


@lru_cache(maxsize=8192)
def spellings(text: str) -> frozenset[str]:
    """Every canonical form an answer can take; two answers are the same when their forms share one.

    ``"The Hitchhiker's Guide"`` gives ``hitchhikers guide``, ``hitchhiker s guide`` and the same with
    ``the``; ``"J.D. Salinger"`` gives ``jd salinger`` and ``j d salinger``; ``"7/8"`` gives only ``7/8``.
    """
    folded = _fold(text).strip()
    bodies = [folded]
    if (article := _ARTICLE.match(folded)) is not None:
        bodies.append(folded[article.end() :])
    forms: set[str] = set()
    for body in bodies:
        pairs = [_token_forms(token) for token in body.split()]
        for words in (
            " ".join(j for j, _ in pairs).split(),
            " ".join(s for _, s in pairs).split(),
        ):
            forms.add(" ".join(words))
            forms.add(" ".join(_collapse_initials(words)))
    forms.discard("")
    return frozenset(forms)


_LETTERS = re.compile(r"[^\W\d_]+")


def words_of(texts: Iterable[str]) -> set[str]:
    """The words of 4+ letters in ``texts``, with and without inner punctuation: "Spider-Man" gives spider
    and spiderman. Shorter words never meet a typo (:data:`FUZZY_MIN_LENGTH`). Reads all the texts at once:
    a bank of 10,000 questions takes a fraction of a second."""
    folded = "\n".join(map(_fold, texts))
    words = set(_LETTERS.findall(folded))
    for token in folded.split():
        if not token.isalpha() and len(parts := _LETTERS.findall(token)) > 1:
            words.add("".join(parts))
    return {word for word in words if len(word) >= FUZZY_MIN_LENGTH - 1}


def normalise(text: str) -> str:
    """One canonical form of an answer: folded, a leading article dropped, inner punctuation made a space.

    ``"  The Scikit-Learn! "`` and ``"scikit learn"`` both become ``"scikit learn"``; ``"C++"`` stays
    ``"c++"`` and ``"-1"`` stays ``"-1"``. The article is dropped only when a space follows it in what was
    typed, so "A* search" and "A/B testing" keep their "a". Use :func:`spellings` to compare answers.
    """
    folded = _fold(text).strip()
    if (article := _ARTICLE.match(folded)) is not None:
        folded = folded[article.end() :]
    return " ".join(" ".join(spaced for _, spaced in map(_token_forms, folded.split())).split())


def _is_number_like(word: str) -> bool:
    """Digits, a number word or a Roman numeral: one letter more or less is another number."""
    return (
        any(ch.isdigit() for ch in word)
        or word in _NUMBER_WORDS
        or (len(word) > 1 and _ROMAN.fullmatch(word) is not None)
    )


def _codes(accepted: str) -> frozenset[str]:
    """Words the author wrote in capitals ("FFVII", "NASA"): codes and acronyms, typed exactly."""
    words = strip_invisible(accepted).split()
    return frozenset(
        w
        for word in words
        if sum(ch.isupper() for ch in word) > 1 and not any(ch.islower() for ch in word)
        for w in spellings(word)
        if " " not in w
    )


def _plural_of(a: str, b: str) -> bool:
    return a == b + "s" or b == a + "s" or a == b + "es" or b == a + "es"


def _word_typo(typed: str, meant: str, codes: Collection[str], words: Container[str]) -> int | None:
    """The edits that turn ``typed`` into ``meant`` when that is a forgivable typo, else None."""
    if len(meant) < FUZZY_MIN_LENGTH or meant in codes or not meant.isalpha() or not typed.isalpha():
        return None
    if _is_number_like(meant) or _is_number_like(typed):
        return None
    limit = 2 if len(meant) >= LONG_WORD else 1
    distance = OSA.distance(typed, meant, score_cutoff=limit)
    if distance > limit:
        return None
    if _plural_of(typed, meant):
        return distance
    if abs(len(typed) - len(meant)) > 1 and (typed in meant or meant in typed):
        return None  # a prefix or suffix added or dropped: "unsupervised", "deconvolution"
    if typed in words:
        return None  # a real word of its own: "baseball", "kingston", "steven"
    return distance


def _typo(given: str, accepted: str, codes: Collection[str], words: Container[str]) -> int | None:
    """Edits between two spellings when they differ by a forgivable typo in a single word, else None."""
    given_words, accepted_words = given.split(), accepted.split()
    if len(given_words) != len(accepted_words):
        joined = given.replace(" ", "")
        if (
            joined == accepted.replace(" ", "")
            and len(joined) >= FUZZY_MIN_LENGTH
            and joined.isalpha()
            and not (len(given_words) == 1 and joined in words)  # "carpet" is not "car pet"
        ):
            return 1  # a missing or extra space: "newyork", "ice cream"
        return None
    differing = [(g, a) for g, a in zip(given_words, accepted_words, strict=True) if g != a]
    if len(differing) != 1:
        return None
    return _word_typo(*differing[0], codes, words)


def judge(
    response: str,
    accepted: Iterable[str],
    *,
    reject: Iterable[str] = (),
    typos: bool = True,
    words: Container[str] | None = None,
) -> Match | None:
    """Which accepted answer ``response`` counts as, or None when it is wrong.

    ``reject`` lists near misses that never count; ``typos=False`` asks for an exact answer (form aside).
    ``words`` are the real words never taken for a typo: the English word list unless given (a bank adds
    its own answers, see :attr:`quizbot.bank.Bank.words`).
    """
    given = spellings(response)
    if not given:
        return None
    accepted = tuple(accepted)
    rejected = tuple(reject)
    if any(given & spellings(r) for r in rejected):
        return None
    for answer in accepted:
        if given & spellings(answer):
            return Match(answer)
    if not typos:
        return None
    words = english_words() if words is None else words
    best: tuple[int, str] | None = None
    for answer in accepted:
        codes = _codes(answer)
        for form in spellings(answer):
            for g in given:
                edits = _typo(g, form, codes, words)
                if edits is not None and (best is None or edits < best[0]):
                    best = (edits, answer)
    if best is None:
        return None
    for near_miss in rejected:  # a listed near miss at least as close as the answer wins
        codes = _codes(near_miss)
        for form in spellings(near_miss):
            for g in given:
                edits = _typo(g, form, codes, words)
                if edits is not None and edits <= best[0]:
                    return None
    return Match(best[1], typo=True)


def matches(response: str, accepted: Iterable[str]) -> bool:
    """True when ``response`` is one of ``accepted`` (form aside), or a forgivable typo of one."""
    return judge(response, accepted) is not None
