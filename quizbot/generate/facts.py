"""Facts a quiz can ask about, read out of one FAQ answer: workflow steps, who does what, activities.

Each extractor recognises one sentence pattern that expository articles use again and again ("It starts
with …. Then, …. Finally, …", "Data scientists focus on X, while …", "challenges such as A, B, and C") and
returns nothing when a sentence does not fit, so a question is only built from text that was understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizbot.generate.sections import Faq
from quizbot.generate.text import capitalise, gerund, lower_first, split_sentences, strip_end

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


# --- where a path starts, and the steps after it ---------------------------------------------------------

_START = re.compile(
    r"^(?:To\s+(?P<goal>[a-z][^,]+),\s+)?(?i:one|you|someone|they|newcomers|beginners|candidates)\s+"
    r"(?:can|could|should|may|might|would)\s+(?:first\s+)?(?:start|begin)\s+(?:by|with)\s+(?P<first>.+)$"
)
_GOAL_QUESTION = re.compile(
    r"^How\s+(?:can|could|should|do|does)\s+(?:someone|one|you|I|a person|people)\s+(?P<goal>[a-z].+?)\?$"
)
_STEP_SENTENCE = re.compile(
    r"^(?P<what>[A-Z][a-z]+ing\s.+?)\s+(?:can|could|may|might|will|would|is|are|helps?|also)\b"
)
"""A later step as the subject of its sentence: "Gaining practical experience … is valuable"."""
_AND_DOING = re.compile(r",?\s+and\s+(?:[a-z]+ly\s+)?(?=[a-z]+ing\b)")
_OR_DOING = re.compile(r",?\s+or\s+(?:[a-z]+ly\s+)?[a-z]+ing\b")
_GETTING = re.compile(
    r"^(?:[a-z]+ly\s+)?(?:acquiring|gaining|obtaining|getting|earning|developing|building|establishing|"
    r"creating|having)\s+(?=\S)"
)
"""Verbs of getting something: the choice names the thing got ("a strong foundation in …")."""
_SHOWING = re.compile(r"\s+(?:showcasing|featuring|demonstrating|highlighting|showing|presenting)\s+")
_THROUGH = re.compile(r"^.+?\s+(?:through|via)\s+(?P<means>.+)$")
_HEAD = re.compile(r"^(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?P<head>[a-z]+)\s+(?:in|of|on|with|for)\b")


@dataclass(frozen=True, slots=True)
class Start:
    """ "To pursue a career as …, one can start by acquiring a strong foundation …", then the steps the same
    answer names after it: where the path starts (``first``), and what comes later (``later``)."""

    goal: str
    """What the path leads to, as a verb phrase: "pursue a career as a Machine Learning Engineer"."""
    first: str
    later: tuple[tuple[str, str], ...]
    """Each later step twice, cut to its core and fuller: ("Internships or personal projects",
    "Practical experience through internships or personal projects")."""
    sentence: str

    @property
    def head(self) -> str:
        """What the first step names: "foundation" for "A strong foundation in …"; "" for an activity."""
        match = _HEAD.match(self.first.lower())
        return "" if not match or match.group("head").endswith("ing") else match.group("head")


def where_it_starts(faq: Faq) -> Start | None:
    """The first "one can start by X" of an answer with at least two later steps of the same answer, or None.

    Later steps are the doing-phrases that open the following sentences; two joined by "and" are two steps.
    A step given as alternatives ("completing a course, or obtaining a degree") is left out: no short
    phrase names it, and either alternative alone would misquote it."""
    sentences = answer_sentences(faq)
    for i, sentence in enumerate(sentences):
        start = _START.match(strip_end(sentence))
        if not start:
            continue
        goal = start.group("goal") or _question_goal(faq.question)
        first = _cut(start.group("first"))[0]
        if not goal or not first:
            return None
        later: list[tuple[str, str]] = []
        for following in sentences[i + 1 :]:
            step = _STEP_SENTENCE.match(following)
            if not step:
                continue
            what = step.group("what")
            if _OR_DOING.search(what):
                continue
            for part in _AND_DOING.split(what):
                cuts = _cut(part)
                if cuts[0] and cuts[0].casefold() not in {c.casefold() for c, _ in later}:
                    later.append(cuts)
        if len(later) < 2:
            return None
        return Start(goal=goal, first=first, later=tuple(later), sentence=sentence)
    return None


def _question_goal(question: str) -> str:
    match = _GOAL_QUESTION.match(question)
    return match.group("goal") if match else ""


def _cut(phrase: str) -> tuple[str, str]:
    """A step as a choice: (its core, a fuller form); ("", "") when it is too long or too short to stand
    as one. "acquiring a strong foundation in …" → "A strong foundation in …"; "a portfolio showcasing
    projects" → "A portfolio of projects"; "experience through internships" → "Internships" (fuller:
    "Experience through internships")."""
    text = _GETTING.sub("", lower_first(phrase.strip()))
    text = re.sub(r"^[a-z]+ly\s+", "", text)
    shown = _SHOWING.split(text, maxsplit=1)
    if len(shown) == 2:  # "a portfolio showcasing projects" → "a portfolio of projects", unless "of" is taken
        text = shown[0] if " of " in f" {shown[0]} " else f"{shown[0]} of {shown[1]}"
    through = _THROUGH.match(text) if not text.split()[0].endswith("ing") else None
    core = through.group("means") if through and len(through.group("means").split()) >= 2 else text
    if not all(2 <= len(t.split()) <= 10 for t in (core, text)):
        return ("", "")
    return (capitalise(core), capitalise(text))
