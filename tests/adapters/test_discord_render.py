"""What the Discord adapter renders respects Discord's limits, whatever the question file holds."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.discord_bot import render
from adapters.discord_bot.components import question_view
from quizbot.domain import AskedQuestion, AskKind, Difficulty, Place, Question, QuestionType

LONG = "x" * 300  # the longest choice the bank schema allows


def asked_with(choices: tuple[str, ...], prompt: str = "Which?", asked_id: int = 7) -> AskedQuestion:
    question = Question(
        id="q",
        type=QuestionType.MULTIPLE_CHOICE,
        prompt=prompt,
        choices=choices,
        correct_index=0,
        accepted=(choices[0],),
        explanation="Because.",
        difficulty=Difficulty.EASY,
        topic="ml",
    )
    place = Place("discord", "1", "2")
    return AskedQuestion(asked_id, question, place, AskKind.QUIZ, datetime(2026, 11, 18, tzinfo=UTC))


def test_long_choices_are_cut_to_the_80_character_button_label_limit() -> None:
    view = question_view(asked_with((LONG, "short")))

    labels = [item.item.label for item in view.children]  # type: ignore[attr-defined]
    assert len(labels[0]) == 80 and labels[0].startswith("A. xxx") and labels[0].endswith("…")
    assert labels[1] == "B. short"


def test_the_embed_repeats_every_choice_in_full() -> None:
    description = render.question_embed(asked_with((LONG, "short"))).description or ""

    assert f"**A.** {LONG}" in description


def test_custom_ids_stay_within_100_characters_even_for_huge_ids() -> None:
    view = question_view(asked_with(("a", "b", "c", "d", "e"), asked_id=2**63 - 1))

    ids = [item.custom_id for item in view.children]  # type: ignore[attr-defined]
    assert all(len(i) <= 100 for i in ids)
    assert ids[4] == f"quiz:{2**63 - 1}:4"


def test_a_huge_prompt_is_cut_to_the_embed_description_limit() -> None:
    embed = render.question_embed(asked_with(("a", "b"), prompt="p" * 5000))

    assert len(embed.description or "") == 4096


def test_reload_report_lists_the_first_errors_and_counts_the_rest() -> None:
    errors = [f"bank/ml.yaml:{n}: field 'answer' is missing" for n in range(1, 9)]

    text = render.reload_text(False, 42, errors)

    assert text.startswith("Reload failed; still serving the previous 42 questions.")
    assert "bank/ml.yaml:5:" in text and "bank/ml.yaml:6:" not in text
    assert text.endswith("…and 3 more.")
    assert len(text) <= 2000
