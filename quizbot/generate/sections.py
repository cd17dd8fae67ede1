"""The section model: what an article says, whatever its layout.

Layout readers (:mod:`layouts`) turn an article's lines into these records; question makers only ever see
these records, never the raw text. Every fact a question asserts comes from a field here, so a question
can only say what the article said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from quizbot.generate.lines import Line, split_lines


@dataclass(frozen=True, slots=True)
class Misconception:
    """A false claim and the true points the article makes against it."""

    number: int
    claim: str
    points: tuple[str, ...]
    """True statements, each one sentence ("Reality:" text, or the bullet points under the claim)."""
    intro: str
    line: int
    label: str
    """How the article names it: "Misconception #2", "Myth 3"."""


@dataclass(frozen=True, slots=True)
class Faq:
    """A question the article asks and the paragraph that answers it."""

    question: str
    answer: str
    line: int


@dataclass(frozen=True, slots=True)
class ToolGroup:
    """Tools the article names together as examples of one kind: "cloud services like AWS or Azure"."""

    kind: str
    """The kind in the article's words, plural and lower case: "cloud services"."""
    tools: tuple[str, ...]
    sentence: str
    line: int


@dataclass(frozen=True, slots=True)
class ToolDescription:
    """A row of a tools table: the tool's name and what the article says it is or does."""

    name: str
    description: str
    table: str
    """The table's heading, for the question's source."""
    line: int


@dataclass(frozen=True, slots=True)
class DataTable:
    """A table that is neither a tools table nor a list: figures ("Technology 40%") or terms with what they
    mean ("Model Interpretability Ensuring transparency …"). A FAQ whose question the table's heading
    repeats ("What industries employ …?" and "Industries Employing …") is answered by it, so a question
    can set its rows against each other instead of against another FAQ's list."""

    heading: str
    """The heading above it without "Table:": "Industries Employing Machine Learning Engineers"."""
    intro: str
    """The sentence between heading and table, or "": it often says what the table is about."""
    label_title: str
    """The first column's title: "Industry", "Challenges"."""
    value_title: str
    """The second column's title: "Percentage of Employed Engineers", "Description"."""
    rows: tuple[tuple[str, str], ...]
    """(label, value) per row, as written: ("Technology", "40%")."""
    line: int

    @property
    def shares(self) -> bool:
        """Every value is a percentage: the rows are shares of one whole."""
        return all(_PERCENT.fullmatch(value) for _, value in self.rows)


_PERCENT = re.compile(r"\d{1,3}(?:\.\d+)?\s?%")


@dataclass(slots=True)
class Article:
    """One source article and the sections found in it."""

    document: str
    lines: list[Line]
    misconceptions: list[Misconception] = field(default_factory=list)
    faqs: list[Faq] = field(default_factory=list)
    tool_groups: list[ToolGroup] = field(default_factory=list)
    tool_descriptions: list[ToolDescription] = field(default_factory=list)
    tables: list[DataTable] = field(default_factory=list)

    @property
    def skipped_lines(self) -> int:
        """Lines in another script than Latin: never turned into questions."""
        return sum(1 for line in self.lines if not line.latin)

    @property
    def tool_names(self) -> set[str]:
        """Every tool the article describes or names as an example of a kind (folded for comparing)."""
        names = {tool_key(d.name) for d in self.tool_descriptions}
        names.update(tool_key(t) for g in self.tool_groups for t in g.tools)
        return names


def tool_key(name: str) -> str:
    """One key for the spellings of a tool: "Scikit-Learn", "scikit-learn", "Apache Spark" and "Spark"."""
    folded = " ".join(name.casefold().split())
    return folded.removeprefix("apache ")


def read_article(path: Path) -> Article:
    """Read and split one article file (UTF-8, with or without BOM)."""
    return parse_article(path.name, path.read_text(encoding="utf-8-sig"))


def parse_article(document: str, text: str) -> Article:
    from quizbot.generate.layouts import read_sections

    return read_sections(document, split_lines(text))
