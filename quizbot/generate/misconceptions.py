"""Questions from "Misconception #N" sections.

Every claim becomes a true/false question whose answer is false, explained with the article's own
counter-points. Every supporting point becomes a "which misconception does this point correct?"
question with the article's other claims as wrong choices, or a true statement when no fair set of
wrong choices exists. A claim is kept out of the wrong choices when its own points talk about the same
things (collaboration answers both "work alone" and "don't need domain knowledge"), or when it is so
broad ("they ONLY work on algorithms") that almost any point answers it: two defensible choices make a
bad question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from quizbot.generate.model import EASY, MEDIUM, Draft, multiple_choice, question_id, true_false
from quizbot.generate.quality import length_gives_away, wording_gives_away
from quizbot.generate.sections import Article, Misconception
from quizbot.generate.text import (
    capitalise,
    content_words,
    id_slug,
    split_sentences,
    stable_rank,
    strip_end,
)

KIND = "misconceptions"
TAGS = ("misconceptions",)

_RESTATEMENT = re.compile(r"\b(?:misconception|assumed|believed|myth|think that)\b", re.IGNORECASE)
_CATCH_ALL = re.compile(r"\b(?:only|solely|just|purely)\b", re.IGNORECASE)
"""A claim like "they ONLY work on algorithms" is answered by almost any point about other work, so it is
never offered as the wrong misconception for someone else's point."""
_WEAK_WORDS = frozenset(
    {"make", "necessary", "need", "effectiv", "understand", "solution", "complex", "expert"}
)
"""Words two points can share without being about the same thing ("necessary", "complex")."""
_CONTRAST = re.compile(r"^(?:However|But|In fact|Actually|In reality)\s*,\s*", re.IGNORECASE)


def build_misconception_questions(articles: Sequence[Article]) -> list[Draft]:
    drafts: list[Draft] = []
    for article in articles:
        for misconception in article.misconceptions:
            drafts.append(_claim_question(article.document, misconception))
            for point in misconception.points:
                drafts.append(_point_question(article.document, misconception, point, article.misconceptions))
    return drafts


def _args(document: str, misconception: Misconception) -> dict[str, object]:
    return {
        "kind": KIND,
        "document": document,
        "section": f"Misconception #{misconception.number}",
        "tags": TAGS,
    }


def _claim_slug(misconception: Misconception, max_length: int = 40) -> str:
    return id_slug(misconception.claim, max_length)


def _claim_question(document: str, misconception: Misconception) -> Draft:
    points = " ".join(_resolve(misconception, p) if i == 0 else p for i, p in enumerate(misconception.points))
    correction = " ".join(
        capitalise(_CONTRAST.sub("", s))
        for s in split_sentences(misconception.intro)
        if not _RESTATEMENT.search(s)
    )
    explanation = " ".join(
        part
        for part in ("False: the article lists this as a common misconception.", correction, points)
        if part
    )
    return true_false(
        id=question_id("misconception", _claim_slug(misconception)),
        prompt=f"True or false: {misconception.claim}.",
        answer=False,
        explanation=explanation,
        difficulty=EASY,
        **_args(document, misconception),
    )


def _point_question(
    document: str, misconception: Misconception, point: str, siblings: Sequence[Misconception]
) -> Draft:
    statement = _resolve(misconception, point)
    qid = question_id("misconception", _claim_slug(misconception, 24), id_slug(point, 40))
    which = _which_claim_question(document, misconception, statement, siblings, qid)
    if which:
        return which
    return true_false(
        id=qid,
        prompt=f"True or false: {strip_end(statement)}.",
        answer=True,
        explanation=(
            f"True. The article makes this point against the misconception that “{misconception.claim}”."
        ),
        difficulty=EASY,
        **_args(document, misconception),
    )


def _which_claim_question(
    document: str,
    misconception: Misconception,
    statement: str,
    siblings: Sequence[Misconception],
    qid: str,
) -> Draft | None:
    words = content_words(statement) - _WEAK_WORDS
    candidates = [
        other.claim
        for other in siblings
        if other is not misconception
        and not _CATCH_ALL.search(other.claim)
        and not words & content_words(" ".join((other.claim, *other.points)))
    ]
    candidates.sort(key=lambda claim: (abs(len(claim) - len(misconception.claim)), stable_rank(qid, claim)))
    distractors = candidates[:3]
    prompt = f"The article makes this point: “{strip_end(statement)}.” Which misconception does it correct?"
    if (
        len(distractors) < 2
        or length_gives_away(misconception.claim, distractors)
        or wording_gives_away(prompt, misconception.claim, distractors)
    ):
        return None
    return multiple_choice(
        id=qid,
        prompt=prompt,
        correct=misconception.claim,
        distractors=distractors,
        explanation=(
            f"It is one of the article's answers to Misconception #{misconception.number}: "
            f"“{misconception.claim}”."
        ),
        difficulty=MEDIUM,
        **_args(document, misconception),
    )


def _resolve(misconception: Misconception, point: str) -> str:
    """Replace a leading "They"/"Their" with the claim's subject so the point stands on its own."""
    subject = _subject(misconception.claim)
    if not subject:
        return point
    sentence_case = subject[:1] + subject[1:].lower()
    point = re.sub(r"^They\b", sentence_case, point)
    return re.sub(
        r"^Their\b", f"{sentence_case}’" if sentence_case.endswith("s") else f"{sentence_case}’s", point
    )


def _subject(claim: str) -> str:
    """The capitalised words a claim starts with: "Machine Learning Engineers only work …" → the job."""
    subject = []
    for word in claim.split():
        if not word[:1].isupper():
            break
        subject.append(word)
    return " ".join(subject) if 0 < len(subject) < len(claim.split()) else ""
