"""Questions a table answers for a FAQ: its rows set against each other.

Articles often answer a FAQ twice: in prose ("Some common sectors … include technology, finance, …") and
in a table elsewhere ("Industries Employing Machine Learning Engineers: Technology 40%, Finance 18%, …").
The prose is a bare list, and a list alone gives no wrong answer the text supports; the table does:

- a table of shares → which row has the largest share? The other rows are the wrong choices: the same
  kind of thing, each named by the text, only smaller;
- a table of terms and what they mean ("Model Interpretability | Ensuring transparency …") → which term
  is described so? The other terms of the same table are the wrong choices.

A table answers the FAQ whose question its heading (or the sentence introducing it) repeats: "What
industries employ …?" and "Industries Employing …". Words naming the people asked about ("machine
learning engineers") are in every heading, so they do not count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from quizbot.generate.model import MEDIUM, Draft, multiple_choice, question_id
from quizbot.generate.picking import pick_distractors
from quizbot.generate.sections import DataTable, Faq
from quizbot.generate.text import (
    and_list,
    capitalise,
    content_words,
    lower_first,
    singular_phrase,
    stable_rank,
)

_OTHER = re.compile(r"^(?:others?|other\s+\w+|rest|misc(?:ellaneous)?)$", re.IGNORECASE)
"""A catch-all row ("Other 5%") is no answer and no fair wrong choice."""
_BARE_SHARE = re.compile(r"^(?:percent(?:age)?|share|proportion|%)$", re.IGNORECASE)


def _words(text: str, people: set[str]) -> set[str]:
    return content_words(text) - people


def answering_tables(
    faqs: Sequence[Faq], tables: Sequence[DataTable], people: Sequence[str]
) -> dict[int, DataTable]:
    """Which table answers which FAQ (by the FAQ's index): the table sharing the most words with the
    question, each table given to at most one FAQ; a tie answers nothing, so no table is guessed.
    ``people`` are who the FAQs ask about: their words are in every heading and do not count."""
    ignore = set().union(*(content_words(p) for p in people))
    scores: list[tuple[int, int, int]] = []
    for f, faq in enumerate(faqs):
        asked = _words(faq.question, ignore)
        for t, table in enumerate(tables):
            shared = len(asked & _words(f"{table.heading} {table.intro}", ignore))
            if shared:
                scores.append((shared, f, t))
    chosen: dict[int, DataTable] = {}
    used: set[int] = set()
    for shared, f, t in sorted(scores, key=lambda s: (-s[0], s[1], s[2])):
        if f in chosen or t in used:
            continue
        rivals = [s for s in scores if s[1] == f and s[0] == shared and s[2] not in used]
        if len(rivals) > 1:
            continue
        chosen[f] = tables[t]
        used.add(t)
    return chosen


def table_question(faq: Faq, table: DataTable, **args: object) -> list[Draft]:
    """The question ``table`` answers for ``faq``, or nothing when its rows give no fair set of choices.

    The prompt starts from the table's heading, not the FAQ's question: "Industries employing machine
    learning engineers: which industry has the largest percentage of employed engineers?" says what the
    figures are shares of; the FAQ's question in front of it ("What industries employ …? Which industry
    …?") asked two things at once. The source names both the FAQ and the table the facts come from."""
    slug = str(args.pop("slug"))
    if table.heading:
        args["section"] = f"{args['section']} (table: {table.heading})"
    if table.shares:
        return _largest_share(faq, table, slug, args)
    return _described_as(faq, table, slug, args)


def _value(text: str) -> float:
    return float(text.rstrip("% "))


def _largest_share(faq: Faq, table: DataTable, slug: str, args: dict[str, object]) -> list[Draft]:
    rows = sorted(table.rows, key=lambda r: -_value(r[1]))
    named = [r for r in rows if not _OTHER.match(r[0])]
    if len(named) < 3 or _value(named[0][1]) == _value(named[1][1]) or _OTHER.match(rows[0][0]):
        return []
    qid = question_id("faq", slug, "largest")
    noun = _noun(table.label_title)
    measure = "share" if _BARE_SHARE.match(table.value_title) else table.value_title.lower()
    prompt = _ask(faq, table, f"which {noun} has the largest {measure}?")
    correct = named[0][0]
    distractors = pick_distractors(correct, [r[0] for r in named[1:]], salt=qid, prompt=prompt, minimum=2)
    if not distractors:
        return []
    listing = and_list([f"{label} ({value})" for label, value in rows[1:]])
    return [
        multiple_choice(
            id=qid,
            prompt=prompt,
            correct=correct,
            distractors=distractors,
            explanation=f"{correct} has the largest {measure} ({named[0][1]}), then {listing}.",
            difficulty=MEDIUM,
            **args,
        )
    ]


def _described_as(faq: Faq, table: DataTable, slug: str, args: dict[str, object]) -> list[Draft]:
    """Which term a description belongs to, or which description a term has: whichever way the choices
    carry no tell. Rows whose term repeats a word of its own description ("Data Quality": "… biased
    data") are tried last: there the repeated word can hint at the answer, so the way round that puts the
    same word in another choice too ("… sensitive data …") is the one that fits."""
    if len(table.rows) < 3:
        return []
    qid = question_id("faq", slug, "described")
    noun = _noun(table.label_title)
    meaning = dict(table.rows)
    term = {description: label for label, description in table.rows}

    def hint(label: str) -> bool:
        return bool(content_words(label) & content_words(meaning[label]))

    for label in sorted(meaning, key=lambda x: (hint(x), stable_rank(qid, x))):
        ways = (
            (_ask(faq, table, f"which {noun} is described as “{meaning[label]}”?"), label, list(meaning)),
            (_ask(faq, table, f"which of these describes the {noun} “{label}”?"), meaning[label], list(term)),
        )
        for prompt, correct, pool in ways:
            distractors = pick_distractors(
                correct, [x for x in pool if x != correct], salt=qid, prompt=prompt, minimum=2
            )
            if not distractors:
                continue
            others = "; ".join(
                f"{x} ({lower_first(meaning[x])})" if x in meaning else f"{term[x]} ({lower_first(x)})"
                for x in distractors
            )
            return [
                multiple_choice(
                    id=qid,
                    prompt=prompt,
                    correct=correct,
                    distractors=distractors,
                    explanation=f"{label}: {lower_first(meaning[label])}. The others: {others}.",
                    difficulty=MEDIUM,
                    **args,
                )
            ]
    return []


def _ask(faq: Faq, table: DataTable, question: str) -> str:
    """ "Industries Employing Machine Learning Engineers" + "which industry …?" → "Industries employing
    machine learning engineers: which industry …?"; names (all capitals, inner capitals: "ML", "PyTorch")
    keep their case. A table without a heading is led by the FAQ's own question."""
    if not table.heading:
        return f"{faq.question} {capitalise(question)}"
    first, *rest = table.heading.split()
    words = [w.lower() if w[:1].isupper() and w[1:] == w[1:].lower() else w for w in rest]
    return " ".join([first, *words]) + f": {question}"


def _noun(title: str) -> str:
    """What one row is, from the first column's title: "Challenges" → "challenge", "Skill/Tool" → "skill";
    "one" when the column has no title."""
    first = title.lower().split("/")[0]
    return singular_phrase(first) if first.strip() else "one"
