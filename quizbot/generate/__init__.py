"""``quizbot generate``: turn plain-text articles into question banks.

The pipeline is read → split into sections → build questions per section kind → check → shuffle → write.
Every step is a pure function of the article text, so the same articles always give byte-identical files
and ids that follow the content: a score recorded against a question stays attached after a rerun.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from quizbot.generate.faqs import build_faq_questions
from quizbot.generate.misconceptions import build_misconception_questions
from quizbot.generate.model import Draft, question_id
from quizbot.generate.quality import duplicate_prompts, problems
from quizbot.generate.sections import Article, read_article
from quizbot.generate.shuffle import shuffle_bank
from quizbot.generate.text import short_hash, slugify
from quizbot.generate.tools import build_tool_questions, mentioned_tools, tool_count
from quizbot.generate.writer import render_bank

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
    """The questions for each section kind, plus what was dropped and why."""

    banks: dict[str, list[Draft]]
    sources: list[SourceReport]
    dropped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(drafts) for drafts in self.banks.values())

    @property
    def documents(self) -> list[str]:
        return [source.document for source in self.sources]


def generate(articles: Sequence[Article]) -> Generated:
    """Build, check and shuffle the questions for ``articles`` (already in their final order)."""
    drafts = [
        *build_misconception_questions(articles),
        *build_faq_questions(articles, mentioned_tools(articles)),
        *build_tool_questions(articles),
    ]
    kept, dropped = _checked(drafts)
    shuffled = shuffle_bank(kept)
    banks = {kind: [d for d in shuffled if d.kind == kind] for kind in KINDS}
    sources = [
        SourceReport(
            document=a.document,
            misconceptions=len(a.misconceptions),
            faqs=len(a.faqs),
            tools=len({m.tool.key for m in a.tools}),
            skipped_lines=a.skipped_lines,
        )
        for a in articles
    ]
    return Generated(banks=banks, sources=sources, dropped=dropped)


def _checked(drafts: Sequence[Draft]) -> tuple[list[Draft], list[tuple[str, str]]]:
    """Drop questions that break a rule, and later duplicates of an id or a prompt."""
    kept: list[Draft] = []
    dropped: list[tuple[str, str]] = []
    ids: set[str] = set()
    for draft in drafts:
        found = problems(draft)
        if draft.id in ids:
            # Two questions derived the same id; the content decides the suffix, so it is stable too.
            draft = replace(draft, id=question_id(draft.id, short_hash(draft.document, draft.prompt)))
        if draft.id in ids:
            found.append("duplicate id")
        if duplicate_prompts([*kept, draft])[-1:] == [draft.id]:
            found.append("same prompt as another question")
        if found:
            dropped.append((draft.id, "; ".join(found)))
            continue
        ids.add(draft.id)
        kept.append(draft)
    return kept, dropped


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
    2 a source could not be read (nothing written).
    """
    console = Console(highlight=False, emoji=False)  # markup only from our own strings; text is escaped
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
    generated = generate(articles)
    _print_sources(console, generated)
    for dropped_id, reason in generated.dropped:
        console.print(f"[yellow]Dropped {escape(dropped_id)}: {escape(reason)}[/yellow]")
    if not generated.total:
        console.print(
            "[red]No misconceptions, FAQs or known tools were found in any source; nothing was written.[/red]"
        )
        return EXIT_NOTHING_USABLE
    written = write_banks(generated, out_dir)
    for path in written:
        kind = path.stem
        console.print(f"Wrote {len(generated.banks[kind])} questions to {escape(str(path))}")
    for kind, drafts in generated.banks.items():
        if not drafts and (out_dir / f"{kind}.yaml").exists():
            console.print(
                f"[yellow]No {kind} found this time; left the existing {kind}.yaml as it was.[/yellow]"
            )
    counts = ", ".join(f"{len(drafts)} {kind}" for kind, drafts in generated.banks.items())
    tools = tool_count(generated.banks["tools"])
    console.print(f"[green]{generated.total} questions in total ({counts}; {tools} distinct tools).[/green]")
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
            parts.append(f"{source.skipped_lines} non-English lines used for tool names only")
        console.print(f"[bold]{escape(source.document)}[/bold]: " + "; ".join(parts))


__all__ = ["KINDS", "Generated", "expand_sources", "generate", "generate_command", "write_banks"]
