"""``quizbot generate``: what the admin sees and what lands on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from quizbot.bank import load_bank
from quizbot.generate import EXIT_BAD_SOURCE, EXIT_NOTHING_USABLE, EXIT_OK, generate_command
from quizbot.generate.model import multiple_choice, short_answer, true_false
from quizbot.generate.writer import render_bank

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"


def output(capsys: pytest.CaptureFixture[str]) -> str:
    return " ".join(capsys.readouterr().out.split())


def test_generating_from_a_folder_writes_one_loadable_file_per_section_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "questions" / "ml-engineering"

    code = generate_command([ARTICLES], out)

    assert code == EXIT_OK
    assert sorted(p.name for p in out.iterdir()) == ["faqs.yaml", "misconceptions.yaml", "tools.yaml"]
    assert len(load_bank([out])) == 0  # drafts wait for review
    bank = load_bank([out], serve_drafts=True)
    assert len(bank) >= 9  # FAQ sentences are no longer copied as (always true) true/false statements
    assert {q.topic for q in bank.questions} == {"ml-engineering"}
    assert "careers.txt: 3 misconceptions, 8 FAQs, 3 tools" in output(capsys)


def test_the_report_names_what_each_source_lacks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    generate_command([ARTICLES], tmp_path / "out")

    report = output(capsys)

    assert "no_sections.txt: no misconceptions, no FAQs, no tools found" in report
    assert "half_chinese.txt: 1 FAQ; no misconceptions, no tools found; 4 non-English lines skipped" in report


def test_a_source_without_usable_sections_fails_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"

    code = generate_command([ARTICLES / "no_sections.txt"], out)

    assert code == EXIT_NOTHING_USABLE
    assert not out.exists()
    assert "nothing was written" in output(capsys)


def test_a_missing_source_fails_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"

    code = generate_command([ARTICLES / "careers.txt", tmp_path / "missing.txt"], out)

    assert code == EXIT_BAD_SOURCE
    assert not out.exists()
    assert "Cannot read" in output(capsys)


def test_a_section_kind_with_no_questions_gets_no_file(tmp_path: Path) -> None:
    out = tmp_path / "out"

    generate_command([ARTICLES.parent / "layouts" / "qa_colon.txt"], out)

    assert sorted(p.name for p in out.iterdir()) == ["faqs.yaml"]


def test_regenerating_gives_byte_identical_files(tmp_path: Path) -> None:
    generate_command([ARTICLES], tmp_path / "a")
    generate_command(sorted(ARTICLES.glob("*.txt"), reverse=True), tmp_path / "b" / "a")

    for first in sorted((tmp_path / "a").iterdir()):
        assert first.read_bytes() == (tmp_path / "b" / "a" / first.name).read_bytes()


def test_yaml_lookalike_text_stays_text_and_no_aliases_are_written() -> None:
    shared = ("tools", "cloud")
    drafts = [
        true_false(
            id="q1",
            prompt="yes",
            answer=False,
            explanation="010",
            difficulty="easy",
            kind="tools",
            document="on",
            section="no",
            tags=shared,
        ),
        multiple_choice(
            id="q2",
            prompt="1:30",
            correct="no",
            distractors=["yes", "null"],
            explanation="on",
            difficulty="easy",
            kind="tools",
            document="a.txt",
            section="s",
            tags=shared,
        ),
        short_answer(
            id="q3",
            prompt="~",
            answers=("true",),
            explanation="x",
            difficulty="hard",
            kind="tools",
            document="a.txt",
            section="s",
            tags=shared,
        ),
    ]

    text = render_bank(drafts, topic="t", documents=["a.txt"])
    loaded = yaml.safe_load(text)["questions"]

    assert "&" not in text and "*id" not in text
    assert loaded[0]["prompt"] == "yes" and loaded[0]["explanation"] == "010" and loaded[0]["answer"] is False
    assert loaded[1]["prompt"] == "1:30" and loaded[1]["choices"] == ["no", "yes", "null"]
    assert loaded[2]["prompt"] == "~" and loaded[2]["answers"] == ["true"]
