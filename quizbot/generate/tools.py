"""Questions about the tools the articles name: what kind of tool it is, who makes it, what the article says.

Only tools an article mentions get questions, and distractors are other mentioned tools (or categories, or
makers) of comparable kind, so a player is choosing between real tools an ML engineer meets, not between a
tool and nonsense. Categories and makers come from the curated table in :mod:`knowledge`; descriptions come
from the articles' tools tables.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from quizbot.generate.distractors import pick_distractors
from quizbot.generate.knowledge import CATEGORIES, MAKERS, TOOLS, Category, Tool
from quizbot.generate.model import (
    EASY,
    HARD,
    MEDIUM,
    Draft,
    multiple_choice,
    question_id,
    short_answer,
    true_false,
)
from quizbot.generate.sections import Article, ToolMention
from quizbot.generate.text import capitalise, content_words, indefinite_article, stable_rank

KIND = "tools"
MAX_QUOTE = 220
"""Longer context lines (a whole skills list) are not quoted in explanations; the summary says enough."""


@dataclass(frozen=True, slots=True)
class _Seen:
    """A tool and where the articles mention it, first mention first."""

    tool: Tool
    mentions: tuple[tuple[str, ToolMention], ...]

    @property
    def primary(self) -> tuple[str, ToolMention]:
        """The mention to cite: a table description, else an English sentence that names the tool's kind
        ("cloud services like AWS"), else the first English mention, else the first."""
        hint = re.compile(self.tool.category.hint) if self.tool.category.hint else None
        preferences = (
            lambda m: bool(m.description),
            lambda m: m.latin and hint is not None and hint.search(m.context) is not None,
            lambda m: m.latin,
            lambda m: True,
        )
        for preferred in preferences:
            for document, mention in self.mentions:
                if preferred(mention):
                    return document, mention
        return self.mentions[0]

    @property
    def description(self) -> tuple[str, ToolMention] | None:
        return next(((d, m) for d, m in self.mentions if m.description), None)


def mentioned_tools(articles: Sequence[Article]) -> list[Tool]:
    """Every known tool that some article names, in the knowledge table's order."""
    named = {mention.tool.key for article in articles for mention in article.tools}
    return [tool for tool in TOOLS if tool.key in named]


def build_tool_questions(articles: Sequence[Article]) -> list[Draft]:
    seen = _collect(articles)
    tools = [s.tool for s in seen]
    drafts: list[Draft] = []
    for item in seen:
        drafts.extend(_kind_question(item, tools))
        drafts.extend(_maker_question(item))
    drafts.extend(_description_questions(seen))
    drafts.extend(_which_is_questions(seen))
    drafts.extend(_partner_questions(articles, seen))
    return drafts


def _collect(articles: Sequence[Article]) -> list[_Seen]:
    by_key: dict[str, list[tuple[str, ToolMention]]] = {}
    for article in articles:
        for mention in article.tools:
            by_key.setdefault(mention.tool.key, []).append((article.document, mention))
    return [_Seen(tool, tuple(by_key[tool.key])) for tool in TOOLS if tool.key in by_key]


def _args(document: str, mention: ToolMention, tool: Tool) -> dict[str, object]:
    return {
        "kind": KIND,
        "document": document,
        "section": mention.heading or "tools",
        "tags": ("tools", tool.category.key),
    }


def _quote(mention: ToolMention) -> str:
    if mention.description:
        return f" The article's tools table: “{mention.tool.name} — {mention.description}.”"
    if not mention.latin or len(mention.context) > MAX_QUOTE:
        return ""
    where = f" under “{mention.heading}”" if mention.heading else ""
    return f" The article mentions it{where}: “{mention.context}”"


def _labelled(category: Category) -> str:
    return capitalise(category.label)


def _kind_question(item: _Seen, tools: Sequence[Tool]) -> list[Draft]:
    tool = item.tool
    present = {t.category.key for t in tools}
    candidates = [_labelled(c) for c in CATEGORIES if not tool.could_be(c) and c.key in present]
    qid = question_id("tool", tool.key, "kind")
    prompt = f"Which category does {tool.name} belong to?"
    distractors = pick_distractors(_labelled(tool.category), candidates, salt=qid, prompt=prompt)
    if not distractors:
        return []
    document, mention = item.primary
    return [
        multiple_choice(
            id=qid,
            prompt=prompt,
            correct=_labelled(tool.category),
            distractors=distractors,
            explanation=tool.summary + _quote(mention),
            difficulty=tool.category.difficulty,
            **_args(document, mention, tool),
        )
    ]


def _maker_question(item: _Seen) -> list[Draft]:
    tool = item.tool
    if not tool.maker or not tool.maker_question:
        return []
    qid = question_id("tool", tool.key, "maker")
    distractors = [maker for maker in MAKERS if maker != tool.maker]
    document, mention = item.primary
    return [
        multiple_choice(
            id=qid,
            prompt=tool.maker_question,
            correct=tool.maker,
            distractors=distractors,
            explanation=tool.summary + _quote(mention),
            difficulty=MEDIUM,
            **_args(document, mention, tool),
        )
    ]


def _description_questions(seen: Sequence[_Seen]) -> list[Draft]:
    """One question per tools-table description; the kinds (choice, typed, true/false) take turns."""
    described = [s for s in seen if s.description]
    described.sort(key=lambda s: stable_rank("described", s.tool.key))
    drafts = []
    for turn, item in enumerate(described):
        document, mention = item.description or item.primary
        tool = item.tool
        quoted = f"“{mention.description}”"
        qid = question_id("tool", tool.key, "described")
        others = [s.tool for s in described if s is not item]
        explanation = f"The article's tools table describes {tool.name} as {quoted}. {tool.summary}"
        variant = turn % 3
        if variant == 1:
            drafts.append(
                short_answer(
                    id=qid,
                    prompt=f"Which tool does the article describe as {quoted}? Type its name.",
                    answers=(tool.name, *[a for a in tool.aliases if a != tool.name]),
                    explanation=explanation,
                    difficulty=HARD,
                    **_args(document, mention, tool),
                )
            )
        elif variant == 2 and others:
            impostor = min(others, key=lambda t: stable_rank(qid, t.key))
            drafts.append(
                true_false(
                    id=qid,
                    prompt=f"True or false: the article describes {impostor.name} as {quoted}.",
                    answer=False,
                    explanation=f"False. {explanation}",
                    difficulty=MEDIUM,
                    **_args(document, mention, tool),
                )
            )
        else:
            prompt = f"Which tool does the article describe as {quoted}?"
            pool = [t.name for t in others] + [
                s.tool.name for s in seen if s.tool.category == tool.category and s not in described
            ]
            distractors = pick_distractors(tool.name, pool, salt=qid, prompt=prompt)
            if distractors:
                drafts.append(
                    multiple_choice(
                        id=qid,
                        prompt=prompt,
                        correct=tool.name,
                        distractors=distractors,
                        explanation=explanation,
                        difficulty=MEDIUM,
                        **_args(document, mention, tool),
                    )
                )
    return drafts


def _which_is_questions(seen: Sequence[_Seen]) -> list[Draft]:
    """ "Which of these is a version control system?", once per category the articles cover."""
    drafts = []
    for category in CATEGORIES:
        members = [s for s in seen if s.tool.category is category]
        if not members:
            continue
        qid = question_id("tools", category.key, "which")
        prompt = f"Which of these is {indefinite_article(category.label)} {category.label}?"
        members = [s for s in members if not content_words(s.tool.name) & content_words(category.label)]
        outsiders = [
            s.tool.name
            for s in seen
            if not s.tool.could_be(category) and s.tool.category.family_label != category.family_label
        ]
        for item in sorted(members, key=lambda s: stable_rank(qid, s.tool.key)):
            distractors = pick_distractors(item.tool.name, outsiders, salt=qid, prompt=prompt)
            if not distractors:
                continue
            document, mention = item.primary
            others = " ".join(
                f"{name} is {indefinite_article(_category_label(name))} {_category_label(name)}."
                for name in distractors
            )
            drafts.append(
                multiple_choice(
                    id=qid,
                    prompt=prompt,
                    correct=item.tool.name,
                    distractors=distractors,
                    explanation=f"{item.tool.summary} {others}",
                    difficulty=EASY,
                    **_args(document, mention, item.tool),
                )
            )
            break
    return drafts


def _category_label(name: str) -> str:
    return next(t.category.label for t in TOOLS if t.name == name)


def _partner_questions(articles: Sequence[Article], seen: Sequence[_Seen]) -> list[Draft]:
    """ "Besides Hadoop, which big-data processing framework does the article name?" (typed answer).

    Asked only where one article names two or three tools of a family and no other tool it names could
    count as one too, so exactly one answer is right. The article that names them together in one sentence
    ("cloud services like AWS, Google Cloud, or Azure") is preferred, as the clearest source.
    """
    options: dict[str, list[tuple[bool, Article, list[Tool]]]] = {}
    for article in articles:
        named = [t for t in TOOLS if any(m.tool is t for m in article.tools)]
        families: dict[str, list[Tool]] = {}
        for tool in named:
            families.setdefault(tool.category.family_label, []).append(tool)
        for family, members in families.items():
            overlapping = [
                t for t in named if t not in members and any(c.family_label == family for c in t.also)
            ]
            if not 2 <= len(members) <= 3 or overlapping:
                continue
            together = any(
                all(t.pattern.search(m.context) for t in members) and m.latin for m in article.tools
            )
            options.setdefault(family, []).append((together, article, members))
    drafts = []
    for family, candidates in options.items():
        _, article, members = next((c for c in candidates if c[0]), candidates[0])
        qid = question_id("tools", family.replace(" ", "-"), "partner")
        answer = min(members, key=lambda t: stable_rank(qid, t.key))
        given = _names([t.name for t in members if t is not answer])
        mention = next(m for m in article.tools if m.tool is answer)
        drafts.append(
            short_answer(
                id=qid,
                prompt=f"Besides {given}, which {family} does the article name? Type its name.",
                answers=(answer.name, *[a for a in answer.aliases if a != answer.name]),
                explanation=f"{answer.summary} The article names {_names([t.name for t in members])}.",
                difficulty=HARD,
                **_args(article.document, mention, answer),
            )
        )
    return drafts


def _names(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def tool_count(drafts: Sequence[Draft]) -> int:
    """How many distinct tools the tool questions ask about (named in the prompt or the answer)."""
    covered = set()
    for draft in drafts:
        if draft.kind != KIND:
            continue
        answers = {draft.answer, *draft.answers}
        covered.update(t.name for t in TOOLS if t.name in draft.prompt or t.name in answers)
    return len(covered)
