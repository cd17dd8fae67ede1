"""Drafts and review: generated questions wait for a person; decisions survive regeneration."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from quizbot.bank import load_bank
from quizbot.domain import QuestionStatus
from quizbot.generate import generate_command
from quizbot.review import review_command
from tests.test_cli import run_quizbot

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"

BANK = """\
# A hand-written bank; comments and layout must survive a review.
topic: demo
questions:
  - id: draft-one   # first
    status: draft
    type: true_false
    prompt: 'True or false: Venus is the second planet from the sun.'
    answer: true
    explanation: Mercury is first, Venus second.
  - id: draft-two
    type: multiple_choice
    status: draft
    prompt: Which letter is second in the Greek alphabet?
    choices: [Alpha, Beta, Gamma]
    answer: Beta
    explanation: Alpha, then Beta.
  - id: approved-already
    type: true_false
    prompt: 'True or false: Water boils at 100 °C at sea level.'
    answer: true
    explanation: At standard pressure, yes.
  - id: draft-three
    status: draft
    type: true_false
    prompt: 'True or false: The moon is a planet.'
    answer: false
    explanation: It is Earth's natural satellite.
"""


def answers(*replies: str):  # type: ignore[no-untyped-def]
    replies_left = list(replies)

    def read(_prompt: str) -> str:
        if not replies_left:
            raise EOFError
        return replies_left.pop(0)

    return read


def quiet() -> Console:
    return Console(file=open("/dev/null", "w"), highlight=False)


def write_bank(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "demo.yaml").write_text(BANK, encoding="utf-8")
    return folder


def test_only_approved_questions_are_served_and_missing_status_means_approved(tmp_path: Path) -> None:
    bank = load_bank([write_bank(tmp_path)])

    assert [q.id for q in bank.questions] == ["approved-already"]
    assert bank.held == {"draft": 3}


def test_drafts_are_served_when_asked_for_but_rejected_ones_never(tmp_path: Path) -> None:
    folder = write_bank(tmp_path)
    text = BANK.replace(
        "  - id: draft-three\n    status: draft\n", "  - id: draft-three\n    status: rejected\n"
    )
    (folder / "demo.yaml").write_text(text, encoding="utf-8")

    bank = load_bank([folder], serve_drafts=True)

    assert sorted(q.id for q in bank.questions) == ["approved-already", "draft-one", "draft-two"]


def test_a_status_other_than_draft_approved_or_rejected_is_an_error(tmp_path: Path) -> None:
    folder = write_bank(tmp_path)
    (folder / "demo.yaml").write_text(BANK.replace("status: draft", "status: maybe", 1), encoding="utf-8")

    result = run_quizbot(["validate", str(folder)], tmp_path)

    assert result.returncode == 1
    assert "demo.yaml:5:" in result.stdout and "status" in result.stdout


def test_validate_counts_what_is_not_served(tmp_path: Path) -> None:
    result = run_quizbot(["validate", str(write_bank(tmp_path))], tmp_path)

    assert "OK: 1 questions" in result.stdout
    assert "Not served: 3 draft" in result.stdout


def test_serve_drafts_setting_serves_them_in_play(tmp_path: Path) -> None:
    folder = write_bank(tmp_path)

    result = run_quizbot(["validate", str(folder)], tmp_path, QUIZBOT_SERVE_DRAFTS="1")

    assert "OK: 4 questions" in result.stdout


def test_review_records_each_decision_in_the_status_line_only(tmp_path: Path) -> None:
    folder = write_bank(tmp_path)

    code = review_command(folder, answers("a", "r", "e"), quiet())

    text = (folder / "demo.yaml").read_text(encoding="utf-8")
    assert code == 0
    assert text == BANK.replace("status: draft", "status: approved", 1).replace(
        "    status: draft\n    prompt: Which letter", "    status: rejected\n    prompt: Which letter"
    )
    assert "# A hand-written bank; comments and layout must survive a review." in text
    statuses = {q.id: q.status for q in load_bank([folder], serve_drafts=True).questions}
    assert (
        statuses["draft-one"] is QuestionStatus.APPROVED and statuses["draft-three"] is QuestionStatus.DRAFT
    )


def test_review_adds_a_status_line_where_a_question_has_none(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    text = (
        "questions:\n  - id: only-one\n    type: true_false\n    prompt: Grass is green.\n    answer: true\n"
    )
    text += "    explanation: Chlorophyll.\n"
    (folder / "demo.yaml").write_text(
        text.replace("    type:", "    status: draft\n    type:"), encoding="utf-8"
    )
    review_command(folder, answers("r"), quiet())
    (folder / "demo.yaml").write_text(text, encoding="utf-8")  # no status line: approved, nothing to review

    assert review_command(folder, answers(), quiet()) == 0
    assert len(load_bank([folder]).questions) == 1


def test_review_inserts_the_status_line_under_the_id(tmp_path: Path) -> None:
    from quizbot.review import set_status

    text = "questions:\n  - id: q\n    type: true_false\n"

    assert (
        set_status(text, 2, None, "rejected")
        == "questions:\n  - id: q\n    status: rejected\n    type: true_false\n"
    )


def test_quitting_leaves_the_rest_as_drafts(tmp_path: Path) -> None:
    folder = write_bank(tmp_path)

    review_command(folder, answers("q"), quiet())

    assert (folder / "demo.yaml").read_text(encoding="utf-8") == BANK


def test_decisions_survive_regeneration_while_the_question_reads_the_same(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    generate_command([ARTICLES / "careers.txt"], out)
    review_command(out, answers(*["a"] * 100), quiet())
    approved = {q.id for q in load_bank([out]).questions}
    record = json.loads((out / "review.json").read_text(encoding="utf-8"))

    generate_command([ARTICLES / "careers.txt"], out)

    assert approved and {q.id for q in load_bank([out]).questions} == approved
    assert set(record["decisions"]) == approved


def test_a_question_whose_text_changed_goes_back_to_draft(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    generate_command([ARTICLES / "careers.txt"], out)
    review_command(out, answers(*["a"] * 100), quiet())
    record_path = out / "review.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    changed = sorted(record["decisions"])[0]
    record["decisions"][changed]["fingerprint"] = "0" * 16  # as if the generator now words it differently
    record_path.write_text(json.dumps(record), encoding="utf-8")

    generate_command([ARTICLES / "careers.txt"], out)

    drafts = {q.id for q in load_bank([out], serve_drafts=True).questions} - {
        q.id for q in load_bank([out]).questions
    }
    assert drafts == {changed}


def test_a_broken_review_record_stops_generation_with_one_line(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    out.mkdir()
    (out / "review.json").write_text("{not json", encoding="utf-8")

    result = run_quizbot(["generate", str(ARTICLES / "careers.txt"), "--out", str(out)], tmp_path)

    assert result.returncode == 2
    assert "review.json: cannot read the review record" in " ".join(result.stdout.split())
    assert "Traceback" not in result.stderr


def test_review_from_the_command_line_with_piped_answers(tmp_path: Path) -> None:
    folder = write_bank(tmp_path)

    result = run_quizbot(["review", str(folder)], tmp_path, stdin="a\na\na\n")

    assert result.returncode == 0, result.stderr
    assert "3 approved, 0 rejected, 0 left as drafts." in result.stdout
    assert len(load_bank([folder]).questions) == 4
