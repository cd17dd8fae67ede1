"""Questions from FAQ sections: every FAQ yields at least one question answered by its own text.

What a FAQ answer offers decides the question:

- a workflow ("It starts with …. Then, …") → which step comes first, next, last; wrong choices are the
  workflow's other steps;
- who does what ("Data scientists focus on …") → which role, or true/false with the roles swapped;
- a list of activities ("challenges such as ensuring …, dealing with …") → which of these the article gives
  as an answer; wrong choices are activities the article lists for a different FAQ (a benefit offered as a
  challenge), never a different kind of thing;
- a list of tools → which of these tools; wrong choices are tools of other categories;
- otherwise a true statement taken from the answer.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from quizbot.generate.distractors import pick_distractors
from quizbot.generate.faq_facts import (
    Enumeration,
    RoleStatement,
    extract_enumerations,
    extract_role_statements,
    extract_steps,
    plural_role,
    subject_role,
)
from quizbot.generate.knowledge import ROLES, TOOLS_BY_KEY, Role, Tool
from quizbot.generate.model import (
    EASY,
    HARD,
    MEDIUM,
    Draft,
    multiple_choice,
    question_id,
    true_false,
)
from quizbot.generate.quality import wording_gives_away
from quizbot.generate.sections import Article, Faq
from quizbot.generate.text import (
    content_words,
    id_slug,
    indefinite_article,
    lower_first,
    stable_rank,
    strip_end,
)

KIND = "faqs"
TAGS = ("faq",)

_SWAP_ORDER = ("software-engineer", "data-scientist", "ml-engineer")
"""Which role to put in a false statement: the one least likely to be defensible."""
_UNRESOLVED = re.compile(r"\b(?:this|that|these|those|they|them|their|it|its)\b", re.IGNORECASE)
_LEADING_PRONOUN = re.compile(r"^(?:They|These professionals|These engineers)\s+")
_LEADING_DISCOURSE = re.compile(r"^(?:Additionally|Also|Moreover|Furthermore|However|In addition)\s*,\s*")


@dataclass(frozen=True, slots=True)
class _Entry:
    document: str
    faq: Faq
    enumerations: tuple[Enumeration, ...]

    @property
    def slug(self) -> str:
        return id_slug(self.faq.question, 36)

    @property
    def words(self) -> set[str]:
        return content_words(f"{self.faq.question} {self.faq.answer}")


def build_faq_questions(articles: Sequence[Article], mentioned_tools: Sequence[Tool]) -> list[Draft]:
    """Questions for every FAQ of every article, in article order."""
    entries = [
        _Entry(article.document, faq, tuple(extract_enumerations(faq)))
        for article in articles
        for faq in article.faqs
    ]
    seen_roles: set[str] = set()
    drafts: list[Draft] = []
    for entry in entries:
        made = [
            *_step_questions(entry),
            *_role_questions(entry, seen_roles),
            *_activity_question(entry, entries),
            *_tool_question(entry, mentioned_tools),
        ]
        if not made:
            made = _statement_question(entry)
        drafts.extend(made)
    return drafts


def _draft_args(entry: _Entry) -> dict[str, object]:
    return {"kind": KIND, "document": entry.document, "section": f"FAQ: {entry.faq.question}", "tags": TAGS}


# --- workflow ----------------------------------------------------------------------------------------------


def _step_questions(entry: _Entry) -> list[Draft]:
    steps = extract_steps(entry.faq)
    if not steps:
        return []
    topic = _topic(entry.faq.question) or "the workflow the article describes"
    order = "; ".join(f"{i}. {lower_first(step)}" for i, step in enumerate(steps, start=1))
    explanation = f"The article describes the workflow in this order: {order}."
    asks: list[tuple[str, str, str, str]] = [
        ("first-step", f"According to the article, what is the first step in {topic}?", steps[0], EASY),
    ]
    for before, after in itertools.pairwise(steps[:-1]):
        asks.append(
            (
                f"after-{id_slug(before, 28)}",
                f"In {topic}, which step comes right after “{lower_first(before)}”?",
                after,
                HARD,
            )
        )
    asks.append(
        ("last-step", f"According to the article, what is the final step in {topic}?", steps[-1], MEDIUM)
    )
    drafts = []
    for variant, prompt, correct, difficulty in asks:
        qid = question_id("faq", entry.slug, variant)
        others = [s for s in steps if s != correct and s.lower() not in prompt.lower()]
        distractors = pick_distractors(correct, others, salt=qid, prompt=prompt)
        if distractors:
            drafts.append(
                multiple_choice(
                    id=qid,
                    prompt=prompt,
                    correct=correct,
                    distractors=distractors,
                    explanation=explanation,
                    difficulty=difficulty,
                    **_draft_args(entry),
                )
            )
    return drafts


def _topic(question: str) -> str:
    match = re.match(r"^(?:What|Which)\s+(?:is|are)\s+(.+?)\?$", question)
    return match.group(1) if match else ""


# --- who does what -----------------------------------------------------------------------------------------


def _role_questions(entry: _Entry, seen_roles: set[str]) -> list[Draft]:
    drafts = []
    for statement in extract_role_statements(entry.faq):
        qid = question_id("faq", id_slug(entry.faq.question, 24), "who", id_slug(statement.predicate, 36))
        first_time = statement.role.key not in seen_roles
        seen_roles.add(statement.role.key)
        if first_time:
            drafts.append(_who_question(entry, statement, qid))
        else:
            drafts.append(_swapped_role_statement(entry, statement, qid))
    return drafts


def _who_question(entry: _Entry, statement: RoleStatement, qid: str) -> Draft:
    prompt = f"According to the article, who {statement.predicate}?"
    correct = statement.role.name
    distractors = [role.name for role in ROLES if role is not statement.role]
    explanation = f"The article says: “{statement.sentence}”"
    if not wording_gives_away(prompt, correct, distractors):
        return multiple_choice(
            id=qid,
            prompt=prompt,
            correct=correct,
            distractors=distractors,
            explanation=explanation,
            difficulty=EASY,
            **_draft_args(entry),
        )
    name = statement.role.name
    return true_false(
        id=qid,
        prompt=f"True or false: according to the article, {_a(name)} {statement.predicate}.",
        answer=True,
        explanation=f"True. {explanation}",
        difficulty=EASY,
        **_draft_args(entry),
    )


def _swapped_role_statement(entry: _Entry, statement: RoleStatement, qid: str) -> Draft:
    swap = _swap_role(entry.faq, statement.role)
    return true_false(
        id=qid,
        prompt=(
            f"True or false: according to the article, {indefinite_article(swap.name)} {swap.name} "
            f"{statement.predicate}."
        ),
        answer=False,
        explanation=(
            f"False. The article says this of the {statement.role.name}, not the {swap.name}: "
            f"“{statement.sentence}”"
        ),
        difficulty=MEDIUM,
        **_draft_args(entry),
    )


def _swap_role(faq: Faq, role: Role) -> Role:
    """The role for a false statement: one the FAQ itself contrasts, else a stable pick of the others."""
    text = f"{faq.question} {faq.answer}".lower()
    by_key = {r.key: r for r in ROLES}
    others = [by_key[key] for key in _SWAP_ORDER if key != role.key]
    mentioned = [r for r in others if r.name.lower() in text]
    if mentioned:
        return mentioned[0]
    return min(others, key=lambda r: stable_rank(faq.question, r.key))


# --- lists of activities and tools -------------------------------------------------------------------------


def _activity_question(entry: _Entry, entries: Sequence[_Entry]) -> list[Draft]:
    items = [item for e in entry.enumerations if e.form == "activity" and not e.open for item in e.items]
    if not items:
        return []
    own_words = entry.words
    pool = [
        item
        for other in entries
        if other.faq is not entry.faq
        for enumeration in other.enumerations
        if enumeration.form == "activity"
        for item in enumeration.items
        if not content_words(item) & own_words
    ]
    qid = question_id("faq", entry.slug, "mentions")
    prompt = f"Which of these does the article mention in answer to “{entry.faq.question}”"
    for correct in sorted(items, key=lambda item: stable_rank(qid, item)):
        distractors = pick_distractors(_choice(correct), [_choice(p) for p in pool], salt=qid, prompt=prompt)
        if distractors:
            sentence = next(e.sentence for e in entry.enumerations if correct in e.items)
            return [
                multiple_choice(
                    id=qid,
                    prompt=prompt,
                    correct=_choice(correct),
                    distractors=distractors,
                    explanation=f"The article says: “{sentence}” The other choices answer other questions.",
                    difficulty=MEDIUM,
                    **_draft_args(entry),
                )
            ]
    return []


def _choice(item: str) -> str:
    return item[:1].upper() + item[1:]


def _tool_question(entry: _Entry, mentioned_tools: Sequence[Tool]) -> list[Draft]:
    listed = [tool for e in entry.enumerations if e.form == "tool" for tool in e.tools]
    if len(listed) < 2:
        return []
    pool = [
        tool.name
        for tool in mentioned_tools
        if tool not in listed and not any(tool.could_be(c) for t in listed for c in (t.category, *t.also))
    ]
    qid = question_id("faq", entry.slug, "tools")
    prompt = f"Which of these tools does the article name in answer to “{entry.faq.question}”"
    correct = min(listed, key=lambda tool: stable_rank(qid, tool.key))
    distractors = pick_distractors(correct.name, pool, salt=qid, prompt=prompt)
    if not distractors:
        return []
    sentence = next(e.sentence for e in entry.enumerations if correct in e.tools)
    others = ", ".join(f"{name} ({_category_of(name)})" for name in distractors)
    return [
        multiple_choice(
            id=qid,
            prompt=prompt,
            correct=correct.name,
            distractors=distractors,
            explanation=f"The article says: “{sentence}” The others are different kinds of tool: {others}.",
            difficulty=EASY,
            **_draft_args(entry),
        )
    ]


def _category_of(name: str) -> str:
    tool = next(t for t in TOOLS_BY_KEY.values() if t.name == name)
    return f"{indefinite_article(tool.category.label)} {tool.category.label}"


# --- a plain statement -------------------------------------------------------------------------------------


def _statement_question(entry: _Entry) -> list[Draft]:
    """A true statement from the answer, for a FAQ that offers nothing more specific to ask."""
    role = subject_role(entry.faq)
    sentences = entry.faq.sentences
    candidates = []
    for index, sentence in enumerate(sentences):
        text = _LEADING_DISCOURSE.sub("", strip_end(sentence))
        if role:
            text = _LEADING_PRONOUN.sub(f"{plural_role(role)} ", text)
        if _UNRESOLVED.search(text) or len(text.split()) < 6:
            continue
        rank = (index == 0 and len(sentences) > 1, -len(content_words(text)), index)
        candidates.append((rank, text, sentence))
    if not candidates:
        return []
    _, text, sentence = min(candidates)
    qid = question_id("faq", entry.slug, "statement")
    return [
        true_false(
            id=qid,
            prompt=f"True or false: according to the article, {lower_first(text)}.",
            answer=True,
            explanation=f"True. The article's answer to “{entry.faq.question}” says: “{sentence}”",
            difficulty=EASY,
            **_draft_args(entry),
        )
    ]


def _a(name: str) -> str:
    """ "a Data Scientist", "an ML Engineer"."""
    return f"{indefinite_article(name)} {name}"
