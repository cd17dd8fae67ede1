"""``quizbot generate``: turn plain-text articles into question banks.

The pipeline, each stage replaceable and tested on its own:

1. layout readers (:mod:`layouts`) find sections however the article marks them;
2. the section model (:mod:`sections`) holds claims with their points, FAQs with their answers, tools with
   their kinds and descriptions;
3. question makers, one per section kind (:mod:`misconceptions`, :mod:`faqs`, :mod:`tools`);
4. quality gates (:mod:`gates`): the same item-writing checks ``quizbot lint`` runs on any bank;
5. choice order, review decisions (:mod:`quizbot.review_record`) and writing (:mod:`writer`).

Every step is a pure function of the article text, so the same articles always give byte-identical files
and ids that follow the content: a score or a review decision recorded against a question stays attached
after a rerun.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from quizbot.checks import file_warnings
from quizbot.generate.difficulty import rate
from quizbot.generate.faqs import build_faq_questions
from quizbot.generate.gates import as_item, gate
from quizbot.generate.misconceptions import build_misconception_questions
from quizbot.generate.model import Draft
from quizbot.generate.sections import Article, read_article
from quizbot.generate.shuffle import shuffle_bank
from quizbot.generate.text import slugify
from quizbot.generate.tools import build_tool_questions, tool_count
from quizbot.generate.writer import render_bank
from quizbot.review_record import RECORD_NAME, ReviewRecord

KINDS: tuple[str, ...] = ("misconceptions", "faqs", "tools")
"""Section kinds, one output file each (``<kind>.yaml``)."""

EXIT_OK = 0
EXIT_NOTHING_USABLE = 1
EXIT_BAD_SOURCE = 2


@dataclass(frozen=True, slots=True)
class SourceReport:
    """What was found in one article."""

    document: str
    misconceptions: int
    faqs: int
    tools: int
    skipped_lines: int

    @property
    def found(self) -> list[str]:
        return [kind for kind in KINDS if getattr(self, kind)]

    @property
    def missing(self) -> list[str]:
        return [kind for kind in KINDS if not getattr(self, kind)]


@dataclass(slots=True)
class Generated:
    """The questions for each section kind, plus what the gates dropped and why."""

    banks: dict[str, list[Draft]]
    sources: list[SourceReport]
    articles: list[Article]
    dropped: list[tuple[str, str]] = field(default_factory=list)
    patterns: list[tuple[str, str]] = field(default_factory=list)
    """(kind, message) for what lint would say about a whole file (true/false share, longest choice)."""

    @property
    def total(self) -> int:
        return sum(len(drafts) for drafts in self.banks.values())

    @property
    def documents(self) -> list[str]:
        return [source.document for source in self.sources]


def generate(articles: Sequence[Article], record: ReviewRecord | None = None) -> Generated:
    """Make, check, order and (with ``record``) apply review decisions to the questions for ``articles``."""
    made = {
        "misconceptions": build_misconception_questions(articles),
        "faqs": build_faq_questions(articles),
        "tools": build_tool_questions(articles),
    }
    banks: dict[str, list[Draft]] = {}
    dropped: list[tuple[str, str]] = []
    patterns: list[tuple[str, str]] = []
    for kind in KINDS:
        kept, lost = gate([replace(d, difficulty=rate(d)) for d in made[kind]])
        dropped.extend(lost)
        shuffled = shuffle_bank(kept)
        banks[kind] = [replace(d, status=record.status_of(d)) if record else d for d in shuffled]
        patterns.extend((kind, w.message) for w in file_warnings([as_item(d) for d in banks[kind]]))
    sources = [
        SourceReport(
            document=a.document,
            misconceptions=len(a.misconceptions),
            faqs=len(a.faqs),
            tools=len(a.tool_names),
            skipped_lines=a.skipped_lines,
        )
        for a in articles
    ]
    return Generated(
        banks=banks, sources=sources, articles=list(articles), dropped=dropped, patterns=patterns
    )


def expand_sources(sources: Sequence[Path]) -> list[Path]:
    """Files as given, folders as their ``*.txt`` files; sorted by name so shell order never matters."""
    files: list[Path] = []
    for source in sources:
        files.extend(sorted(source.glob("*.txt")) if source.is_dir() else [source])
    return sorted(set(files), key=lambda p: (p.name, str(p)))


def write_banks(generated: Generated, out_dir: Path) -> list[Path]:
    """Write one file per section kind that has questions; kinds without questions write nothing."""
    out_dir.mkdir(parents=True, exist_ok=True)
    topic = slugify(out_dir.resolve().name, 60)
    schema = "../schema.json" if (out_dir / ".." / "schema.json").is_file() else None
    written = []
    for kind, drafts in generated.banks.items():
        if not drafts:
            continue
        path = out_dir / f"{kind}.yaml"
        text = render_bank(drafts, topic=topic, documents=generated.documents, schema=schema)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def generate_command(sources: list[Path], out_dir: Path) -> int:
    """Run ``quizbot generate SOURCE ... --out DIR``: print a report and return the exit code.

    Exit codes: 0 written; 1 the articles hold no usable section (nothing written, never an empty bank);
    2 a source could not be read, or the review record is broken (nothing written).
    """
    console = Console(highlight=False, soft_wrap=True, emoji=False)  # markup only from our own strings
    files = expand_sources(sources)
    if not files:
        console.print("[red]No source articles given (folders are searched for *.txt).[/red]")
        return EXIT_BAD_SOURCE
    articles: list[Article] = []
    for path in files:
        try:
            articles.append(read_article(path))
        except (OSError, UnicodeDecodeError) as exc:
            console.print(f"[red]Cannot read {escape(str(path))}: {escape(str(exc))}[/red]")
            return EXIT_BAD_SOURCE
    try:
        record = ReviewRecord.load(out_dir / RECORD_NAME)
    except ValueError as exc:
        console.print(f"[red]{escape(str(exc))}[/red]")
        return EXIT_BAD_SOURCE
    generated = generate(articles, record)
    _print_sources(console, generated)
    for dropped_id, reason in generated.dropped:
        console.print(f"[yellow]Dropped {escape(dropped_id)}: {escape(reason)}[/yellow]")
    for kind, message in generated.patterns:
        console.print(f"[yellow]{kind}.yaml: {escape(message)}[/yellow]")
    if not generated.total:
        console.print(
            "[red]No misconceptions, FAQs or tools were found in any source; nothing was written.[/red]"
        )
        return EXIT_NOTHING_USABLE
    written = write_banks(generated, out_dir)
    for path in written:
        console.print(f"Wrote {len(generated.banks[path.stem])} questions to {escape(str(path))}")
    for kind, drafts in generated.banks.items():
        if not drafts and (out_dir / f"{kind}.yaml").exists():
            console.print(
                f"[yellow]No {kind} found this time; left the existing {kind}.yaml as it was.[/yellow]"
            )
    statuses = [d.status for drafts in generated.banks.values() for d in drafts]
    counts = ", ".join(f"{len(drafts)} {kind}" for kind, drafts in generated.banks.items())
    tools = tool_count(generated.banks["tools"], generated.articles)
    console.print(f"[green]{generated.total} questions in total ({counts}; {tools} distinct tools).[/green]")
    drafts = statuses.count("draft")
    if drafts:
        console.print(
            f"{drafts} drafts are not served until approved: run `quizbot review {escape(str(out_dir))}`."
        )
    return EXIT_OK


def _print_sources(console: Console, generated: Generated) -> None:
    """One line per source: what was found, and by name what was not, so a wrong file is obvious."""
    labels = {
        "misconceptions": ("misconception", "misconceptions"),
        "faqs": ("FAQ", "FAQs"),
        "tools": ("tool", "tools"),
    }
    for source in generated.sources:
        found = [
            f"{getattr(source, kind)} {labels[kind][getattr(source, kind) != 1]}" for kind in source.found
        ]
        missing = ", ".join(f"no {labels[kind][1]}" for kind in source.missing)
        parts = [", ".join(found)] if found else []
        if missing:
            parts.append(f"[yellow]{missing} found[/yellow]")
        if source.skipped_lines:
            parts.append(f"{source.skipped_lines} non-English lines skipped")
        console.print(f"[bold]{escape(source.document)}[/bold]: " + "; ".join(parts))


__all__ = ["KINDS", "Generated", "expand_sources", "generate", "generate_command", "write_banks"]
