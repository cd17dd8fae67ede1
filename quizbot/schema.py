"""The question-file format, as pydantic models.

These models are the single definition of what an admin may write: the loader validates against them and
``quizbot schema`` publishes their JSON Schema so editors can check a file while it is typed. Models are
strict: a number or a boolean where text is expected is an error, never silently converted.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
"""Non-empty text. 2000 characters keeps a prompt inside Discord's message limit."""

ChoiceText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,79}$")]
"""Stable forever (scores refer to it), short enough to fit in a platform's custom id."""

ImageUrl = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=2000, pattern=r"^https://[^\s/?#]+\.[^\s/?#]+[^\s]*$"
    ),
]
"""An https link: Slack's image block and Discord's embed image both fetch it themselves, over https."""

DifficultyName = Literal["easy", "medium", "hard"]
StatusName = Literal["draft", "approved", "rejected"]
"""Review state: only approved questions are served (missing means approved, for hand-written banks)."""

MIN_CHOICES = 2
MAX_CHOICES = 5
"""Five choices keep a question on one row of Discord buttons (5 per row) and readable on a phone."""

_STRICT = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


class SourceSpec(BaseModel):
    """Provenance of a generated question: which article and which section of it."""

    model_config = _STRICT
    document: Text
    section: Text


class _QuestionBase(BaseModel):
    model_config = _STRICT
    id: QuestionId = Field(description="Unique across all loaded files and stable forever.")
    prompt: Text
    explanation: Text | None = Field(
        default=None,
        description="Shown right after an answer, right or wrong. Optional (imported banks have none), "
        "but a question without one teaches nothing: `quizbot lint` warns.",
    )
    difficulty: DifficultyName | None = Field(
        default=None, description="Defaults to the file's, else medium."
    )
    topic: Text | None = None
    tags: list[Text] | None = None
    source: SourceSpec | None = None
    image: ImageUrl | None = Field(
        default=None,
        description="An https link to a picture shown with the question (Discord embed image, Slack "
        "image block, a link in the terminal).",
    )
    status: StatusName | None = Field(
        default=None,
        description="draft (not served until reviewed), approved (the default) or rejected (never served).",
    )


SHUFFLE_HELP = (
    "Choices are shown in a new random order each time the question is asked; false keeps the order "
    "written here (years, 'none of these'). Defaults to the file's, else true."
)


class MultipleChoiceSpec(_QuestionBase):
    type: Literal["multiple_choice"]
    choices: list[ChoiceText] = Field(min_length=MIN_CHOICES, max_length=MAX_CHOICES)
    answer: ChoiceText = Field(description="The text of the correct choice, exactly as in choices.")
    shuffle: bool | None = Field(default=None, description=SHUFFLE_HELP)


class TrueFalseSpec(_QuestionBase):
    type: Literal["true_false"]
    answer: bool


class ShortAnswerSpec(_QuestionBase):
    type: Literal["short_answer"]
    answers: list[Text] = Field(min_length=1, description="Every answer that counts as right.")
    reject: list[Text] | None = Field(
        default=None,
        description="Near misses that never count, however close to an accepted answer they are typed.",
    )
    typos: bool = Field(
        default=True,
        description="false: forgive no typo; case, accents, spacing and punctuation are still ignored.",
    )


QuestionSpec = Annotated[MultipleChoiceSpec | TrueFalseSpec | ShortAnswerSpec, Field(discriminator="type")]
QUESTION_ADAPTER: TypeAdapter[MultipleChoiceSpec | TrueFalseSpec | ShortAnswerSpec] = TypeAdapter(
    QuestionSpec
)

QUESTION_TYPES = ("multiple_choice", "true_false", "short_answer")
QUESTION_KEYS: frozenset[str] = frozenset(
    set(MultipleChoiceSpec.model_fields) | set(TrueFalseSpec.model_fields) | set(ShortAnswerSpec.model_fields)
)


class FileDefaults(BaseModel):
    """File-level defaults applied to every question that does not set its own."""

    model_config = _STRICT
    topic: Text | None = None
    difficulty: DifficultyName | None = None
    tags: list[Text] | None = None
    source: SourceSpec | None = None
    shuffle: bool | None = Field(
        default=None, description="Default of 'shuffle' for the file's multiple-choice questions."
    )


class BankFileSpec(FileDefaults):
    """A whole question file: defaults plus the list of questions."""

    questions: list[QuestionSpec] = Field(min_length=1)


FILE_KEYS: frozenset[str] = frozenset(BankFileSpec.model_fields)


def json_schema() -> str:
    """The JSON Schema of a question file, stable text for committing next to the banks."""
    schema = BankFileSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "quizbot question file"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
