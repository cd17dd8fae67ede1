"""Facts a quiz can ask about, read out of one FAQ answer: workflow steps, who does what, activities.

Each extractor recognises one sentence pattern that expository articles use again and again ("It starts
with …. Then, …. Finally, …", "Data scientists focus on X, while …", "challenges such as A, B, and C") and
returns nothing when a sentence does not fit, so a question is only built from text that was understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizbot.generate.sections import Faq
from quizbot.generate.text import capitalise, gerund, split_sentences, strip_end

# --- workflow steps ----------------------------------------------------------------------------------------

_FIRST = re.compile(r"\b(?:starts|begins|start|begin)\s+(?:with|by)\s+(.+)$", re.IGNORECASE)
_NEXT = re.compile(r"^(?:Then|Next|After that|Afterwards|Finally|Lastly|Subsequently)\s*,?\s+(.+)$")
_INNER_THEN = re.compile(r"\b(?:is|are)\s+then\b")
_SUBJECT = re.compile(r"^(?:the engineer|the team|they|he or she|it|we|you|one)\s+", re.IGNORECASE)
_LIGHT_VERB = re.compile(r"^(?:performs?|does|carries out|carry out|conducts?|handles?)\s+")
_PASSIVE = re.compile(
    r"^(?:The|the)\s+(\w+(?:\s\w+)?)\s+(?:is|are)\s+(?:then\s+)?([\w-]+ed)(?:\s+and\s+([\w-]+ed))?\b\s*(.*)$"
)
_TAIL = re.compile(
    r"\s+(?:to\s+[a-z]+\s+(?:the|a|an|its|their|them|it)\b|using|for|in order to|so that)\s*.*$"
)
"""A purpose or means clause ("to prepare the data for modeling", "using training data") that a choice can
drop; "to production" is a place, not a purpose, and stays."""
_SECOND_VERB = re.compile(r"\s+and\s+([a-z]+s)\s+(?=[a-z])")


def extract_steps(faq: Faq) -> list[str]:
    """The ordered steps of a workflow answer ("It starts with …. Then, …. Finally, …"), or [].

    Each step becomes a short capitalised phrase ("Evaluating and fine-tuning the model") so that steps
    can stand as choices next to each other.
    """
    steps: list[str] = []
    for sentence in answer_sentences(faq):
        text = strip_end(sentence)
        first = _FIRST.search(text)
        if not steps and first:
            steps.append(first.group(1))
            continue
        if not steps:
            continue
        following = _NEXT.match(text)
        if following:
            steps.append(following.group(1))
        elif _INNER_THEN.search(text):
            steps.append(text)
        else:
            break
    if len(steps) < 3:
        return []
    phrases = [_step_phrase(step) for step in steps]
    if any(not phrase for phrase in phrases) or len(set(phrases)) != len(phrases):
        return []
    return phrases


def _step_phrase(text: str) -> str:
    passive = _PASSIVE.match(text)
    if passive:
        noun, first, second, rest = passive.groups()
        verbs = gerund(first) + (f" and {gerund(second)}" if second else "")
        text = f"{verbs} the {noun} {rest}".strip()
    else:
        text = _SUBJECT.sub("", text)
        text = _LIGHT_VERB.sub("", text)
        head, _, rest = text.partition(" ")
        if head.isalpha() and head.islower() and not head.endswith("ing") and _is_verb_start(text):
            text = f"{gerund(head)} {rest}"
            text = re.sub(r"^(\w+ing) and (\w+) ", lambda m: f"{m.group(1)} and {gerund(m.group(2))} ", text)
            if head.endswith("s") and not head.endswith("ss"):
                # "deploys the model and monitors it": the second verb agrees with the first.
                text = _SECOND_VERB.sub(lambda m: f" and {gerund(m.group(1))} ", text, count=1)
    shorter = _TAIL.sub("", text)
    if len(shorter.split()) >= 3:
        text = shorter
    return capitalise(text.strip())


def _is_verb_start(text: str) -> bool:
    """Steps written as "select and train a model" or "deploys the model": a verb, then an object."""
    _, _, rest = text.partition(" ")
    return bool(rest) and (
        rest.startswith("and ") or re.match(r"(?:the|a|an|its|their|it)\b", rest) is not None
    )


def answer_sentences(faq: Faq) -> list[str]:
    """The answer's sentences, without lead-ins like "Here's an overview:" that announce a list."""
    return [s for s in split_sentences(faq.answer) if not s.endswith(":")]


# --- who does what -----------------------------------------------------------------------------------------

_ROLE_IN_QUESTION = re.compile(r"\b(?:an?|the)\s+((?:[A-Z][a-z]+\s){0,3}[A-Z][a-z]+)")
_CONTRAST_QUESTION = re.compile(r"\b(?:differ|difference|versus|vs\.?|compared?)\b", re.IGNORECASE)
_DISCOURSE = re.compile(
    r"^(?:On the other hand|However|In contrast|Meanwhile|Additionally|Also|Moreover|Furthermore)\s*,\s*",
    re.IGNORECASE,
)
_CLAUSE_SPLIT = re.compile(r",\s+while\s+|;\s+|,\s+whereas\s+")
_ANAPHORA_TAIL = re.compile(r",?\s+based on (?:that|this|these|those)\s+\w+$")
_PREDICATE = re.compile(
    r"^(?P<verb>is|are|focus|focuses|has|have)\s+"
    r"(?P<rest>(?:more\s+)?(?:on|responsible for|a broader role)\b.+)$"
)


@dataclass(frozen=True, slots=True)
class RoleStatement:
    """ "<role> <predicate>": what the text says one of the roles it contrasts does."""

    role: str
    """As the question names it: "Data Scientist"."""
    predicate: str
    """Third person singular: "focuses on analyzing data and developing insights"."""
    sentence: str


def contrasted_roles(faq: Faq) -> list[str]:
    """The roles a "How does X differ from Y or Z?" question sets against each other (two or more)."""
    if not _CONTRAST_QUESTION.search(faq.question):
        return []
    answer = faq.answer.casefold()
    roles = []
    for match in _ROLE_IN_QUESTION.finditer(faq.question):
        words = match.group(1).split()
        while words and " ".join(words).casefold() not in answer:
            words.pop()  # "a Machine Learning Engineer Differ from": the title-cased verb is not the role
        if len(words) >= 2 or (words and words[0].casefold() in answer):
            roles.append(" ".join(words))
    roles = list(dict.fromkeys(roles))
    return roles if len(roles) >= 2 else []


def role_statements(faq: Faq, roles: list[str]) -> list[RoleStatement]:
    found: list[RoleStatement] = []
    for sentence in answer_sentences(faq):
        for clause in _CLAUSE_SPLIT.split(strip_end(sentence)):
            clause = _DISCOURSE.sub("", clause.strip())
            for role in roles:
                match = re.match(rf"^(?:an?\s+|the\s+)?{re.escape(role)}(s?)\s+", clause, re.IGNORECASE)
                if not match:
                    continue
                predicate = _singular_predicate(clause[match.end() :], plural=bool(match.group(1)))
                if predicate:
                    found.append(RoleStatement(role=role, predicate=predicate, sentence=sentence))
                break
    return found


def _singular_predicate(text: str, *, plural: bool) -> str:
    text = _ANAPHORA_TAIL.sub("", text.strip())
    match = _PREDICATE.match(text)
    if not match:
        return ""
    verb = match.group("verb").lower()
    if plural or verb in ("are", "have"):
        verb = {"are": "is", "have": "has", "focus": "focuses"}.get(verb, verb)
    return f"{verb} {match.group('rest')}"


# --- lists of activities -----------------------------------------------------------------------------------

_ACTIVITY_LIST = re.compile(r"\b(?:such as|including)\s+(?P<items>.+)$")
_VERB_LIST = re.compile(r"\b(?:can|could|to)\s+(?P<items>[a-z]+\s.+)$")


@dataclass(frozen=True, slots=True)
class Activities:
    """ "challenges such as ensuring data quality, dealing with …": things done or faced, as gerunds."""

    items: tuple[str, ...]
    sentence: str


def activity_lists(faq: Faq) -> list[Activities]:
    found = []
    for sentence in answer_sentences(faq):
        text = strip_end(sentence)
        for pattern in (_ACTIVITY_LIST, _VERB_LIST):
            match = pattern.search(text)
            if not match:
                continue
            items = _split_items(match.group("items"))
            if pattern is _VERB_LIST:
                items = [f"{gerund(i.split()[0])} {' '.join(i.split()[1:])}" for i in items]
            if len(items) >= 3 and all(_is_activity(i) for i in items):
                found.append(Activities(tuple(capitalise(i) for i in items), sentence))
                break
    return found


def _split_items(text: str) -> list[str]:
    parts = re.split(r",\s+(?:and\s+|or\s+)?", text)
    if len(parts) < 3 or not re.match(r"(?:and|or)\s", text.split(", ")[-1]):
        return []
    return [p.strip() for p in parts if p.strip()]


def _is_activity(item: str) -> bool:
    words = item.split()
    return 2 <= len(words) <= 9 and words[0].endswith("ing") and words[0].islower()


# --- a usual requirement and what some ask beyond it ------------------------------------------------------

_USUAL = re.compile(
    r"\b(?:typically|usually|generally|normally|often)\s+(?:includes?|involves?|requires?|means|is|has|holds?)\s+"
    r"(?:an?\s+)?(?P<items>[\w’'.-]+(?:\s*,\s*[\w’'.-]+)*,?\s+(?:or|and)\s+[\w’'.-]+)\s+(?P<noun>[a-z]+?)s?\b"
)
_BEYOND = re.compile(
    r"^Some\s+(?P<who>[a-z]+)\s+(?:may\s+|might\s+|can\s+|will\s+)?(?:also\s+)?"
    r"(?:require|expect|ask for|prefer)\s+(?P<extra>(?:an?\s+)?\S+)\s+(?P<purpose>for\s+.+)$"
)


@dataclass(frozen=True, slots=True)
class Beyond:
    """ "typically a bachelor’s or master’s degree … Some employers may also require a Ph.D. for advanced
    roles": what some ask (``extra``) beyond the usual options (``usual``), and for what."""

    extra: str
    usual: tuple[str, ...]
    noun: str
    """What the usual options are: "degree"."""
    who: str
    purpose: str
    sentences: tuple[str, str]


def beyond_the_usual(faq: Faq) -> Beyond | None:
    """The first "usually A or B … some also require C for D" contrast of an answer, or None."""
    sentences = answer_sentences(faq)
    for i, sentence in enumerate(sentences):
        usual = _USUAL.search(sentence)
        if not usual:
            continue
        for later in sentences[i + 1 : i + 3]:
            beyond = _BEYOND.match(strip_end(later))
            if not beyond:
                continue
            noun = usual.group("noun")
            names = [
                n for n in re.split(r"\s*,\s*(?:or\s+|and\s+)?|\s+(?:or|and)\s+", usual.group("items")) if n
            ]
            extra = re.sub(r"^an?\s+", "", beyond.group("extra"))
            if len(names) < 2 or extra.casefold() in {n.casefold() for n in names}:
                continue
            return Beyond(
                extra=capitalise(extra),
                usual=tuple(capitalise(n) for n in names),
                noun=noun,
                who=beyond.group("who"),
                purpose=beyond.group("purpose"),
                sentences=(sentence, later),
            )
    return None


# --- what helps reach a goal -------------------------------------------------------------------------------

_HELPS = re.compile(
    r"^(?P<what>[A-Z][a-z]+ing\s.+?)\s+(?:can|may|will|could)\s+(?:also\s+)?help\s+(?:in\s+|with\s+|to\s+)?"
    r"(?P<goal>[a-z]+ing\s.+|[a-z]+\s.+)$"
)


@dataclass(frozen=True, slots=True)
class Helps:
    """ "Building a strong portfolio … can also help in securing job opportunities": a means and its goal."""

    means: str
    goal: str
    sentence: str


def what_helps(faq: Faq) -> list[Helps]:
    """Every "<doing something> can help (in) <goal>" sentence of an answer; a means joined with "and" to
    another doing-phrase is split, and the first part kept, so a choice names one thing; a participle
    clause after it ("a portfolio showcasing …") is left to the explanation."""
    found = []
    for sentence in answer_sentences(faq):
        match = _HELPS.match(strip_end(sentence))
        if not match:
            continue
        means = re.split(r"\s+and\s+(?:\w+ly\s+)?(?=[a-z]+ing\b)", match.group("what"))[0]
        core = re.sub(
            r"\s+[a-z]+ing\s.*$", "", means
        )  # "a portfolio showcasing …": the choice names the thing
        means = core if len(core.split()) >= 3 else means
        if 2 <= len(means.split()) <= 10:
            found.append(Helps(means=means, goal=match.group("goal"), sentence=sentence))
    return found
