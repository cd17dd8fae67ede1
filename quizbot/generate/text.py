"""Small English text helpers the question builders share.

The generator turns article sentences into prompts and choices, so it needs a handful of rules that a
person applies without thinking: where a sentence ends, how "select" becomes "selecting", which words carry
meaning. They are deliberately simple and tuned to plain expository prose (the shape of the seed articles);
anything they cannot handle makes a builder skip a sentence rather than produce a garbled question.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string, for readable word lists."""
    return frozenset(text.split())


STOPWORDS = word_set(
    """a about above after again all also an and any are as at be been being both but by can could do does
    doing during each either for from further had has have having he her here hers how however i if in into
    is it its itself just may might more most must no nor not of off often on once one only or other our out
    over own same she should so some such than that the their them then there these they this those through
    to too under until up upon very was we were what when where which while who whom why will with within
    without would you your well even many much like via just quite rather"""
)

GENERIC_WORDS = word_set("machine learning engineer engineers ml model models data system systems article")
"""Words every sentence of an ML-engineering article shares; they say nothing about which sentence it is."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘(])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "Ph.D.", "Dr.", "Inc.")


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) into single spaces."""
    return " ".join(text.replace("\u00a0", " ").split())


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences without breaking on "e.g." or "Ph.D." in the middle of one."""
    protected = normalise_space(text)
    for i, abbreviation in enumerate(_ABBREVIATIONS):
        protected = protected.replace(abbreviation, f"\x00{i}\x00")
    parts = _SENTENCE_END.split(protected)
    sentences = []
    for part in parts:
        for i, abbreviation in enumerate(_ABBREVIATIONS):
            part = part.replace(f"\x00{i}\x00", abbreviation)
        if part.strip():
            sentences.append(part.strip())
    return sentences


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9][A-Za-z0-9'’+.#-]*[A-Za-z0-9+#]|[A-Za-z0-9]", text)


def content_words(text: str, *, keep_generic: bool = False) -> set[str]:
    """The lower-cased meaningful words of ``text`` (no stopwords, crude plural folding)."""
    result = set()
    for word in words(text.lower()):
        word = word.replace("’", "'")
        if word in STOPWORDS or (not keep_generic and word in GENERIC_WORDS) or len(word) < 3:
            continue
        result.add(_stem(word))
    return result


def _stem(word: str) -> str:
    """Fold "automated", "automates", "automate" (and "automation") to one key; crude but symmetric."""
    if word.endswith(("sses", "shes", "ches", "xes", "uses")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 4:
        word = word[:-1]
    for suffix in ("ing", "ion", "ed", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def slugify(text: str, max_length: int = 40, *, drop: frozenset[str] = frozenset()) -> str:
    """A lower-case, dash-separated slug of the meaningful words, cut at a word boundary.

    Ids are built from slugs so that they follow the content, not the position in a list. ``drop`` removes
    words every id would share ("machine learning engineer") so the slug keeps the distinctive ones.
    """
    tokens = [
        w for w in re.findall(r"[a-z0-9]+", _ascii(text).lower()) if w not in STOPWORDS and w not in drop
    ]
    slug = ""
    for token in tokens:
        candidate = f"{slug}-{token}" if slug else token
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (tokens[0][:max_length] if tokens else "x")


def _ascii(text: str) -> str:
    text = text.replace("’", "").replace("'", "")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def id_slug(text: str, max_length: int = 40) -> str:
    """A slug for ids: like :func:`slugify` without the words every question of this bank shares.

    Falls back to the full slug when those shared words are all there is ("What is a Machine Learning
    Engineer?").
    """
    if any(
        w not in STOPWORDS and w not in GENERIC_WORDS for w in re.findall(r"[a-z0-9]+", _ascii(text).lower())
    ):
        return slugify(text, max_length, drop=GENERIC_WORDS)
    return slugify(text, max_length)


def short_hash(*parts: str, length: int = 6) -> str:
    """A stable hex digest of ``parts``; used to break ties and to seed choice order."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


def stable_rank(*parts: str) -> int:
    """A stable integer for ordering things "randomly" but identically on every run."""
    return int(short_hash(*parts, length=12), 16)


def indefinite_article(phrase: str) -> str:
    """'a' or 'an' for ``phrase`` (by its first letter, with the usual exceptions)."""
    first = phrase.strip().lower()
    if re.match(r"(uni|use|eu|one\b)", first):
        return "a"
    if re.match(r"(hour|honest|ml\b|mlops\b|nlp\b|sql\b)", first):
        return "an"
    return "an" if first[:1] in "aeiou" else "a"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the text starts with a name (``PyTorch``, ``Data Scientist``)."""
    first, *rest = text.split(" ", 2)
    if len(first) > 1 and (first.isupper() or any(c.isupper() for c in first[1:])):
        return text
    if rest and rest[0][:1].isupper() and first[:1].isupper():
        return text
    return text[:1].lower() + text[1:]


def strip_end(text: str) -> str:
    """Drop the closing punctuation of a sentence."""
    return text.rstrip().rstrip(".!?:;,").rstrip()


# --- verbs -------------------------------------------------------------------------------------------------


def gerund(verb: str) -> str:
    """The -ing form of a base, third-person or past-participle verb: select, deploys, evaluated."""
    word = verb.lower()
    prefix = ""
    if "-" in word:
        prefix, word = word.rsplit("-", 1)
        prefix += "-"
    word = base_form(word)
    if word.endswith("ie"):
        stem = word[:-2] + "y"
    elif word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
        stem = word[:-1]
    elif _double_final_consonant(word):
        stem = word + word[-1]
    else:
        stem = word
    return prefix + stem + "ing"


def base_form(word: str) -> str:
    """Undo a third-person -s or a past -ed (``deploys`` → ``deploy``, ``evaluated`` → ``evaluate``)."""
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ed") and len(word) > 4:
        stem = word[:-2]
        if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in "ls":
            return stem[:-1]
        if re.search(r"(at|iz|is|uc|ur|un|ov|ag|iv|us|ud|ot|yz|ut|ar|ib|ir|it)$", stem):
            return stem + "e"
        return stem
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "uses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def third_person(verb: str) -> str:
    """``focus`` → ``focuses``, ``have`` → ``has``, ``are`` → ``is``: "engineers do" → "who does"."""
    word = verb.lower()
    irregular = {"are": "is", "have": "has", "do": "does", "were": "was"}
    if word in irregular:
        return irregular[word]
    if word.endswith(("s", "sh", "ch", "x", "z")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _double_final_consonant(word: str) -> bool:
    vowel_groups = re.findall(r"[aeiou]+", word)
    return (
        len(vowel_groups) == 1
        and len(word) >= 3
        and word[-1] not in "aeiouwxy"
        and word[-2] in "aeiou"
        and word[-3] not in "aeiou"
    )


def and_list(items: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C": items as a sentence names them."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def is_plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def singular_phrase(phrase: str) -> str:
    """ "cloud services" → "cloud service", "industries" → "industry"; a singular phrase stays as it is."""
    *first, last = phrase.split()
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith(("sses", "shes", "ches", "xes")):
        last = last[:-2]
    elif is_plural(last):
        last = last[:-1]
    return " ".join([*first, last])
