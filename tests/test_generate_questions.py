"""Building questions from the fixture articles: what each section kind yields, and rules every bank keeps."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from quizbot.generate import Generated, generate
from quizbot.generate.knowledge import TOOLS
from quizbot.generate.model import MULTIPLE_CHOICE, TRUE_FALSE, Draft, multiple_choice
from quizbot.generate.quality import (
    article_gives_away,
    duplicate_prompts,
    length_gives_away,
    problems,
    wording_gives_away,
)
from quizbot.generate.sections import Article, parse_article, read_article
from quizbot.generate.text import content_words
from quizbot.generate.writer import render_bank

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
TOOL_NAMES = {tool.name for tool in TOOLS}


def articles(*names: str) -> list[Article]:
    return [read_article(ARTICLES / name) for name in names]


@pytest.fixture(scope="module")
def generated() -> Generated:
    return generate(articles("careers.txt", "half_chinese.txt"))


def all_drafts(result: Generated) -> list[Draft]:
    return [d for drafts in result.banks.values() for d in drafts]


def by_section(result: Generated, section: str) -> list[Draft]:
    return [d for d in all_drafts(result) if d.section == section]


def test_every_claim_is_a_true_false_question_whose_answer_is_false(generated: Generated) -> None:
    claims = [m.claim for m in articles("careers.txt")[0].misconceptions]

    for claim in claims:
        (question,) = [d for d in generated.banks["misconceptions"] if d.prompt == f"True or false: {claim}."]
        assert question.type == TRUE_FALSE
        assert question.answer is False


def test_a_claims_explanation_is_built_from_its_supporting_points(generated: Generated) -> None:
    question = next(d for d in generated.banks["misconceptions"] if "never talk to customers." in d.prompt)

    assert "explain model limits to product managers" in question.explanation
    assert "Feedback sessions with stakeholders" in question.explanation


def test_every_supporting_point_becomes_a_question(generated: Generated) -> None:
    prompts = " ".join(d.prompt for d in generated.banks["misconceptions"])

    for misconception in articles("careers.txt")[0].misconceptions:
        for point in misconception.points:
            tail = " ".join(point.split()[1:])  # "They …" is rewritten with the claim's subject
            assert tail.rstrip(".") in prompts


def test_a_point_question_offers_the_claim_it_answers_among_other_claims(generated: Generated) -> None:
    which = [d for d in generated.banks["misconceptions"] if d.type == MULTIPLE_CHOICE]

    assert which, "some points should become 'which misconception' questions"
    claims = {m.claim for m in articles("careers.txt")[0].misconceptions}
    for question in which:
        assert set(question.choices) <= claims


def test_a_broad_only_claim_is_never_a_wrong_choice(generated: Generated) -> None:
    broad = "Machine Learning Engineers only train models"
    which = [d for d in generated.banks["misconceptions"] if d.type == MULTIPLE_CHOICE and d.answer != broad]

    assert all(broad not in d.choices for d in which)


def test_every_faq_yields_a_question_answered_from_its_own_text(generated: Generated) -> None:
    for article in articles("careers.txt", "half_chinese.txt"):
        for faq in article.faqs:
            questions = by_section(generated, f"FAQ: {faq.question}")
            assert questions, f"no question for {faq.question!r}"
            for question in questions:
                source_words = content_words(f"{faq.answer} {faq.question}")
                asked = question.answer if question.type == MULTIPLE_CHOICE else question.prompt
                assert isinstance(asked, str)
                if asked in {"Machine Learning Engineer", "Data Scientist", "Software Engineer"}:
                    assert asked.split()[0].lower() in faq.answer.lower()
                else:
                    # a false statement puts another role in; the rest must still be the article's words
                    framing = content_words("true or false according to the article data scientist software")
                    assert content_words(asked) - framing <= source_words


def test_workflow_questions_offer_the_other_steps_as_wrong_choices(generated: Generated) -> None:
    steps = {
        "Framing the business question and gathering data",
        "Cleaning the data and building features",
        "Training and comparing candidate models on held-out data",
        "Reviewing and testing the chosen model",
        "Releasing the model to production and watching its metrics",
    }
    workflow = by_section(generated, "FAQ: What is the typical workflow of a Machine Learning Engineer?")

    first = next(d for d in workflow if d.id.endswith("-first-step"))
    last = next(d for d in workflow if d.id.endswith("-last-step"))
    assert first.answer == "Framing the business question and gathering data"
    assert last.answer == "Releasing the model to production and watching its metrics"
    after_cleaning = next(
        d for d in workflow if "after “cleaning the data and building features”" in d.prompt
    )
    assert after_cleaning.answer == "Training and comparing candidate models on held-out data"
    assert set(after_cleaning.choices) <= steps
    assert "Cleaning the data and building features" not in after_cleaning.choices


def test_a_list_question_takes_its_wrong_choices_from_another_faqs_list(generated: Generated) -> None:
    (challenges,) = by_section(generated, "FAQ: What challenges do Machine Learning Engineers face?")
    helps = "shortening release cycles surfacing customer insights reducing manual review raising quality"

    wrong = [c for c in challenges.choices if c != challenges.answer]
    assert all(content_words(c) & content_words(helps) for c in wrong)
    assert challenges.answer in {
        "Tracking down silent data drift",
        "Keeping training costs under control",
        "Explaining model decisions to auditors",
        "Reproducing old experiments exactly",
    }


def test_a_tool_list_question_offers_tools_of_other_kinds(generated: Generated) -> None:
    (tools,) = by_section(generated, "FAQ: Which tools should a new Machine Learning Engineer learn?")

    assert tools.answer in {"Git", "Docker", "Kubernetes"}
    assert set(tools.choices) <= TOOL_NAMES
    assert not {"Docker", "Kubernetes", "Git"} & (set(tools.choices) - {tools.answer})


def test_only_tools_the_articles_name_get_questions(generated: Generated) -> None:
    named = {"TensorFlow", "PyTorch", "Keras", "Git", "Docker", "Kubernetes", "AWS", "Pandas", "NumPy"}

    for question in generated.banks["tools"]:
        mentioned = {name for name in TOOL_NAMES if re.search(rf"\b{re.escape(name)}\b", question.prompt)}
        assert mentioned <= named
        assert set(question.choices) & TOOL_NAMES <= named


def test_a_tools_table_description_is_asked_about(generated: Generated) -> None:
    described = [d for d in generated.banks["tools"] if d.id.endswith("-described")]

    assert {d.id for d in described} == {
        "tool-tensorflow-described",
        "tool-pytorch-described",
        "tool-keras-described",
    }
    assert {d.type for d in described} == {"multiple_choice", "short_answer", "true_false"}


def test_every_question_has_provenance_and_an_explanation(generated: Generated) -> None:
    for question in all_drafts(generated):
        assert question.document in {"careers.txt", "half_chinese.txt"}
        assert question.section
        assert question.explanation.strip()


def test_no_generated_question_breaks_a_rule(generated: Generated) -> None:
    drafts = all_drafts(generated)

    assert [(d.id, problems(d)) for d in drafts if problems(d)] == []
    assert duplicate_prompts(drafts) == []
    assert generated.dropped == []


def test_the_same_articles_give_identical_output() -> None:
    first = generate(articles("careers.txt", "half_chinese.txt"))
    again = generate(articles("careers.txt", "half_chinese.txt"))

    def text(result: Generated) -> list[str]:
        return [render_bank(d, topic="t", documents=result.documents) for d in result.banks.values()]

    assert text(first) == text(again)


def test_adding_a_misconception_renames_no_existing_question() -> None:
    original = (ARTICLES / "careers.txt").read_text(encoding="utf-8")
    inserted = (
        "Misconception #2: Machine Learning Engineers ignore costs\n\n"
        "Some think budgets are someone else's problem.\n\n"
        "  • Machine learning engineers track the price of every training run.\n\n"
    )
    renumbered = original.replace("Misconception #3:", "Misconception #4:").replace(
        "Misconception #2:", "Misconception #3:"
    )
    changed = renumbered.replace("Misconception #3:", inserted + "Misconception #3:", 1)

    before = {d.id for d in all_drafts(generate([parse_article("careers.txt", original)]))}
    after = {d.id for d in all_drafts(generate([parse_article("careers.txt", changed)]))}

    assert before <= after
    assert len(after - before) == 2  # the new claim and its one point


def test_correct_positions_are_spread_evenly(generated: Generated) -> None:
    by_size: dict[int, Counter[int]] = {}
    for question in all_drafts(generated):
        if question.type == MULTIPLE_CHOICE:
            by_size.setdefault(len(question.choices), Counter())[
                question.choices.index(str(question.answer))
            ] += 1

    for size, positions in by_size.items():
        counts = [positions[i] for i in range(size)]
        assert max(counts) - min(counts) <= 1, f"{size} choices: {counts}"


def test_a_choice_much_longer_than_the_others_is_a_give_away() -> None:
    assert length_gives_away(
        "Deploying the model into production and monitoring it closely", ["Git", "Docker"]
    )
    assert not length_gives_away("Evaluating the model", ["Training the model", "Cleaning the data"])
    assert not length_gives_away("Kubernetes", ["Git", "AWS"])  # names differ in length for no reason


def test_only_the_correct_choice_echoing_the_prompt_is_a_give_away() -> None:
    prompt = "Who focuses on designing and building software systems?"

    assert wording_gives_away(prompt, "Software Engineer", ["Data Scientist", "Machine Learning Engineer"])
    assert not wording_gives_away(
        prompt, "Data Scientist", ["Software Engineer", "Machine Learning Engineer"]
    )


def test_an_article_before_the_blank_that_fits_one_choice_is_a_give_away() -> None:
    assert article_gives_away("Keras is an ___", "API", ["library", "framework"])
    assert not article_gives_away("Keras is a kind of ___", "API", ["library", "framework"])


def test_rule_breaks_are_named_for_the_article_author() -> None:
    draft = multiple_choice(
        id="Bad Id",
        prompt="Which one?",
        correct="Alpha",
        distractors=["alpha"],
        explanation="",
        difficulty="easy",
        kind="tools",
        document="a.txt",
        section="tools",
    )

    assert problems(draft) == [
        "id 'Bad Id' is not a valid question id",
        "empty explanation",
        "two choices are the same",
    ]
