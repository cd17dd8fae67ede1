"""Split a plain-text article into the sections the question builders understand.

Articles arrive as text extracted from web pages: headings, paragraphs, bullet lists and tables all become
plain lines, separated by blank lines. This module recognises three shapes in them:

- misconceptions: ``Misconception #N: <claim>``, an optional introduction, then bullet points that support
  the correction;
- FAQs: a standalone question line (ending in ``?``) followed by its answer paragraph, possibly after a short
  sub-heading;
- tools: known tool names wherever they occur, with the description when the line is a row of a
  "Tool ... Description" table.

Lines in another script than Latin (an article may be half Chinese) are kept for tool names, which are
spelled the same in any language, but never become prompts: the builders only write English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from quizbot.generate.knowledge import TOOLS, Tool
from quizbot.generate.text import is_latin_text, normalise_space, split_sentences, strip_end

_BULLET = re.compile(r"^\s*(?:[•●◦▪‣∙·*\-–]|\d{1,2}[.)])\s+")
_MISCONCEPTION = re.compile(r"^Misconception\s*#?\s*(\d{1,3})\s*[:.–—-]\s*(.+?)\s*$", re.IGNORECASE)
_TABLE_PREFIX = re.compile(r"^Table\s*\d*\s*[:.–-]\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line of an article with what the splitter learnt about it."""

    number: int
    """1-based line number in the source file, for reports."""
    text: str
    bullet: bool
    latin: bool
    blank_before: bool
    blank_after: bool

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    @property
    def is_prose(self) -> bool:
        """A sentence or paragraph rather than a heading: long enough and finished with a full stop."""
        return (
            self.latin
            and not self.bullet
            and self.word_count >= 8
            and (self.text.endswith((".", "!")) or ". " in self.text)
        )

    @property
    def is_heading(self) -> bool:
        short = self.word_count <= 12 if self.latin else len(self.text) <= 30 and "。" not in self.text
        ended = self.text.endswith((".", "!", "?", "。", "？", "！"))
        return not self.bullet and not ended and short and self.blank_before and self.blank_after

    @property
    def is_question(self) -> bool:
        return (
            self.latin
            and not self.bullet
            and self.text.endswith("?")
            and 3 <= self.word_count <= 25
            and self.blank_before
            and len(split_sentences(self.text)) == 1
        )


@dataclass(frozen=True, slots=True)
class Misconception:
    """``Misconception #N: claim``: a false claim and the points the article makes against it."""

    number: int
    claim: str
    intro: str
    points: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Faq:
    """A question heading and the paragraph that answers it."""

    question: str
    answer: str
    line: int

    @property
    def sentences(self) -> list[str]:
        """The answer's sentences, without lead-ins like "Here's an overview:" that announce a list."""
        return [s for s in split_sentences(self.answer) if not s.endswith(":")]


@dataclass(frozen=True, slots=True)
class ToolMention:
    """A known tool named in the article, with the sentence (or table row) that names it."""

    tool: Tool
    line: int
    context: str
    heading: str
    latin: bool
    description: str = ""
    """Set when the line is a row of a tools table: what the article says the tool is."""


@dataclass(slots=True)
class Article:
    """One source article: its lines and the sections found in them."""

    document: str
    lines: list[Line]
    misconceptions: list[Misconception] = field(default_factory=list)
    faqs: list[Faq] = field(default_factory=list)
    tools: list[ToolMention] = field(default_factory=list)

    @property
    def skipped_lines(self) -> int:
        """Lines in another script: kept for tool names only."""
        return sum(1 for line in self.lines if not line.latin)


def read_article(path: Path) -> Article:
    """Read and split one article file (UTF-8, with or without BOM)."""
    return parse_article(path.name, path.read_text(encoding="utf-8-sig"))


def parse_article(document: str, text: str) -> Article:
    lines = _split_lines(text)
    article = Article(document=document, lines=lines)
    article.misconceptions = _find_misconceptions(lines)
    article.faqs = _find_faqs(lines)
    article.tools = _find_tools(lines)
    return article


def _split_lines(text: str) -> list[Line]:
    raw = [normalise_space(line) for line in text.splitlines()]
    result: list[Line] = []
    for i, line in enumerate(raw):
        if not line:
            continue
        bullet = bool(_BULLET.match(line))
        body = _BULLET.sub("", line) if bullet else line
        result.append(
            Line(
                number=i + 1,
                text=body,
                bullet=bullet,
                latin=is_latin_text(body),
                blank_before=i == 0 or not raw[i - 1],
                blank_after=i + 1 >= len(raw) or not raw[i + 1],
            )
        )
    return result


def _find_misconceptions(lines: list[Line]) -> list[Misconception]:
    found: list[Misconception] = []
    for index, line in enumerate(lines):
        match = _MISCONCEPTION.match(line.text)
        if not match or line.bullet:
            continue
        intro: list[str] = []
        points: list[str] = []
        for following in lines[index + 1 :]:
            if _MISCONCEPTION.match(following.text):
                break
            if following.bullet:
                points.append(following.text)
            elif points or not following.latin or not following.text.endswith((".", "!", ":")):
                break  # a heading (or the next section) after the introduction or the points
            else:
                intro.append(following.text)
        claim = strip_end(match.group(2))
        if claim and (points or intro):
            found.append(
                Misconception(
                    number=int(match.group(1)),
                    claim=claim,
                    intro=" ".join(intro),
                    points=tuple(points),
                    line=line.number,
                )
            )
    return found


def _find_faqs(lines: list[Line]) -> list[Faq]:
    """A question line, at most two short sub-heading lines, then the prose paragraphs that answer it."""
    found: list[Faq] = []
    for index, line in enumerate(lines):
        if not line.is_question:
            continue
        answer: list[str] = []
        skipped = 0
        for following in lines[index + 1 :]:
            if following.is_question or following.bullet or _MISCONCEPTION.match(following.text):
                break
            if following.is_prose:
                answer.append(following.text)
                continue
            if answer or skipped >= 2 or following.word_count > 16:
                break
            skipped += 1
        if answer:
            found.append(Faq(question=line.text, answer=" ".join(answer), line=line.number))
    return found


def _find_tools(lines: list[Line]) -> list[ToolMention]:
    mentions: list[ToolMention] = []
    heading = ""
    in_tools_table = False
    for line in lines:
        if line.is_heading and not line.is_question:
            heading = _TABLE_PREFIX.sub("", strip_end(line.text))
        if line.blank_before:
            in_tools_table = False
        header = line.text.lower()
        if "tool" in header and "description" in header and line.word_count <= 4:
            in_tools_table = True
            continue
        for tool in TOOLS:
            match = tool.pattern.search(line.text)
            if not match:
                continue
            description = ""
            if in_tools_table and match.start() == 0:
                description = strip_end(line.text[match.end() :].strip(" :–-"))
            mentions.append(
                ToolMention(
                    tool=tool,
                    line=line.number,
                    context=_sentence_around(line.text, match.start()),
                    heading=heading,
                    latin=line.latin,
                    description=description,
                )
            )
    return mentions


def _sentence_around(text: str, position: int) -> str:
    offset = 0
    for sentence in split_sentences(text):
        start = text.find(sentence, offset)
        if start <= position < start + len(sentence):
            return sentence
        offset = max(offset, start)
    return text
