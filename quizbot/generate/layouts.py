"""Layout readers: one per way articles mark a section, all feeding the one section model.

Each reader looks at the article's lines and returns the sections it recognises, or nothing. Adding a
layout is adding a reader to one of the tuples at the bottom; readers never build questions.

Misconceptions: ``Misconception #N: claim``, ``Myth N: claim``, ``N. Misconception: claim`` (or ``Myth``),
followed by bullet points and/or a ``Reality:``/``Fact:``/``Truth:`` paragraph.
FAQs: ``Q: …`` / ``A: …`` (also ``Q. …``/``A. …``), and question headings ending in ``?`` followed by an
answer paragraph.
Tools: tables whose first column names tools (``Tool``, ``Framework``, ``Library``…) and whose second
describes them (``Description``, ``Purpose``, ``Used for``…), and "X such as A, B and C" lists of names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

from quizbot.generate.lines import Line
from quizbot.generate.sections import Article, DataTable, Faq, Misconception, ToolDescription, ToolGroup
from quizbot.generate.text import split_sentences, strip_end, word_set

_T = TypeVar("_T")
_QUOTES = "\"'“”‘’"
_HEADED = re.compile(r"^(Misconception|Myth)\s*#?\s*(\d{1,3})\s*[:.–—-]\s*(.+?)\s*$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(Misconception|Myth)\s*[:–—-]\s*(.+?)\s*$", re.IGNORECASE)
_REALITY = re.compile(r"^(?:Reality|Fact|Truth|The truth|The reality)\s*[:–—-]\s*(.+)$", re.IGNORECASE)
_Q = re.compile(r"^Q(?:uestion)?\s*\d{0,3}\s*[:.)]\s*(.+\?)\s*$")
_A = re.compile(r"^A(?:nswer)?\s*\d{0,3}\s*[:.)]\s*(.+)$")
_CONTRAST = re.compile(r"^(?:However|But|In fact|Actually|In reality)\s*,\s*", re.IGNORECASE)


# --- misconceptions ---------------------------------------------------------------------------------------


def _misconception_start(line: Line) -> tuple[str, int, str] | None:
    """(label, number, claim) when ``line`` opens a misconception in any known layout."""
    if not line.latin:
        return None
    headed = _HEADED.match(line.text)
    if headed and not line.bullet:
        word, number, claim = headed.groups()
        return (
            f"{word.capitalize()} #{number}" if word.lower() == "misconception" else f"Myth {number}",
            int(number),
            claim,
        )
    numbered = _NUMBERED.match(line.text)
    if numbered and line.marker[:-1].isdigit():
        word, claim = numbered.groups()
        return f"{word.capitalize()} {line.marker[:-1]}", int(line.marker[:-1]), claim
    return None


def read_misconceptions(lines: Sequence[Line]) -> list[Misconception]:
    """``Misconception #N:``, ``Myth N:`` and ``N. Misconception:`` sections with points or a reality."""
    found: list[Misconception] = []
    for index, line in enumerate(lines):
        start = _misconception_start(line)
        if not start:
            continue
        label, number, claim = start
        intro: list[str] = []
        points: list[str] = []
        for following in lines[index + 1 :]:
            if _misconception_start(following) or not following.latin:
                break
            reality = _REALITY.match(following.text)
            if reality:
                points.extend(split_sentences(reality.group(1)))
            elif following.bullet:
                points.append(following.text)
            elif points or not following.text.endswith((".", "!", ":")):
                break  # a heading or the next section
            else:
                intro.append(following.text)
        claim = strip_end(claim.strip(_QUOTES)).strip(_QUOTES)
        points = [strip_end(p) + "." for p in points if len(p.split()) >= 4]
        if claim and points:
            found.append(
                Misconception(
                    number=number,
                    claim=claim,
                    points=tuple(points),
                    intro=" ".join(_CONTRAST.sub("", s) for s in intro),
                    line=line.number,
                    label=label,
                )
            )
    return found


# --- FAQs -------------------------------------------------------------------------------------------------


def read_qa_blocks(lines: Sequence[Line]) -> list[Faq]:
    """``Q: …?`` followed by ``A: …`` (or ``Q. …``/``A. …``), the answer running on over prose lines."""
    found: list[Faq] = []
    for index, line in enumerate(lines):
        question = _Q.match(line.text) if line.latin else None
        if not question or index + 1 >= len(lines):
            continue
        first = _A.match(lines[index + 1].text)
        if not first:
            continue
        answer = [first.group(1)]
        for following in lines[index + 2 :]:
            if _Q.match(following.text) or not following.is_prose or following.blank_before:
                break
            answer.append(following.text)
        found.append(Faq(question=question.group(1), answer=" ".join(answer), line=line.number))
    return found


def read_question_headings(lines: Sequence[Line]) -> list[Faq]:
    """A question line, at most two short sub-heading lines, then the prose paragraphs that answer it."""
    found: list[Faq] = []
    for index, line in enumerate(lines):
        if not line.is_question_heading or not line.blank_before or _Q.match(line.text):
            continue
        answer: list[str] = []
        skipped = 0
        for following in lines[index + 1 :]:
            if following.is_question_heading or following.bullet or _misconception_start(following):
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


# --- tools ------------------------------------------------------------------------------------------------

_TOOL_HEADER = re.compile(
    r"^(?:tools?|frameworks?|librar(?:y|ies)|software|platforms?|technolog(?:y|ies)|packages?|name)$"
)
_DESCRIPTION_HEADER = re.compile(
    r"^(?:description|purpose|use|used for|what it does|role|function|details|notes?)$", re.IGNORECASE
)
_COLUMN = re.compile(r"\s*(?:\||\t)\s*")
_DETERMINER = re.compile(r"^(?:A|An|The)$")
_CONNECTORS = frozenset({"and", "of", "&", "/"})
"""Lower-case words inside a title-cased name: "Security and Privacy", "Quality of Service"."""


def _cells(text: str) -> list[str]:
    """A line split at its column borders ("| Tool | Purpose |", tabs); one cell when it has none."""
    return [c for c in _COLUMN.split(text.strip("| ")) if c]


def _without_table_label(heading: str) -> str:
    """ "Table 2: Industries Employing …" → "Industries Employing …"."""
    return re.sub(r"^Table\s*\d*\s*[:.–-]\s*", "", heading)


def _header_columns(line: Line) -> tuple[str, str] | None:
    """The two column titles of a table header line: "Tool | Purpose", "Tool/Framework Description"."""
    cells = _cells(line.text)
    if len(cells) == 2:
        return cells[0], cells[1]
    words = line.text.split()
    if 2 <= len(words) <= 4 and not line.text.endswith((".", ":", "?")):
        for split in (len(words) - 2, len(words) - 1):
            if split >= 1 and _DESCRIPTION_HEADER.match(" ".join(words[split:])):
                return " ".join(words[:split]), " ".join(words[split:])
    return None


def _is_tool_column(title: str) -> bool:
    parts = re.split(r"\s*(?:/|&|\band\b)\s*", title.lower())
    return all(_TOOL_HEADER.match(part) for part in parts if part)


def split_row(text: str) -> tuple[str, str] | None:
    """A table row as (name, description): by its column separator, else where the description starts.

    Extracted web tables lose their column borders ("TensorFlow An open-source framework …"), so the
    description is taken to start at the first "A"/"An"/"The" after the name, else at the last word of the
    leading run of capitalised words ("Data Visualization Skilled in …").
    """
    cells = _cells(text)
    if len(cells) == 2:
        return cells[0], cells[1]
    words = text.split()
    for i, word in enumerate(words[1:], start=1):
        if _DETERMINER.match(word):
            return " ".join(words[:i]), " ".join(words[i:])
        if not word[:1].isupper():
            break
    run = 0
    while run < len(words) and (
        words[run][:1].isupper()
        or (0 < run < len(words) - 1 and words[run] in _CONNECTORS and words[run + 1][:1].isupper())
    ):
        run += 1
    if run >= 2 and run < len(words):
        return " ".join(words[: run - 1]), " ".join(words[run - 1 :])
    return None


class _Table(NamedTuple):
    columns: tuple[str, str]
    """The header's two column titles."""
    heading: str
    """The nearest heading above it, without "Table:"."""
    rows: list[Line]
    header: int
    """The header line's index in the lines read."""


def _tables(lines: Sequence[Line]) -> list[_Table]:
    """Every two-column table under a header line."""
    tables = []
    for index, line in enumerate(lines):
        columns = _header_columns(line) if line.latin and not line.bullet else None
        if not columns:
            continue
        rows = []
        for following in lines[index + 1 :]:
            if following.blank_before or following.bullet:
                break
            rows.append(following)
        heading = next((h.text for h in reversed(lines[:index]) if h.is_heading and h.latin), "")
        tables.append(_Table(columns, _without_table_label(heading), rows, index))
    return tables


def read_tool_tables(lines: Sequence[Line]) -> list[ToolDescription]:
    """Rows of tables whose first column names tools and whose second describes them."""
    found = []
    for (title, _), heading, rows, _ in _tables(lines):
        if not _is_tool_column(title):
            continue
        for row in rows:
            cells = split_row(row.text)
            if cells and len(cells[0].split()) <= 4:
                found.append(ToolDescription(cells[0], strip_end(cells[1]), heading or title, row.number))
    return found


_SHARE_ROW = re.compile(r"^(?P<label>.+?)\s+(?P<value>\d{1,3}(?:\.\d+)?\s?%)$")
_SHARE_TITLE = re.compile(r"\b(?:percent(?:age)?|share|proportion|%)", re.IGNORECASE)


def _share_row(text: str) -> tuple[str, str] | None:
    cells = _cells(text)
    if len(cells) == 2 and _SHARE_ROW.match(f"x {cells[1]}"):
        return cells[0], cells[1]
    match = _SHARE_ROW.match(text)
    return (match.group("label"), match.group("value")) if match else None


def _share_titles(text: str) -> tuple[str, str]:
    """ "Industry Percentage of Employed Engineers" → ("Industry", "Percentage of Employed Engineers")."""
    cells = _cells(text)
    if len(cells) == 2:
        return cells[0], cells[1]
    match = _SHARE_TITLE.search(text)
    if match and match.start() > 0:
        return text[: match.start()].strip(), text[match.start() :].strip()
    return "", text


def _heading_and_intro(lines: Sequence[Line], index: int) -> tuple[str, str]:
    """The heading above line ``index`` (without "Table:") and the prose line between them, if any."""
    intro = ""
    for line in reversed(lines[:index]):
        sentence = line.word_count >= 6 and line.text.endswith((".", ":", "!"))
        if line.is_heading and line.latin and not sentence:
            return _without_table_label(line.text), intro
        if sentence and not intro and not line.bullet:
            intro = line.text
        else:
            break
    return "", intro


def read_share_tables(lines: Sequence[Line]) -> list[DataTable]:
    """Tables of figures: a header line, then three or more rows that each end in a percentage."""
    found = []
    index = 1
    while index < len(lines):
        rows: list[tuple[str, str]] = []
        end = index
        while end < len(lines) and not lines[end].bullet and (end == index or not lines[end].blank_before):
            row = _share_row(lines[end].text)
            if not row:
                break
            rows.append(row)
            end += 1
        header = lines[index - 1]
        if len(rows) >= 3 and header.latin and not header.bullet and not _share_row(header.text):
            heading, intro = _heading_and_intro(lines, index - 1)
            label_title, value_title = _share_titles(header.text)
            found.append(DataTable(heading, intro, label_title, value_title, tuple(rows), header.number))
            index = end
        index += 1
    return found


def read_term_tables(lines: Sequence[Line]) -> list[DataTable]:
    """Tables of terms and what they mean ("Challenges | Description"), other than tools tables."""
    found = []
    for (title, value_title), _, rows, header in _tables(lines):
        if _is_tool_column(title) or len(rows) < 3 or not _DESCRIPTION_HEADER.match(value_title):
            continue  # a row of another table ("| Retail | 14% |") also splits into two cells
        cells = [split_row(row.text) for row in rows]
        if not all(cells):
            continue
        heading, intro = _heading_and_intro(lines, header)
        found.append(
            DataTable(
                heading,
                intro,
                title,
                value_title,
                tuple((c[0], strip_end(c[1])) for c in cells if c),
                lines[header].number,
            )
        )
    return found


_TRIGGER = re.compile(r"(?:,\s*)?\s(?:such as|like|including|\(e\.g\.,?|e\.g\.,?)\s+")
_LABEL_STOP = word_set(
    """in with of using for on by the a an and or are is be to as from into use uses used including through
    via across between over under within relies rely available several popular various many some other own
    such familiarity experience knowledge proficiency proficient understanding skilled ability"""
)
_TRAILING = frozenset({"available", "used", "out", "there"})
_GENERIC_KINDS = frozenset(
    [
        "tools",
        "languages",
        "libraries",
        "frameworks",
        "services",
        "platforms",
        "technologies",
        "packages",
        "systems",
    ]
)
_NEW_PHRASE = re.compile(r"\s+[A-Z][\w-]*\s+(?:of|in|with|for|to)\b.*$")
_NAME = re.compile(r"^(?:[A-Z0-9][\w.+#-]*|[a-z]+[-.][\w.-]+)(?:\s+[A-Z0-9][\w.+#-]*){0,2}$")


def _kind_before(text: str) -> str:
    """The kind a list illustrates: the noun phrase right before "such as"/"like"."""
    words = text.rstrip(" ,(").split()
    while words and words[-1].lower() in _TRAILING:
        words.pop()
    kind: list[str] = []
    for word in reversed(words):
        bare = word.strip(",.;:()").lower()
        if (kind and word.endswith(",")) or (bare in _LABEL_STOP and not (bare == "and" and kind)):
            break
        kind.insert(0, bare)
        if len(kind) >= 5:
            break
    while kind and kind[0] == "and":
        kind.pop(0)
    return " ".join(kind)


def _items(text: str) -> list[str]:
    """Names in "A, B, or C …" up to where the list ends."""
    text = re.split(r"[();:]|\.(?:\s|$)", text, maxsplit=1)[0]
    text = _NEW_PHRASE.sub("", text)
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", text) if p.strip()]
    items = []
    for i, part in enumerate(parts):
        if i == len(parts) - 1:
            part = re.split(r"\s+(?=[a-z])(?![a-z]+[-.])", part, maxsplit=1)[0]
        if not _NAME.match(part) or part.lower() in ("etc", "others"):
            break
        items.append(part.rstrip("."))
    return items


def read_example_lists(lines: Sequence[Line]) -> list[ToolGroup]:
    """ "X such as A, B, and C" (also "like", "including", "(e.g., A, B)") where A, B, C are names."""
    found = []
    rows = {row.number: name for table in _tables(lines) for row in table.rows if (name := _row_name(row))}
    for line in lines:
        if not line.latin:
            continue
        for sentence in split_sentences(line.text):
            for match in _TRIGGER.finditer(sentence):
                items = _items(sentence[match.end() :])
                single_ok = "e.g" in match.group(0)
                if len(items) < (1 if single_ok else 2):
                    continue
                kind = _kind_before(sentence[: match.start()])
                if not kind:
                    continue
                if kind in _GENERIC_KINDS:
                    row = rows.get(line.number, "") or _label_of(line.text)
                    if not row:
                        continue
                    kind = row.lower() if row.lower().endswith(kind) else f"{row.lower()} {kind}"
                found.append(ToolGroup(kind=kind, tools=tuple(items), sentence=sentence, line=line.number))
    return found


def _row_name(row: Line) -> str:
    cells = split_row(row.text)
    return cells[0] if cells else ""


def _label_of(text: str) -> str:
    """ "Cloud Platforms: Experience with …" → "Cloud Platforms"."""
    label, sep, _ = text.partition(":")
    return label if sep and 1 <= len(label.split()) <= 4 else ""


# --- all readers ------------------------------------------------------------------------------------------

MISCONCEPTION_READERS: tuple[Callable[[Sequence[Line]], list[Misconception]], ...] = (read_misconceptions,)
FAQ_READERS: tuple[Callable[[Sequence[Line]], list[Faq]], ...] = (read_qa_blocks, read_question_headings)
TOOL_TABLE_READERS: tuple[Callable[[Sequence[Line]], list[ToolDescription]], ...] = (read_tool_tables,)
TABLE_READERS: tuple[Callable[[Sequence[Line]], list[DataTable]], ...] = (read_share_tables, read_term_tables)
TOOL_LIST_READERS: tuple[Callable[[Sequence[Line]], list[ToolGroup]], ...] = (read_example_lists,)


def read_sections(document: str, lines: list[Line]) -> Article:
    """Run every reader; a section two readers both recognise is kept once (first line wins)."""
    article = Article(document=document, lines=lines)
    article.misconceptions = _unique([m for r in MISCONCEPTION_READERS for m in r(lines)], lambda m: m.line)
    article.faqs = _unique([f for r in FAQ_READERS for f in r(lines)], lambda f: f.question.casefold())
    article.tool_descriptions = _unique([d for r in TOOL_TABLE_READERS for d in r(lines)], lambda d: d.line)
    article.tool_groups = [g for r in TOOL_LIST_READERS for g in r(lines)]
    article.tables = _unique([t for r in TABLE_READERS for t in r(lines)], lambda t: t.line)
    return article


def _unique(items: list[_T], key: Callable[[_T], object]) -> list[_T]:
    seen: dict[object, _T] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return sorted(seen.values(), key=lambda item: getattr(item, "line", 0))
