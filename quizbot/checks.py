"""Item-writing checks: the tells that let a player answer without knowing, and items that teach nothing.

One implementation for two users: ``quizbot lint`` runs them on any bank, and ``quizbot generate`` runs the
same functions as quality gates before it writes a question. Each check returns plain-language warnings
that say what to change. Checks look at one question, at pairs of questions, or at a whole file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

MULTIPLE_CHOICE = "multiple_choice"
TRUE_FALSE = "true_false"
SHORT_ANSWER = "short_answer"

ABSOLUTE_WORDS = frozenset(
    [
        "always",
        "never",
        "only",
        "all",
        "every",
        "everything",
        "everyone",
        "nothing",
        "none",
        "nobody",
        "solely",
        "entirely",
        "completely",
        "totally",
        "must",
        "cannot",
        "impossible",
        "guaranteed",
    ]
)
"""Words that make a statement easy to call false without knowing the subject."""
NEGATIONS = frozenset(
    ["not", "no", "never", "don't", "doesn't", "isn't", "aren't", "cannot", "can't", "won't", "without"]
)
ARTICLE_REFERENCE = re.compile(
    r"\b(?:the|this) (?:article|text|passage|author|document|guide|post)\b|\baccording to\b", re.IGNORECASE
)
LENGTH_RATIO = 1.5
"""The right choice may be at most this many times longer than the longest wrong one (and vice versa)."""
SHORT_CHOICE = 16
"""Choices shorter than this (tool names, job titles) differ in length for no reason a player can use."""
NEAR_DUPLICATE = 90
"""rapidfuzz ratio (0-100) from which two prompts read as the same question."""
TRUE_SHARE = (0.4, 0.6)
MIN_TRUE_FALSE_FOR_SHARE = 5
MIN_CHOICE_QUESTIONS_FOR_LENGTH = 4

_STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "both",
        "but",
        "by",
        "can",
        "could",
        "do",
        "does",
        "doing",
        "each",
        "either",
        "for",
        "from",
        "had",
        "has",
        "have",
        "having",
        "how",
        "however",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "may",
        "might",
        "more",
        "most",
        "must",
        "no",
        "nor",
        "not",
        "of",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "of",
        "these",
        "true",
        "false",
    ]
)


@dataclass(frozen=True, slots=True)
class Item:
    """What the checks need to know about one question, from a bank file or from the generator."""

    id: str
    type: str
    prompt: str
    explanation: str = ""
    choices: tuple[str, ...] = ()
    answer: str | bool | None = None
    """The correct choice's text, or True/False."""
    answers: tuple[str, ...] = ()
    line: int = 0

    @property
    def correct(self) -> str:
        return str(self.answer) if self.type == MULTIPLE_CHOICE else (self.answers[:1] or ("",))[0]

    @property
    def wrong(self) -> list[str]:
        return [c for c in self.choices if c != self.answer]


@dataclass(frozen=True, slots=True)
class Warning_:
    line: int
    message: str
    ids: tuple[str, ...] = field(default=())
    """The questions involved; a generator drops the one it added last."""


# --- words -------------------------------------------------------------------------------------------------


def content_words(text: str) -> set[str]:
    """Lower-cased meaningful words with a crude plural/verb fold ("models" = "model")."""
    result = set()
    for word in re.findall(r"[a-z0-9][a-z0-9+#.'’-]*[a-z0-9+#]|[a-z0-9]", text.lower()):
        if word in _STOPWORDS or len(word) < 3:
            continue
        for suffix in ("ies", "es", "s", "ing", "ed"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        result.add(word)
    return result


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("’", "'"))


# --- one question ------------------------------------------------------------------------------------------


def length_gives_away(correct: str, wrong: Sequence[str]) -> bool:
    """True when the correct choice stands out by its length alone."""
    if not wrong:
        return False
    lengths = [len(w) for w in wrong]
    if max(len(correct), *lengths) < SHORT_CHOICE:
        return False
    return len(correct) > LENGTH_RATIO * max(lengths) or LENGTH_RATIO * len(correct) < min(lengths)


def echoes(words: set[str], prompt_words: set[str]) -> bool:
    """Some word of ``words`` repeats a prompt word, or starts the same way ("math" and "mathematics")."""
    return any(
        a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))
        for a in words
        for b in prompt_words
    )


def echoing_choice(prompt: str, choices: Sequence[str]) -> str | None:
    """The one choice that repeats a meaningful prompt word no other choice repeats, if there is one."""
    prompt_words = content_words(prompt)
    words = [content_words(c) for c in choices]
    shared = set.intersection(*words) if words else set()
    echoing = [c for c, w in zip(choices, words, strict=True) if echoes(w - shared, prompt_words)]
    return echoing[0] if len(echoing) == 1 and len(choices) > 1 else None


def choice_shape(choice: str) -> str:
    """What kind of text a choice visibly is: a sentence, a name, or a phrase."""
    if choice.rstrip().endswith((".", "!", "?")) and len(choice.split()) > 3:
        return "a sentence"
    words = choice.split()
    if len(words) <= 4 and all(
        w[:1].isupper() or w[:1].isdigit() or _mixed_case(w) or w in _NAME_PARTICLES for w in words
    ):
        return "a name"
    return "a phrase"


_NAME_PARTICLES = frozenset({"van", "von", "de", "der", "da", "di", "la", "le"})
"""Lower-case words inside people's names: "Guido van Rossum"."""


def _mixed_case(word: str) -> bool:
    return any(c.isupper() for c in word) or bool(re.match(r"^[a-z]+[-.][a-z]", word))


def item_warnings(item: Item) -> list[str]:
    """Everything one question does wrong on its own."""
    found = []
    if not item.explanation.strip():
        found.append("no explanation: say in a sentence or two why the answer is right")
    for text in (item.prompt, item.explanation, *item.choices):
        if ARTICLE_REFERENCE.search(text):
            found.append(
                f"refers to “{ARTICLE_REFERENCE.search(text).group(0)}”, which players never see: "  # type: ignore[union-attr]
                "state the fact itself"
            )
            break
    if item.type == TRUE_FALSE:
        absolute = sorted(ABSOLUTE_WORDS & set(_words(item.prompt)))
        if absolute:
            found.append(
                f"absolute word{'s' if len(absolute) > 1 else ''} ({', '.join(absolute)}) in a true/false "
                "statement: players guess “false” from the word alone"
            )
    if item.type == MULTIPLE_CHOICE and item.answer in item.choices:
        if length_gives_away(item.correct, item.wrong):
            found.append("the correct choice stands out by its length")
        echo = echoing_choice(item.prompt, item.choices)
        if echo is not None:
            which = "the correct choice" if echo == item.answer else f"choice “{echo}”"
            found.append(f"only {which} repeats a word of the prompt")
        shapes = {c: choice_shape(c) for c in item.choices}
        if len(set(shapes.values())) > 1:
            odd = min(shapes, key=lambda c: sum(s == shapes[c] for s in shapes.values()))
            found.append(f"choices of different kinds: “{odd}” is {shapes[odd]}, unlike the others")
    return found


# --- pairs and files ---------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(_words(text))


def _without_negation(text: str) -> tuple[str, int]:
    words = _words(text)
    kept = [w for w in words if w not in NEGATIONS and not w.endswith("n't")]
    return " ".join(kept), len(words) - len(kept)


def pair_warnings(items: Sequence[Item]) -> list[Warning_]:
    """Near-duplicate prompts, negation pairs, and prompts that contain another question's answer."""
    found: list[Warning_] = []
    for j, later in enumerate(items):
        for earlier in items[:j]:
            plain_a, neg_a = _without_negation(earlier.prompt)
            plain_b, neg_b = _without_negation(later.prompt)
            negated = neg_a != neg_b and fuzz.ratio(plain_a, plain_b) >= NEAR_DUPLICATE
            if negated and TRUE_FALSE == earlier.type == later.type:
                found.append(
                    Warning_(
                        later.line,
                        f"negates question '{earlier.id}' (line {earlier.line}): one answers the other",
                        (earlier.id, later.id),
                    )
                )
            elif not negated and fuzz.ratio(_norm(earlier.prompt), _norm(later.prompt)) >= NEAR_DUPLICATE:
                found.append(
                    Warning_(
                        later.line,
                        f"prompt nearly the same as question '{earlier.id}' (line {earlier.line})",
                        (earlier.id, later.id),
                    )
                )
        for other in items:
            if other is later or later.type == TRUE_FALSE:
                continue
            for answer in (later.correct,) if later.type == MULTIPLE_CHOICE else later.answers:
                if _leaks(answer, other, later):
                    found.append(
                        Warning_(
                            other.line,
                            f"prompt contains “{answer}”, the answer to question '{later.id}' "
                            f"(line {later.line})",
                            (other.id, later.id),
                        )
                    )
                    break
    return found


def _contains(text: str, phrase: str) -> bool:
    key = _norm(phrase)
    return len(key) >= 1 and f" {key} " in f" {_norm(text)} "


def _leaks(answer: str, other: Item, asked: Item) -> bool:
    """``other``'s prompt names ``asked``'s answer and is about the same thing: it shares another word with
    ``asked``'s prompt, or ``asked``'s prompt names ``other``'s answer in turn."""
    if len(_norm(answer)) < 1 or not _contains(other.prompt, answer):
        return False
    if other.type == MULTIPLE_CHOICE and any(_norm(c) == _norm(answer) for c in other.choices):
        return False
    if other.type in (MULTIPLE_CHOICE, SHORT_ANSWER) and any(
        _contains(asked.prompt, a)
        for a in ((other.correct,) if other.type == MULTIPLE_CHOICE else other.answers)
    ):
        return True
    shared = content_words(other.prompt) & content_words(asked.prompt)
    return bool(shared - content_words(answer))


def file_warnings(items: Sequence[Item]) -> list[Warning_]:
    """Patterns across one file: the true/false share, and the correct choice's length rank."""
    found: list[Warning_] = []
    first = items[0].line if items else 1
    statements = [i for i in items if i.type == TRUE_FALSE]
    if len(statements) >= MIN_TRUE_FALSE_FOR_SHARE:
        share = sum(1 for i in statements if i.answer is True) / len(statements)
        if not TRUE_SHARE[0] <= share <= TRUE_SHARE[1]:
            found.append(
                Warning_(
                    first,
                    f"{share:.0%} of the {len(statements)} true/false answers are true; keep it between "
                    f"{TRUE_SHARE[0]:.0%} and {TRUE_SHARE[1]:.0%} so that neither is a safe guess",
                )
            )
    choice_items = [i for i in items if i.type == MULTIPLE_CHOICE and i.answer in i.choices]
    if len(choice_items) >= MIN_CHOICE_QUESTIONS_FOR_LENGTH:
        for name, pick in (("longest", max), ("shortest", min)):
            hits = sum(1 for i in choice_items if _strictly(pick, i))
            if hits > len(choice_items) / 2:
                found.append(
                    Warning_(
                        first,
                        f"the correct choice is the {name} in {hits} of {len(choice_items)} questions: "
                        f"players learn to pick the {name}",
                    )
                )
    return found


def _strictly(pick: object, item: Item) -> bool:
    lengths = [len(c) for c in item.choices]
    target = pick(lengths)  # type: ignore[operator]
    return len(item.correct) == target and lengths.count(target) == 1


def all_warnings(items: Sequence[Item]) -> list[Warning_]:
    """Every warning for one file's questions, in line order."""
    found = [Warning_(i.line, message, (i.id,)) for i in items for message in item_warnings(i)]
    found.extend(pair_warnings(items))
    found.extend(file_warnings(items))
    return sorted(found, key=lambda w: w.line)
