"""Questions from misconception sections.

- "Which of these is a common misconception about …?": the claim against true points the article makes
  about other claims (statements about the same people, only one of them false).
- "Which of these is true of …?": a true point against the claims (each of them false).
- True/false as plain statements: false with a claim ("Machine learning engineers work alone."), true with
  a point the text makes about another claim, so that no statement answers its neighbour. No double
  negatives ("it is a common misconception that <true thing>"). A claim carrying an absolute word ("only",
  "everything") is never stated as true/false — players would guess from the word — so it becomes a choice
  question instead. True and false statements are made in equal numbers (one more of either at most).
- Explanations give the text's reasons (its points), not "the other choices are something else".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from quizbot.checks import ABSOLUTE_WORDS, content_words, echoes
from quizbot.generate.model import EASY, HARD, MEDIUM, Draft, multiple_choice, question_id, true_false
from quizbot.generate.picking import pick_distractors
from quizbot.generate.sections import Article, Misconception
from quizbot.generate.text import id_slug, lower_first, split_sentences, stable_rank, strip_end

KIND = "misconceptions"
TAGS = ("misconceptions",)

_MYTH_PROMPTS = (
    "Which of these is a common misconception about {who}?",
    "Which statement about {who} is a myth?",
    "One of these statements about {who} is wrong. Which one?",
    "Which of these beliefs about {who} does not hold up?",
    "Which of these is a mistaken idea about {who}?",
)
_FACT_PROMPTS = (
    "Which of these is true of {who}?",
    "Which of these statements about {who} is accurate?",
    "Only one of these statements about {who} is correct. Which?",
    "Which of these is a fact about {who}?",
    "Which of these holds for {who}?",
)
_RESTATED = re.compile(r"\b(?:misconception|assumed|believed?|myth|think)\s+(?:is\s+)?that\s+(?P<claim>.+)$")
_CLIP = re.compile(
    r"(?:,\s+(?:including|but|which|while)\b"
    r"|\s+(?:to\s+(?:ensure|make|refine|translate|effectively)|based on|when needed)\b).*$"
)


@dataclass(frozen=True, slots=True)
class _Claim:
    misconception: Misconception
    document: str
    forms: tuple[str, ...]
    """The claim as a sentence, then the article's restatement of it ("… work in isolation …")."""
    who: str
    """Whom the claim is about, in sentence case ("Machine learning engineers"), or ""."""

    @property
    def absolute(self) -> bool:
        return _absolute(self.forms[0])


def _absolute(text: str) -> bool:
    """Carries a word ("only", "everything") that tells players it is false without knowing why."""
    return bool(ABSOLUTE_WORDS & set(re.findall(r"[a-z]+", text.lower())))


def build_misconception_questions(articles: Sequence[Article]) -> list[Draft]:
    drafts: list[Draft] = []
    for article in articles:
        who = shared_subject([m.claim for m in article.misconceptions])
        claims = [
            _Claim(m, article.document, claim_forms(m, who), _subject_of(m.claim, who))
            for m in article.misconceptions
        ]
        points = {id(m): [resolve(m, p, who) for p in m.points] for m in article.misconceptions}
        used: set[str] = set()
        plain = [c for c in claims if not c.absolute]
        stated = plain[1::2]
        for turn, claim in enumerate(plain[::2]):
            drafts.extend(_which_is_myth(claim, claims, points, turn))
        for claim in stated:
            drafts.append(_claim_statement(claim, points))
        # True points come from claims no other question states, so that no two questions ask the same thing.
        asked = [*stated, *plain[::2]]
        unstated = [c for c in claims if c not in stated]
        ordered = sorted(unstated, key=lambda c: (c in asked, stable_rank("false", c.forms[0])))
        for claim in ordered[: len(stated)]:
            drafts.extend(_point_statement(claim, points, used))
        for turn, claim in enumerate(claims):
            drafts.extend(_which_is_true(claim, claims, points, used, turn))
        for claim in claims:
            for point in points[id(claim.misconception)]:
                if point not in used:
                    drafts.extend(_which_belief(claim, point, claims, points, used))
    return drafts


def shared_subject(claims: Sequence[str]) -> str:
    """The people most claims of an article are about: the longest run of leading words at least two
    claims share ("Site reliability engineers"), in sentence case; "" when claims share no start."""
    best = ""
    for claim in claims:
        words = claim.split()
        for size in range(len(words) - 1, 0, -1):
            prefix = " ".join(words[:size]).casefold()
            sharing = sum(1 for c in claims if c.casefold().startswith(prefix + " "))
            if sharing >= 2 and size > len(best.split()):
                best = " ".join(words[:size])
                break
    return _sentence_case(best) if best else ""


def _sentence_case(text: str) -> str:
    words = text.split()
    return " ".join([words[0], *(w if _is_name(w) else w.lower() for w in words[1:])])


def subject(claim: str) -> str:
    """The people a claim is about: its leading capitalised words, in sentence case ("Machine learning
    engineers"); "" when the claim does not start with a name."""
    words = []
    for word in claim.split():
        if not word[:1].isupper():
            break
        words.append(word)
    if not 0 < len(words) < len(claim.split()):
        return ""
    return " ".join([words[0], *(w if _is_name(w) else w.lower() for w in words[1:])])


def _is_name(word: str) -> bool:
    return word.isupper() or any(c.isupper() for c in word[1:])


def claim_forms(misconception: Misconception, shared: str = "") -> tuple[str, ...]:
    """The claim in the points' case ("Machine learning engineers work alone."), then any restatement."""
    who = _subject_of(misconception.claim, shared)
    claim = misconception.claim
    if who:
        claim = who + claim[len(who) :]
    forms = [strip_end(claim) + "."]
    for sentence in split_sentences(misconception.intro):
        match = _RESTATED.search(strip_end(sentence))
        if match and (not who or match.group("claim").lower().startswith(who.lower())):
            forms.append(who + match.group("claim")[len(who) :] + "." if who else match.group("claim") + ".")
    return tuple(forms)


def _subject_of(claim: str, shared: str) -> str:
    if shared and claim.casefold().startswith(shared.casefold() + " "):
        return shared
    return subject(claim)


def resolve(misconception: Misconception, point: str, shared: str = "") -> str:
    """Replace a leading "They"/"Their" with the claim's subject so that the point stands on its own."""
    who = _subject_of(misconception.claim, shared)
    if not who:
        return point
    point = re.sub(r"^They\b", who, point)
    return re.sub(r"^Their\b", f"{who}’" if who.endswith("s") else f"{who}’s", point)


def _forms(point: str) -> list[str]:
    """A point as written, and cut before a clause that can go without changing what is true."""
    clipped = _CLIP.sub("", strip_end(point))
    shorter = [clipped + "."] if clipped != strip_end(point) and len(clipped.split()) >= 4 else []
    return [*shorter, point]


def _who(claim: _Claim) -> str:
    """The people the claim is about, in lower case ("machine learning engineers"), or ""."""
    return claim.who.lower()


def _args(claim: _Claim) -> dict[str, object]:
    return {"kind": KIND, "document": claim.document, "section": claim.misconception.label, "tags": TAGS}


def _reality(claim: _Claim, points: dict[int, list[str]]) -> str:
    return " ".join(points[id(claim.misconception)][:2])


def _which_is_myth(
    claim: _Claim, claims: Sequence[_Claim], points: dict[int, list[str]], turn: int
) -> list[Draft]:
    who = _who(claim)
    prompt = _MYTH_PROMPTS[turn % len(_MYTH_PROMPTS)].format(who=who) if who else "Which of these is a myth?"
    others = [f for c in claims if c is not claim for p in points[id(c.misconception)] for f in _forms(p)]
    qid = question_id("misconception", id_slug(claim.misconception.claim, 60))
    for correct in claim.forms:
        distractors = pick_distractors(correct, others, salt=qid, prompt=prompt, count=3, minimum=2)
        if distractors:
            return [
                multiple_choice(
                    id=qid,
                    prompt=prompt,
                    correct=correct,
                    distractors=distractors,
                    explanation=f"A misconception: {_reality(claim, points)}",
                    difficulty=EASY,
                    **_args(claim),
                )
            ]
    return []


def _claim_statement(claim: _Claim, points: dict[int, list[str]]) -> Draft:
    """The claim as a plain statement: false, with the text's reasons as the explanation."""
    return true_false(
        id=question_id("misconception", "belief", id_slug(claim.misconception.claim, 60)),
        prompt=f"True or false: {lower_first(strip_end(claim.forms[0]))}.",
        answer=False,
        explanation=f"False, a common misconception. {_reality(claim, points)}",
        difficulty=MEDIUM,
        **_args(claim),
    )


def _point_statement(claim: _Claim, points: dict[int, list[str]], used: set[str]) -> list[Draft]:
    """A true point as a plain statement, explained by the claim it answers and the text's next reason."""
    own = sorted(points[id(claim.misconception)], key=lambda p: stable_rank("swap", p))
    for point in own:
        if point in used or ABSOLUTE_WORDS & set(re.findall(r"[a-z]+", point.lower())):
            continue
        used.add(point)
        # The claim's other points are asked by other questions: repeating one here would give it away.
        return [
            true_false(
                id=question_id("misconception", "point", id_slug(point, 60)),
                prompt=f"True or false: {lower_first(_ALSO.sub('', strip_end(point), count=1))}.",
                answer=True,
                explanation=f"True, and it is why the belief that {lower_first(strip_end(claim.forms[0]))} "
                "is a misconception.",
                difficulty=EASY,
                **_args(claim),
            )
        ]
    return []


_ALSO = re.compile(r"\balso ")
"""Dropped from a point stated on its own: "also" refers back to the claim the player does not see."""
_CATCH_ALL = re.compile(r"\b(?:only|solely|just|purely)\b", re.IGNORECASE)
"""A claim like "they ONLY work on algorithms" is contradicted by almost any point about other work, so it
is never a wrong choice for someone else's point: two defensible answers make a bad question."""
_WEAK_WORDS = frozenset(
    {"make", "necessary", "need", "effective", "understand", "solution", "complex", "expert"}
)


def _which_belief(
    claim: _Claim, point: str, claims: Sequence[_Claim], points: dict[int, list[str]], used: set[str]
) -> list[Draft]:
    """ "<true point> Which common belief does this contradict?": the claims are the choices; a claim whose
    own points talk about the same things as this one is left out, so that only one choice fits. The
    explanation adds a point no other question asks about."""
    words = content_words(point) - _WEAK_WORDS - content_words(_who(claim))
    others = [
        other
        for other in claims
        if other is not claim
        and not _CATCH_ALL.search(other.forms[0])
        and not words & content_words(" ".join((other.forms[0], *points[id(other.misconception)])))
    ]
    prompt = f"“{strip_end(point)}.” Which common belief does this contradict?"
    qid = question_id("misconception", "contradicts", id_slug(point, 60))
    for correct in claim.forms:
        if echoes(content_words(correct) - content_words(claim.who), content_words(point)):
            continue  # the belief repeats the point's words: matching words would find it
        wrong = [min(o.forms, key=lambda f: abs(len(f) - len(correct))) for o in others]
        distractors = pick_distractors(correct, wrong, salt=qid, prompt=prompt, count=3, minimum=2)
        if distractors:
            break
    else:
        return []
    return [
        multiple_choice(
            id=qid,
            prompt=prompt,
            correct=correct,
            distractors=distractors,
            explanation=" ".join(
                [
                    f"It shows that the belief that {lower_first(strip_end(claim.forms[0]))} "
                    "is a misconception.",
                    *[p for p in points[id(claim.misconception)] if p != point and p not in used][:1],
                ]
            ),
            difficulty=HARD,
            **_args(claim),
        )
    ]


def _which_is_true(
    claim: _Claim, claims: Sequence[_Claim], points: dict[int, list[str]], used: set[str], turn: int
) -> list[Draft]:
    who = _who(claim)
    prompt = _FACT_PROMPTS[turn % len(_FACT_PROMPTS)].format(who=who) if who else "Which of these is true?"
    own_words = content_words(" ".join(claim.forms))
    for point in sorted(points[id(claim.misconception)], key=lambda p: stable_rank("fact", p)):
        if point in used:
            continue
        qid = question_id("misconception", "fact", id_slug(point, 60))
        for correct in _forms(point):
            # The other claims as the text states them, not their colourful restatements ("mathematical
            # wizards"): same-kind statements a player has to know to rule out.
            wrong = [c.forms[0] for c in claims if c is not claim and not _absolute(c.forms[0])]
            pool = [w for w in wrong if not content_words(w) & content_words(correct) - own_words]
            distractors = pick_distractors(correct, pool, salt=qid, prompt=prompt, count=3, minimum=2)
            if distractors:
                used.add(point)
                return [
                    multiple_choice(
                        id=qid,
                        prompt=prompt,
                        correct=correct,
                        distractors=distractors,
                        explanation=" ".join(
                            [
                                f"{strip_end(point)}: that is why the belief that "
                                f"{lower_first(strip_end(claim.forms[0]))} is a misconception.",
                            ]
                        ),
                        difficulty=MEDIUM,
                        **_args(claim),
                    )
                ]
    return []
