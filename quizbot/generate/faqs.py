"""Questions from FAQ sections, answered by the FAQ's own text.

What an answer offers decides the question:

- a workflow ("It starts with …. Then, …. Finally, …") → one ordering question: the steps are listed in a
  scrambled order and the choices are orders; wrong orders swap neighbouring steps;
- roles the question contrasts ("How does X differ from Y?") → who does what, as a choice between the
  contrasted roles, or as a true/false statement with two roles swapped;
- a list of activities ("challenges such as ensuring …, dealing with …") → which of these is one; wrong
  choices are activities another FAQ lists as a different kind of thing (benefits offered as challenges);
- what some ask beyond the usual ("typically A or B … some employers also require C") → which one, the
  usual ones as wrong choices;
- where a path starts ("one can start by X", later steps after it) → what does it start with? The later
  steps of the same answer are the wrong choices: the same kind of thing, only not the start;
- otherwise nothing: a sentence copied from the answer as "true or false" is always true and usually a
  platitude, so "copied → true" would score without knowing anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz

from quizbot.generate.facts import (
    Activities,
    RoleStatement,
    activity_lists,
    beyond_the_usual,
    contrasted_roles,
    extract_steps,
    role_statements,
    where_it_starts,
)
from quizbot.generate.model import EASY, MEDIUM, Draft, multiple_choice, question_id, true_false
from quizbot.generate.picking import fits, on_target, pick_distractors
from quizbot.generate.sections import Article, DataTable, Faq
from quizbot.generate.tables import answering_tables, table_question
from quizbot.generate.text import (
    and_list,
    capitalise,
    content_words,
    id_slug,
    indefinite_article,
    lower_first,
    stable_rank,
)

KIND = "faqs"
TAGS = ("faq",)
LETTERS = "ABCDEFG"
SAME_QUESTION = 85
"""rapidfuzz ratio from which two articles' FAQ questions are the same question."""

_PEOPLE = re.compile(
    r"\b(?:an?|the)\s+((?:[a-z]+\s){0,3}?(?:engineer|scientist|analyst|developer|architect|manager|designer))s?\b"
)
"""Who a lower-case question is about: "Who is a machine learning engineer …?"."""


@dataclass(frozen=True, slots=True)
class _Entry:
    document: str
    faq: Faq

    @property
    def slug(self) -> str:
        return id_slug(self.faq.question, 40)

    def args(self) -> dict[str, object]:
        return {
            "kind": KIND,
            "document": self.document,
            "section": f"FAQ: {self.faq.question}",
            "tags": TAGS,
        }


def build_faq_questions(articles: Sequence[Article]) -> list[Draft]:
    """Questions for every FAQ of every article, in article order."""
    entries = _distinct(
        [
            _Entry(article.document, faq)
            for article in articles
            for faq in article.faqs
            if not any(g.sentence in faq.answer for g in article.tool_groups if len(g.tools) >= 3)
        ]
    )
    answered: dict[int, DataTable] = {}
    for article in articles:
        found = answering_tables(article.faqs, article.tables, [_people(f) for f in article.faqs])
        answered.update({id(article.faqs[i]): table for i, table in found.items()})
    lists = {id(e): activity_lists(e.faq) for e in entries}
    roles = _roles_to_contrast(entries)
    drafts: list[Draft] = []
    statements: list[tuple[_Entry, RoleStatement]] = []
    for entry in entries:
        made = _order_question(entry)
        own_roles = roles[id(entry)]
        found = role_statements(entry.faq, own_roles) if own_roles else []
        statements.extend((entry, s) for s in found)
        table = answered.get(id(entry.faq))
        by_table = table_question(entry.faq, table, slug=entry.slug, **entry.args()) if table else []
        made.extend(by_table or _activity_question(entry, lists, entries))
        made.extend(_beyond_question(entry))
        made.extend(_start_question(entry))
        # No plain "true or false: <sentence of the answer>" items: every one of them was true and most were
        # platitudes ("ML engineers are in demand across various industries"), so "copied → true" scored.
        drafts.extend(made)
    drafts.extend(_role_questions(_without_repeats(statements), roles))
    return drafts


def _roles_to_contrast(entries: Sequence[_Entry]) -> dict[int, list[str]]:
    """Per entry (by ``id``): the roles its FAQ contrasts, else those the other FAQs of the same text
    contrast. A FAQ that contrasts nothing itself ("What does X do?") may still say what one of those
    roles is responsible for."""
    own = {id(e): contrasted_roles(e.faq) for e in entries}
    by_document: dict[str, list[str]] = {}
    for entry in entries:
        by_document.setdefault(entry.document, []).extend(own[id(entry)])
    return {id(e): own[id(e)] or list(dict.fromkeys(by_document[e.document])) for e in entries}


def _distinct(entries: list[_Entry]) -> list[_Entry]:
    """One entry per question: a later article asking (nearly) the same question adds nothing to ask."""
    kept: list[_Entry] = []
    for entry in entries:
        if not any(
            k.document != entry.document
            and fuzz.ratio(entry.faq.question.casefold(), k.faq.question.casefold()) >= SAME_QUESTION
            for k in kept
        ):
            kept.append(entry)
    return kept


# --- workflow ----------------------------------------------------------------------------------------------


def _order_question(entry: _Entry) -> list[Draft]:
    steps = extract_steps(entry.faq)
    if not 3 <= len(steps) <= len(LETTERS):
        return []
    qid = question_id("faq", entry.slug, "order")
    shown = sorted(range(len(steps)), key=lambda i: (stable_rank(qid, steps[i]), i))
    if shown == list(range(len(steps))):
        shown = shown[1:] + shown[:1]
    letter = {step: LETTERS[pos] for pos, step in enumerate(shown)}
    listing = " ".join(f"({LETTERS[pos]}) {lower_first(steps[i])}." for pos, i in enumerate(shown))
    topic = _topic(entry.faq.question)
    prompt = f"Put the steps of {topic} in order: {listing} Which order is right?"
    correct = " → ".join(letter[i] for i in range(len(steps)))
    wrong = []
    for a, b in ((0, 1), (len(steps) - 2, len(steps) - 1), (1, 2), (2, 3)):
        order = list(range(len(steps)))
        order[a], order[b] = order[b], order[a]
        text = " → ".join(letter[i] for i in order)
        if text != correct and text not in wrong:
            wrong.append(text)
    explanation = "The steps run: " + "; ".join(f"{n}. {lower_first(s)}" for n, s in enumerate(steps, 1))
    return [
        multiple_choice(
            id=qid,
            prompt=prompt,
            correct=correct,
            distractors=wrong[:3],
            explanation=explanation + ".",
            difficulty=MEDIUM,
            **entry.args(),
        )
    ]


def _topic(question: str) -> str:
    match = re.match(r"^(?:What|Which)\s+(?:is|are)\s+(?:the\s+)?(.+?)\?$", question)
    if match:
        return "the " + lower_first(match.group(1)).replace("typical workflow of a", "typical workflow of a")
    return "this workflow"


# --- who does what -----------------------------------------------------------------------------------------


def _role_questions(
    statements: Sequence[tuple[_Entry, RoleStatement]], roles: dict[int, list[str]]
) -> list[Draft]:
    """Every role statement as true/false: true ones as written, false ones with the role swapped for
    another role the same text contrasts. True and false alternate among the role statements themselves:
    counting the FAQ's plain true statements too made every role statement false, so "a statement naming
    a role is false" scored without knowing anything. ``roles`` are those each entry's statements may be
    swapped between (see :func:`_roles_to_contrast`)."""
    drafts: list[Draft] = []
    trues = falses = 0
    for entry, statement in statements:
        contrasted = [r for r in roles[id(entry)] if r.casefold() != statement.role.casefold()]
        swap = min(contrasted, key=lambda r: stable_rank(statement.predicate, r)) if contrasted else ""
        qid = question_id("faq", "role", id_slug(f"{statement.role} {statement.predicate}", 60))
        if swap and falses <= trues:
            falses += 1
            drafts.append(
                true_false(
                    id=qid,
                    prompt=f"True or false: {_a(swap)} {_compared(statement.predicate, statement.role)}.",
                    answer=False,
                    explanation=(
                        f"False: it is {_a(statement.role)} who {statement.predicate}. "
                        f"{capitalise(_other_side(statements, swap))}"
                    ).strip(),
                    difficulty=MEDIUM,
                    **entry.args(),
                )
            )
        else:
            trues += 1
            drafts.append(
                true_false(
                    id=qid,
                    prompt=f"True or false: {_a(statement.role)} "
                    f"{_compared(statement.predicate, contrasted[0] if len(contrasted) == 1 else '')}.",
                    answer=True,
                    explanation=f"True. {_contrast(statements, statement)}".strip(),
                    difficulty=EASY,
                    **entry.args(),
                )
            )
    return drafts


_COMPARATIVE = re.compile(
    r"^(?P<has>has|is)\s+(?P<what>an?\s+(?:broader|wider|narrower|larger|smaller)\s+(?:role|remit|scope))"
    r"\s+(?:that|which)\s+(?P<rest>.+)$"
)


def _compared(predicate: str, other: str) -> str:
    """ "has a broader role that includes …" → "has a broader role than a machine learning engineer, one
    that includes …": broader than whom is what the statement asserts, so it must say it; left as it is
    when there is no single role to compare with."""
    match = _COMPARATIVE.match(predicate)
    if not match or not other:
        return predicate
    return f"{match['has']} {match['what']} than {_a(other)}, one that {match['rest']}"


REPEAT = 0.6
"""Share of a role statement's words (by their first five letters) another statement of the same role
repeats, from which it says the same thing: "is responsible for developing and deploying models" and
"focuses more on the development and deployment of models"."""


def _without_repeats(
    statements: Sequence[tuple[_Entry, RoleStatement]],
) -> list[tuple[_Entry, RoleStatement]]:
    """Each thing a role does asked once: the first FAQ to say it keeps it."""
    kept: list[tuple[_Entry, RoleStatement]] = []

    def stems(text: str) -> set[str]:
        return {w[:5] for w in content_words(text)}

    for entry, statement in statements:
        words = stems(statement.predicate)
        if not any(
            other.role.casefold() == statement.role.casefold()
            and len(words & stems(other.predicate)) >= REPEAT * min(len(words), len(stems(other.predicate)))
            for _, other in kept
        ):
            kept.append((entry, statement))
    return kept


def _other_side(
    statements: Sequence[tuple[_Entry, RoleStatement]], role: str, exclude: RoleStatement | None = None
) -> str:
    """What the text says the given role does instead, to teach the contrast."""
    for _, statement in statements:
        if statement.role.casefold() == role.casefold() and statement is not exclude:
            return f"{_a(statement.role)} {statement.predicate}."
    return ""


def _contrast(statements: Sequence[tuple[_Entry, RoleStatement]], statement: RoleStatement) -> str:
    """What another contrasted role does, to teach the difference."""
    for _, other in statements:
        if other.role != statement.role and other.sentence == statement.sentence:
            return f"By contrast, {_a(other.role)} {other.predicate}."
    entry = next((e for e, s in statements if s is statement), None)
    for other_entry, other in statements:
        if other_entry is entry and other.role != statement.role:
            return f"By contrast, {_a(other.role)} {other.predicate}."
    for other_entry, other in statements:
        if entry and other_entry.document == entry.document and other.role != statement.role:
            return f"By contrast, {_a(other.role)} {other.predicate}."
    return ""


def _a(role: str) -> str:
    lowered = role if role.isupper() else role[:1].upper() + role[1:].lower()
    return f"{indefinite_article(lowered)} {lowered.lower()}"


# --- lists of activities -----------------------------------------------------------------------------------


def _activity_question(
    entry: _Entry, lists: dict[int, list[Activities]], entries: Sequence[_Entry]
) -> list[Draft]:
    own = [item for a in lists[id(entry)] for item in a.items]
    if not own:
        return []
    own_words = content_words(entry.faq.question)
    pool = [
        item
        for other in entries
        if other is not entry
        for a in lists[id(other)]
        for item in a.items
        if not content_words(item) & content_words(" ".join(own))
    ]
    qid = question_id("faq", entry.slug, "which")
    prompt = f"{entry.faq.question} Which of these is one?"
    del own_words
    for correct in sorted(own, key=lambda item: stable_rank(qid, item)):
        distractors = pick_distractors(correct, pool, salt=qid, prompt=prompt, minimum=2)
        if distractors:
            sentence = _resolve(entry.faq, next(a.sentence for a in lists[id(entry)] if correct in a.items))
            return [
                multiple_choice(
                    id=qid,
                    prompt=prompt,
                    correct=correct,
                    distractors=distractors,
                    explanation=f"{sentence} The other choices answer a different question: "
                    + _other_question(distractors, lists, entries),
                    difficulty=MEDIUM,
                    **entry.args(),
                )
            ]
    return []


def _other_question(
    items: Sequence[str], lists: dict[int, list[Activities]], entries: Sequence[_Entry]
) -> str:
    asked = [
        f"“{other.faq.question}”"
        for other in entries
        if any(i in a.items for a in lists[id(other)] for i in items)
    ]
    return " and ".join(asked)


def _resolve(faq: Faq, sentence: str) -> str:
    """ "They can …" → "Machine learning engineers can …", with the people the question is about."""
    if not sentence.startswith("They "):
        return sentence
    match = re.search(
        r"\b(?:an?\s+)?((?:[A-Z][a-z]+\s){1,3}[A-Z][a-z]+?)s?\b", faq.question
    ) or _PEOPLE.search(faq.question)
    if not match:
        return sentence
    who = match.group(1)
    return f"{who[:1].upper()}{who[1:].lower()}s {sentence[5:]}"


# --- what some ask beyond the usual ------------------------------------------------------------------------


def _beyond_question(entry: _Entry) -> list[Draft]:
    """ "Usually A or B; some employers also require C for advanced roles" → what do some also require?
    The usual options are the wrong choices: the text sets them against the extra one."""
    beyond = beyond_the_usual(entry.faq)
    people = _people(entry.faq)
    if not beyond or not people:
        return []
    qid = question_id("faq", entry.slug, "beyond")
    return [
        multiple_choice(
            id=qid,
            prompt=f"Which {beyond.noun} do some {beyond.who} also require of {people} {beyond.purpose}?",
            correct=beyond.extra,
            distractors=list(beyond.usual),
            explanation=" ".join(beyond.sentences),
            difficulty=MEDIUM,
            **entry.args(),
        )
    ]


def _people(faq: Faq) -> str:
    """Who a question is about, plural: "a Machine Learning Engineer" → "Machine Learning Engineers"."""
    match = _PEOPLE.search(faq.question.lower())
    if not match:
        return ""
    start, end = match.span(1)
    return f"{faq.question[start:end]}s"


# --- where a path starts ----------------------------------------------------------------------------------


def _start_question(entry: _Entry) -> list[Draft]:
    """ "One can start by acquiring a foundation …; gaining experience …; building a portfolio …" → what does
    someone pursuing that path start with? The wrong choices are the later steps of the same answer: the
    same kind of thing (steps on the same path), each right in itself, only not where the path starts.

    Wrong choices taken from another FAQ's list (duties, challenges) were a different kind of thing, so
    the one career step among work tasks was found without knowing anything; no such question is made."""
    start = where_it_starts(entry.faq)
    if not start:
        return []
    qid = question_id("faq", entry.slug, "start")
    prompt = f"What does someone who wants to {start.goal} start with?"
    options: list[tuple[str, str, list[str]]] = []
    for form in (0, 1):
        for chosen in combinations(start.later, min(3, len(start.later))):
            wrong = list(dict.fromkeys(cuts[form] for cuts in chosen))
            if len(wrong) == len(chosen) and fits(start.first, wrong, qid, prompt):
                options.append((f"{form}", start.first, wrong))
    if not options:
        return []
    _, correct, wrong = on_target(options, salt=qid)
    that = f"That {start.head}" if start.head else "That"
    steps = and_list([lower_first(w) for w in wrong])
    return [
        multiple_choice(
            id=qid,
            prompt=prompt,
            correct=correct,
            distractors=wrong,
            explanation=f"{start.sentence} {that} comes first; the other choices are later steps that "
            f"build on it: {steps}.",
            difficulty=MEDIUM,
            **entry.args(),
        )
    ]
