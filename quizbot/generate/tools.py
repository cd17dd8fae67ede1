"""Questions about the tools the articles describe or name as examples of a kind.

Everything asserted comes from the text: a tool's kind from "X such as A, B and C" lists ("cloud services
like AWS, Google Cloud, or Azure" makes AWS a cloud service), its description from a tools table. Lists
that share two or more tools are one family ("ML frameworks like TensorFlow, PyTorch" and "machine learning
libraries like TensorFlow, scikit-learn, or PyTorch"); a tool is only a wrong choice for a kind when no
list of an overlapping family names it, so each question has exactly one defensible answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from quizbot.checks import content_words
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
from quizbot.generate.picking import LengthBalance, on_target, pick_distractors
from quizbot.generate.sections import Article, ToolDescription, ToolGroup, tool_key
from quizbot.generate.text import (
    and_list,
    capitalise,
    id_slug,
    indefinite_article,
    is_plural,
    lower_first,
    singular_phrase,
    stable_rank,
)

KIND = "tools"
_KIND_PROMPTS = (
    "What kind of tool is {tool}?",
    "{tool} is best described as which of these?",
    "Which of these describes {tool}?",
    "How is {tool} usually classified?",
)


@dataclass(slots=True)
class _Family:
    """Lists of the same kind of tool, merged: their kinds in the text's words and every member."""

    kinds: list[str]
    members: dict[str, str]
    """tool key → name as first written."""
    sources: list[tuple[str, ToolGroup]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """The kind as the biggest list calls it (the first such list on a tie)."""
        return max(self.sources, key=lambda s: len(s[1].tools))[1].kind

    @property
    def heads(self) -> set[str]:
        return {singular(part.split()[-1]) for k in self.kinds for part in k.split(" and ")} - {"tool"}


def singular(kind: str) -> str:
    """ "cloud services" → "cloud service", "libraries and frameworks" → "library or framework",
    "version control" → "version control tool"."""
    parts = kind.split(" and ")
    if not is_plural(parts[-1].split()[-1]):
        return f"{kind} tool"
    plural = [p for p in parts if is_plural(p.split()[-1])]
    if len(plural) == len(parts) > 1:
        return " or ".join(singular_phrase(p) for p in parts)
    # "containerization and orchestration tools" → "containerization or orchestration tool": one tool is
    # usually one of the two (Docker runs containers, Kubernetes orchestrates them), not both.
    return " or ".join([*parts[:-1], singular_phrase(parts[-1])])


def _a(kind: str) -> str:
    text = singular(kind).replace("ml ", "ML ")
    return f"{indefinite_article(text)} {text}"


def _families(articles: Sequence[Article]) -> list[_Family]:
    families: list[_Family] = []
    for article in articles:
        for group in article.tool_groups:
            keys = {tool_key(t): t for t in group.tools}
            joined = [f for f in families if len(keys.keys() & f.members.keys()) >= 2]
            family = joined[0] if joined else _Family([], {})
            if not joined:
                families.append(family)
            for extra in joined[1:]:
                family.kinds += extra.kinds
                family.sources += extra.sources
                family.members.update({k: v for k, v in extra.members.items() if k not in family.members})
                families.remove(extra)
            family.kinds.append(group.kind)
            family.sources.append((article.document, group))
            for key, name in keys.items():
                family.members.setdefault(key, name)
    return families


def _overlap(a: _Family, b: _Family) -> bool:
    return a is b or bool(a.heads & b.heads) or bool(a.members.keys() & b.members.keys())


def _outsiders(family: _Family, families: Sequence[_Family]) -> list[str]:
    """Tools no list of an overlapping family names: fair wrong choices for ``family``'s kind. A tool the
    text files under two kinds (Spark as a big data tool and as a machine learning library) is left out:
    an explanation naming one of its kinds would be half right."""
    inside = {k for f in families if _overlap(f, family) for k in f.members}
    names = {
        k: name
        for f in families
        for k, name in f.members.items()
        if k not in inside and not _multi(k, families)
    }
    return list(names.values())


def _named_like(name: str, kind: str) -> bool:
    """ "Google Cloud" is obviously a cloud service: the name gives the kind away."""
    return bool(content_words(name) & content_words(kind))


def _section(document: str, group: ToolGroup, articles: Sequence[Article]) -> str:
    """The FAQ a list sits in, when it does; else "tools"."""
    for article in articles:
        if article.document != document:
            continue
        for faq in article.faqs:
            if group.sentence in faq.answer:
                return f"FAQ: {faq.question}"
    return "tools"


def build_tool_questions(articles: Sequence[Article]) -> list[Draft]:
    families = _families(articles)
    described = _descriptions(articles)
    used: set[str] = {tool_key(d.name) for _, d in described}
    balance = LengthBalance()
    drafts: list[Draft] = []
    drafts.extend(_description_questions(described, families, balance))
    for family in families:
        drafts.extend(_which_is(family, families, articles, used, balance))
    for family in families:
        drafts.extend(_which_is_not(family, families, used, balance))
    drafts.extend(_kind_statements(families, used))
    drafts.extend(_what_kind(families, used, balance))
    return drafts


def _args(document: str, section: str) -> dict[str, object]:
    return {"kind": KIND, "document": document, "section": section, "tags": ("tools",)}


def _which_is(
    family: _Family,
    families: Sequence[_Family],
    articles: Sequence[Article],
    used: set[str],
    balance: LengthBalance,
) -> list[Draft]:
    qid = question_id("tools", id_slug(family.kind, 50), "which")
    prompt = f"Which of these is {_a(family.kind)}?"
    outsiders = _outsiders(family, families)
    in_faq = {
        tool_key(t)
        for document, group in family.sources
        if _section(document, group, articles) != "tools"
        for t in group.tools
    }
    candidates = sorted(
        (
            k
            for k in family.members
            if (k not in used or k in in_faq)
            and not _multi(k, families)
            and not _named_like(family.members[k], family.kind)
        ),
        key=lambda k: (k not in in_faq, stable_rank(qid, k)),
    )
    options = []
    for key in candidates:
        distractors = pick_distractors(family.members[key], outsiders, salt=qid, prompt=prompt)
        if distractors:
            options.append((key, family.members[key], distractors))
    if options:
        key, correct, distractors = on_target(options, salt=qid, balance=balance)
        used.add(key)
        holding = [s for s in family.sources if key in {tool_key(t) for t in s[1].tools}] or family.sources
        document, group = min(holding, key=lambda s: _section(s[0], s[1], articles) == "tools")
        kinds = {tool_key(d): _kind_of(d, families) for d in distractors}
        others = "; ".join(f"{d} is {_a(kinds[tool_key(d)])}" for d in distractors if kinds[tool_key(d)])
        return [
            multiple_choice(
                id=qid,
                prompt=prompt,
                correct=correct,
                distractors=distractors,
                explanation=f"{correct} is {_a(family.kind)}{_like(family, key)}. {capitalise(others)}.",
                difficulty=EASY,
                **_args(document, _section(document, group, articles)),
            )
        ]
    return []


def _which_is_not(
    family: _Family, families: Sequence[_Family], used: set[str], balance: LengthBalance
) -> list[Draft]:
    """ "Which of these is not a cloud service?": three of the kind's tools and one of another kind."""
    members = [n for k, n in family.members.items() if not _multi(k, families)]
    if len(members) < 3:
        return []
    qid = question_id("tools", id_slug(family.kind, 50), "not")
    prompt = f"Which of these is not {_a(family.kind)}?"
    outsiders = sorted(_outsiders(family, families), key=lambda n: stable_rank(qid, n))
    shown = sorted(members, key=lambda n: stable_rank(qid, n))[:3]
    options = []
    for odd in outsiders:
        item_ok = pick_distractors(odd, shown, salt=qid, prompt=prompt, count=3, minimum=3)
        if item_ok:
            options.append((odd, odd, item_ok))
    if options:
        _, odd, item_ok = on_target(options, salt=qid, balance=balance)
        used.add(tool_key(odd))  # no true/false statement about it next to a question answered by it
        owner = _kind_of(odd, families)
        return [
            multiple_choice(
                id=qid,
                prompt=prompt,
                correct=odd,
                distractors=item_ok,
                explanation=f"{odd} is {_a(owner)}; {and_list(item_ok)} are {family.kind}.".replace(
                    " ml ", " ML "
                ),
                difficulty=MEDIUM,
                **_args(family.sources[0][0], "tools"),
            )
        ]
    return []


def _multi(key: str, families: Sequence[_Family]) -> bool:
    return sum(1 for f in families if key in f.members) > 1


def _kind_of(name: str, families: Sequence[_Family]) -> str:
    return next((f.kind for f in families if tool_key(name) in f.members), "")


def _others(family: _Family, key: str) -> str:
    names = [n for k, n in family.members.items() if k != key][:3]
    return and_list(names) if names else ""


def _like(family: _Family, key: str) -> str:
    """ ", like PyTorch and Keras" (the kind's other examples), or "" when it has none."""
    others = _others(family, key)
    return f", like {others}" if others else ""


def _kind_statements(families: Sequence[_Family], used: set[str]) -> list[Draft]:
    """ "Docker is a cloud service": true for a tool of that kind, false for a tool of another kind
    (the tool swapped between two true statements). Each kind is stated once; true and false keep level."""
    drafts: list[Draft] = []
    balance = 0
    ordered = sorted(families, key=lambda f: stable_rank("statement", f.kind))
    for family in ordered:
        true_pool = [(k, family) for k in family.members if _free(k, family, families, used)]
        false_pool = [
            (k, other)
            for other in ordered
            if not _overlap(other, family)
            for k in other.members
            if _free(k, other, families, used) and not _named_like(other.members[k], family.kind)
        ]
        answer = balance <= 0
        if not (true_pool if answer else false_pool):
            if (answer and balance < 0) or (not answer and balance > 0):
                continue  # stating the other way would tip the balance further
            answer = not answer
        pool = true_pool if answer else false_pool
        if not pool:
            continue
        balance += 1 if answer else -1
        key, owner = min(pool, key=lambda p: stable_rank(family.kind, p[0]))
        used.add(key)
        name = owner.members[key]
        document, _ = owner.sources[0]
        why = (
            f"True: {name} is {_a(family.kind)}{_like(family, key)}."
            if answer
            else f"False: {name} is {_a(owner.kind)}. {_are_kind(family)}"
        )
        drafts.append(
            true_false(
                id=question_id("tools", id_slug(name, 20), "is", id_slug(singular(family.kind), 40)),
                prompt=f"True or false: {name} is {_a(family.kind)}.",
                answer=answer,
                explanation=why,
                difficulty=EASY,
                **_args(document, "tools"),
            )
        )
    return drafts


def _are_kind(family: _Family) -> str:
    """ "Matplotlib, Tableau and D3.js are data visualization tools." / "Git is a version control tool."."""
    names = list(family.members.values())[:3]
    if len(names) == 1:
        return f"{names[0]} is {_a(family.kind)}."
    plural = family.kind if is_plural(family.kind.split()[-1]) else f"{family.kind} tools"
    return f"{and_list(names)} are {plural}."


def _free(key: str, family: _Family, families: Sequence[_Family], used: set[str]) -> bool:
    """Not asked about yet, of one kind only, and not named after its kind ("Google Cloud")."""
    return key not in used and not _multi(key, families) and not _named_like(family.members[key], family.kind)


def _what_kind(families: Sequence[_Family], used: set[str], balance: LengthBalance) -> list[Draft]:
    """ "What kind of tool is Kubernetes?" for the tools not asked about yet, with kinds as choices."""
    drafts: list[Draft] = []
    turn = 0
    for family in families:
        for key, name in family.members.items():
            if key in used or _multi(key, families) or _named_like(name, family.kind):
                continue
            qid = question_id("tools", id_slug(name, 30), "kind")
            prompt = _KIND_PROMPTS[turn % len(_KIND_PROMPTS)].format(tool=name)
            correct = capitalise(singular(family.kind)).replace("Ml ", "ML ")
            others = [
                capitalise(singular(f.kind)).replace("Ml ", "ML ")
                for f in families
                if not _overlap(f, family)
            ]
            target = balance.target(qid)
            distractors = pick_distractors(correct, others, salt=qid, prompt=prompt, target=target)
            if not distractors:
                continue
            balance.record(correct, distractors)
            used.add(key)
            turn += 1
            document, _ = family.sources[0]
            drafts.append(
                multiple_choice(
                    id=qid,
                    prompt=prompt,
                    correct=correct,
                    distractors=distractors,
                    explanation=f"{name} is {_a(family.kind)}{_like(family, key)}.",
                    difficulty=MEDIUM,
                    **_args(document, "tools"),
                )
            )
    return drafts


def _descriptions(articles: Sequence[Article]) -> list[tuple[str, ToolDescription]]:
    seen: dict[str, tuple[str, ToolDescription]] = {}
    for article in articles:
        for description in article.tool_descriptions:
            seen.setdefault(tool_key(description.name), (article.document, description))
    return list(seen.values())


def _description_questions(
    described: Sequence[tuple[str, ToolDescription]], families: Sequence[_Family], balance: LengthBalance
) -> list[Draft]:
    """ "Which of these is a high-level neural networks API built on top of TensorFlow?": choices are the
    table's other tools and tools of the same family; every other turn the answer is typed instead."""
    drafts: list[Draft] = []
    ordered = sorted(described, key=lambda d: stable_rank("described", d[1].name))
    for turn, (document, row) in enumerate(ordered):
        first, _, rest = row.description.partition(" ")
        is_phrase = first.lower() in ("a", "an", "the")
        text = f"{first.lower()} {rest}" if is_phrase else lower_first(row.description)
        prompt = (
            f"Which of these is {text}?"
            if is_phrase
            else f"Which tool fits this description: “{row.description}”?"
        )
        qid = question_id("tools", id_slug(row.name, 30), "described")
        # Only tools the table describes too: an undescribed tool of the same kind might fit the description.
        pool = [d.name for _, d in described if d is not row]
        pool = [
            p for p in pool if tool_key(p) != tool_key(row.name) and p.casefold() not in prompt.casefold()
        ]
        explanation = f"{row.name} is {text}."
        if turn % 2 == 1:
            drafts.append(
                short_answer(
                    id=qid,
                    prompt=prompt.replace("Which of these is", "Which tool is") + " Type its name.",
                    answers=(row.name,),
                    explanation=explanation,
                    difficulty=HARD,
                    **_args(document, row.table),
                )
            )
            continue
        distractors = pick_distractors(row.name, pool, salt=qid, prompt=prompt, target=balance.target(qid))
        if distractors:
            balance.record(row.name, distractors)
            drafts.append(
                multiple_choice(
                    id=qid,
                    prompt=prompt,
                    correct=row.name,
                    distractors=distractors,
                    explanation=explanation,
                    difficulty=MEDIUM,
                    **_args(document, row.table),
                )
            )
    return drafts


def tool_count(drafts: Sequence[Draft], articles: Sequence[Article]) -> int:
    """How many distinct tools the questions ask about (named in the prompt or the answer)."""
    names = {tool_key(n): n for a in articles for g in a.tool_groups for n in g.tools}
    names.update({tool_key(d.name): d.name for a in articles for d in a.tool_descriptions})
    covered = set()
    for draft in drafts:
        texts = [draft.prompt, str(draft.answer or ""), *draft.answers]
        covered.update(k for k, n in names.items() if any(_names(n, t) for t in texts))
    return len(covered)


def _names(name: str, text: str) -> bool:
    import re

    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE) is not None
