"""Facts a quiz can ask about, read out of one FAQ answer: workflow steps, who-does-what, and lists.

Each extractor recognises one sentence pattern that expository articles use again and again ("It starts
with …. Then, …. Finally, …", "Data scientists focus on X, while …", "challenges such as A, B, and C") and
returns nothing when a sentence does not fit, so a question is only built from text that was understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizbot.generate.knowledge import ROLES, TOOLS, Role, Tool
from quizbot.generate.sections import Faq
from quizbot.generate.text import capitalise, gerund, strip_end, third_person, word_set

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
    for sentence in faq.sentences:
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


# --- who does what -----------------------------------------------------------------------------------------

_DISCOURSE = re.compile(
    r"^(?:On the other hand|However|In contrast|Meanwhile|Additionally|Also|Moreover|Furthermore)\s*,\s*",
    re.IGNORECASE,
)
_CLAUSE_SPLIT = re.compile(r",\s+while\s+|;\s+|,\s+whereas\s+")
_ANAPHORA_TAIL = re.compile(r",?\s+based on (?:that|this|these|those|the)\s+\w+$")
_PROFESSIONAL = re.compile(r"^(?:is|are)\s+(?:an?\s+)?professionals?\s+who\s+(.+)$")
_PREDICATE = re.compile(
    r"^(?P<verb>is|are|focus|focuses|has|have|specializes|specialize)\s+(?P<rest>.+)$", re.IGNORECASE
)
_ALLOWED_REST = {
    "is": re.compile(r"^responsible for\b"),
    "are": re.compile(r"^responsible for\b"),
    "focus": re.compile(r"^(?:more\s+)?on\b"),
    "focuses": re.compile(r"^(?:more\s+)?on\b"),
    "has": re.compile(r"^a broader role\b"),
    "have": re.compile(r"^a broader role\b"),
    "specializes": re.compile(r"^in\b"),
    "specialize": re.compile(r"^in\b"),
}
_VERB_SERIES = re.compile(r"^((?:[a-z]+,\s*)+(?:and|or)\s+[a-z]+)\s+\S")


@dataclass(frozen=True, slots=True)
class RoleStatement:
    """ "<role> <predicate>": what the article says one job does, e.g. focuses on building software."""

    role: Role
    predicate: str
    """In the third person singular: "focuses on analyzing data and developing insights"."""
    sentence: str


def extract_role_statements(faq: Faq) -> list[RoleStatement]:
    found: list[RoleStatement] = []
    for sentence in faq.sentences:
        for clause in _CLAUSE_SPLIT.split(strip_end(sentence)):
            clause = _DISCOURSE.sub("", clause.strip())
            clause = re.sub(r"^While\s+.+?,\s+", "", clause)
            for role in ROLES:
                match = role.pattern.match(clause)
                if not match:
                    continue
                predicate = _singular_predicate(clause[match.end() :], plural=match.group(1).endswith("s"))
                if predicate:
                    found.append(RoleStatement(role=role, predicate=predicate, sentence=sentence))
                break
    return found


def _singular_predicate(text: str, *, plural: bool) -> str:
    text = _ANAPHORA_TAIL.sub("", text.strip())
    professional = _PROFESSIONAL.match(text)
    if professional:
        text = professional.group(1)
        series = _VERB_SERIES.match(text)
        if series:
            verbs = re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", series.group(1))
            return _verb_series(text, verbs, plural)
        head, _, rest = text.partition(" ")
        if head.isalpha() and rest:
            return f"{third_person(head) if plural else head} {rest}"
        return ""
    match = _PREDICATE.match(text)
    verb = match.group("verb").lower() if match else ""
    if not match or not _ALLOWED_REST[verb].match(match.group("rest")):
        return ""
    if plural or verb in ("are", "have"):
        verb = third_person(verb) if verb not in ("is", "has", "focuses", "specializes") else verb
    return f"{verb} {match.group('rest')}"


def _verb_series(text: str, verbs: list[str], plural: bool) -> str:
    """ "design, build, and deploy systems" → "designs, builds, and deploys systems" for a plural subject."""
    if not plural:
        return text
    result = text
    for verb in verbs:
        result = re.sub(rf"\b{re.escape(verb)}\b", third_person(verb), result, count=1)
    return result


# --- lists ------------------------------------------------------------------------------------------------

_STRONG_TRIGGER = re.compile(r"^(?:including|such as|like|e\.g\.,?|especially)\s+", re.IGNORECASE)
_TRIGGER_WORDS = (
    "such as",
    "including",
    "include",
    "includes",
    "like",
    "on",
    "in",
    "of",
    "to",
    "by",
    "as",
    "can",
    "could",
    "should",
    "must",
    "will",
    "may",
)
_VERB_TRIGGERS = frozenset({"to", "can", "could", "should", "must", "will", "may"})
_LAST_ITEM_END = re.compile(
    r"\s+(?:is|are|was|were|can|could|will|may|might|should|must|provide|provides|play|plays|help|helps)\b.*$"
)
_VAGUE = re.compile(r"^(?:a related|related|other|many other|more|etc|so on|others)\b", re.IGNORECASE)
_NOUN_ING = word_set(
    "engineering learning processing computing training cleaning modeling modelling programming "
    "marketing manufacturing banking mining"
)


@dataclass(frozen=True, slots=True)
class Enumeration:
    """ "… such as A, B, and C …": a list inside a sentence, with the words around it."""

    lead: str
    items: tuple[str, ...]
    tail: str
    form: str
    """"activity" (gerunds, "ensuring data quality"), "noun" ("retail"), or "tool" (known tool names)."""
    open: bool
    """The article leaves the list open ("or a related field", "and many other applications")."""
    sentence: str
    tools: tuple[Tool, ...] = ()


def extract_enumerations(faq: Faq) -> list[Enumeration]:
    found = []
    for sentence in faq.sentences:
        enumeration = _enumeration(strip_end(sentence), sentence)
        if enumeration:
            found.append(enumeration)
    return found


def _enumeration(text: str, sentence: str) -> Enumeration | None:
    segments = text.split(", ")
    last_index = next(
        (i for i in range(len(segments) - 1, 0, -1) if re.match(r"(?:and|or)\s", segments[i])), None
    )
    if last_index is None:
        return None
    first_index = last_index - 1
    while first_index > 0 and not _starts_list(segments[first_index]) and _is_middle(segments[first_index]):
        first_index -= 1
    head = segments[first_index]
    strong = _STRONG_TRIGGER.match(head)
    if strong:
        lead_end, first_item = strong.group(0), head[strong.end() :]
        lead = ", ".join([*segments[:first_index], lead_end.strip()])
    else:
        lead_words, first_item = _split_at_trigger(head)
        lead = (
            ", ".join([*segments[:first_index], lead_words])
            if lead_words
            else ", ".join(segments[:first_index])
        )
    last = re.sub(r"^(?:and|or)\s+", "", segments[last_index])
    tail = ""
    end = _LAST_ITEM_END.search(last)
    if end:
        last, tail = last[: end.start()], last[end.start() :]
    items = [first_item, *segments[first_index + 1 : last_index], last]
    if last_index + 1 < len(segments):
        tail = (
            ", ".join([tail, *segments[last_index + 1 :]])
            if tail
            else ", " + ", ".join(segments[last_index + 1 :])
        )
    items = [item.strip() for item in items]
    if not lead.strip() or (items[0][:1].isupper() and not any(t.pattern.fullmatch(items[0]) for t in TOOLS)):
        return None  # the list starts the sentence or is a clause, not a list of things
    is_open = any(_VAGUE.match(item) for item in items)
    items = [item for item in items if item and not _VAGUE.match(item)]
    if len(items) < 3 or any(len(item.split()) > 10 for item in items):
        return None
    if any(len(item.split()) == 1 for item in items[:-1]) and len(items[-1].split()) >= 3:
        return None  # "designing, developing, and implementing systems": the items share one object
    lead, items = _hoist_shared_gerund(lead, items)
    tools = tuple(t for item in items for t in TOOLS if t.pattern.fullmatch(item))
    verb_list = lead.split()[-1:] and lead.split()[-1].lower() in _VERB_TRIGGERS
    if len(tools) == len(items):
        form = "tool"
    elif verb_list and all(item.split()[0].isalpha() for item in items):
        items = [f"{gerund(item.split()[0])} {' '.join(item.split()[1:])}".strip() for item in items]
        form = "activity"
    elif all(_is_gerund(item) for item in items):
        form = "activity"
    elif not any(_is_gerund(item) for item in items):
        form = "noun"
    else:
        return None
    return Enumeration(
        lead=lead.strip(),
        items=tuple(items),
        tail=tail.strip(" ,"),
        form=form,
        open=is_open,
        sentence=sentence,
        tools=tools,
    )


def _starts_list(segment: str) -> bool:
    return bool(_STRONG_TRIGGER.match(segment))


def _is_middle(segment: str) -> bool:
    """A segment that is only a list item: short, and not the start of the sentence (no capital + trigger)."""
    words = segment.split()
    if len(words) > 7:
        return False
    if segment[:1].isupper():
        return not any(w.lower() in _TRIGGER_WORDS for w in words)
    return True


def _split_at_trigger(segment: str) -> tuple[str, str]:
    words = segment.split()
    lowered = [w.lower() for w in words]
    for i in range(len(words) - 1, 0, -1):
        pair = " ".join(lowered[i - 1 : i + 1])
        if pair == "such as":
            return " ".join(words[: i + 1]), " ".join(words[i + 1 :])
        if lowered[i - 1] in _TRIGGER_WORDS and i < len(words):
            return " ".join(words[:i]), " ".join(words[i:])
    return "", segment


def _hoist_shared_gerund(lead: str, items: list[str]) -> tuple[str, list[str]]:
    """ "in developing A, B, and C": the verb belongs to every item, so move it into the lead."""
    first = items[0].split()
    if len(first) > 1 and _is_gerund(items[0]) and not any(_is_gerund(item) for item in items[1:]):
        return f"{lead} {first[0]}", [" ".join(first[1:]), *items[1:]]
    return lead, items


def _is_gerund(item: str) -> bool:
    first = item.split()[0].lower()
    return first.endswith("ing") and first not in _NOUN_ING and len(first) > 4


def subject_role(faq: Faq) -> Role | None:
    """The role a FAQ is about ("What does a Machine Learning Engineer do?"), for resolving "They"."""
    for role in ROLES:
        if role.name.lower() in faq.question.lower():
            return role
    return None


def plural_role(role: Role) -> str:
    return f"{role.name}s"
