"""Question makers and quality gates: questions a player learns from, asserting only what the text says."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from quizbot.checks import ARTICLE_REFERENCE, Item, all_warnings
from quizbot.generate import Generated, generate
from quizbot.generate.gates import as_item, gate
from quizbot.generate.model import MULTIPLE_CHOICE, TRUE_FALSE, Draft, multiple_choice
from quizbot.generate.sections import Article, parse_article, read_article

DATA = Path(__file__).resolve().parent / "data"


def articles(*names: str) -> list[Article]:
    return [read_article(DATA / name) for name in names]


@pytest.fixture(scope="module")
def generated() -> Generated:
    return generate(
        articles("articles/careers.txt", *(f"layouts/{p.name}" for p in sorted((DATA / "layouts").iterdir())))
    )


def every(generated: Generated) -> list[Draft]:
    return [d for drafts in generated.banks.values() for d in drafts]


def test_a_myth_question_offers_the_claim_among_true_points_of_the_same_article() -> None:
    (article,) = articles("layouts/numbered_misconceptions.txt")
    drafts = generate([article]).banks["misconceptions"]

    myths = [
        d
        for d in drafts
        if d.type == MULTIPLE_CHOICE and d.id == "misconception-site-reliability-aim-hundred-percent-uptime"
    ]
    assert len(myths) == 1
    (myth,) = myths
    assert myth.answer == "Site reliability engineers aim for one hundred percent uptime."
    assert {c for c in myth.choices if c != myth.answer} <= {
        "Site reliability engineers spend about half of their time writing software that automates "
        "operations.",
        "Site reliability engineers review designs with developers before a service launches.",
    }


PLAIN_CLAIMS = """\
Misconception #1: Data engineers work without analysts

  • Data engineers agree on definitions with analysts before they build a table.

Misconception #2: Data engineers rarely write tests

  • Data engineers test every pipeline before it runs in production.

Misconception #3: Data engineers ignore cloud costs

  • Data engineers track the storage bill of each pipeline.

Misconception #4: Data engineers never document anything

  • Data engineers keep a catalogue that explains every table.
"""


def test_a_true_point_is_offered_among_claims_without_absolute_words() -> None:
    drafts = generate([parse_article("plain.txt", PLAIN_CLAIMS)]).banks["misconceptions"]

    facts = [d for d in drafts if d.id.startswith("misconception-fact-")]
    assert facts
    for draft in facts:
        wrong = {c for c in draft.choices if c != draft.answer}
        assert wrong <= {
            "Data engineers work without analysts.",
            "Data engineers rarely write tests.",
            "Data engineers ignore cloud costs.",
        }, draft  # "never document anything" would be ruled out by its absolute word alone


def test_a_claim_with_an_absolute_word_is_never_a_true_false_statement(generated: Generated) -> None:
    statements = [d.prompt for d in every(generated) if d.type == TRUE_FALSE]

    assert not any(re.search(r"\b(only|never|everything|always)\b", s) for s in statements), statements


def test_misconception_statements_are_plain_claims_and_points_without_double_negatives() -> None:
    drafts = generate(articles("layouts/numbered_misconceptions.txt")).banks["misconceptions"]

    false = [d for d in drafts if d.type == TRUE_FALSE and d.answer is False]
    true = [d for d in drafts if d.type == TRUE_FALSE and d.answer is True]
    assert [d.prompt for d in false] == [
        "True or false: site reliability engineers work in isolation from developers."
    ]
    point = "spend about half of their time writing software that automates operations"
    assert [d.prompt for d in true] == [f"True or false: site reliability engineers {point}."]
    assert not any("misconception that" in d.prompt for d in false + true)
    assert "review designs with developers" in false[0].explanation


def test_misconception_explanations_give_the_texts_reasons_not_filler(generated: Generated) -> None:
    explained = [d for d in generated.banks["misconceptions"] if d.type != TRUE_FALSE]

    assert explained
    fillers = ("other choices are", "something else", "simply true")
    assert not [d.explanation for d in explained if any(f in d.explanation for f in fillers)]
    assert all(len(d.explanation.split(". ")) >= 2 or ":" in d.explanation for d in explained)


def test_faq_role_statements_are_not_all_false_and_faq_sentences_are_not_copied_as_true_statements() -> None:
    drafts = generate(articles("layouts/qa_colon.txt")).banks["faqs"]

    roles = [d.answer for d in drafts if d.id.startswith("faq-role")]
    assert True in roles and False in roles
    assert not [d.id for d in drafts if d.id.endswith("-statement")]


def test_true_false_items_are_balanced_in_every_file(generated: Generated) -> None:
    for kind, drafts in generated.banks.items():
        answers = [d.answer for d in drafts if d.type == TRUE_FALSE]
        if len(answers) >= 5:
            assert 0.4 <= answers.count(True) / len(answers) <= 0.6, kind


def test_a_workflow_becomes_one_ordering_question_in_the_texts_order() -> None:
    drafts = generate(articles("layouts/qa_colon.txt")).banks["faqs"]

    ordering = [d for d in drafts if "in order" in d.prompt]
    assert len(ordering) == 1
    (question,) = ordering
    steps = dict(re.findall(r"\(([A-E])\) ([^.]+)\.", question.prompt))
    order = [steps[letter] for letter in str(question.answer).split(" → ")]
    assert order == [
        "gathering requirements from the analysts",
        "designing the data model",
        "building and testing the pipeline",
        "scheduling the pipeline and monitoring its runs",
    ]
    assert len(set(question.choices)) == 4 and all(len(c) == len(question.answer) for c in question.choices)


def test_roles_are_only_those_the_text_contrasts_and_false_statements_swap_them() -> None:
    drafts = generate(articles("layouts/qa_colon.txt")).banks["faqs"]

    roles = [d for d in drafts if d.id.startswith("faq-role")]
    assert roles
    assert all(re.search(r"\ba data (engineer|analyst)\b", d.prompt) for d in roles)
    swapped = [d for d in roles if d.answer is False]
    assert any("a data engineer focuses on answering business questions" in d.prompt for d in swapped)


_SITE = (
    "Q: What does a site engineer do?\n"
    "A: A site engineer is responsible for running the building site safely and on time.\n\n"
    "Q: How does a Site Engineer differ from an Architect?\n"
    "A: Architects focus on designing the building and its spaces, while site engineers focus on {site}.\n"
)


def test_what_a_faq_says_a_contrasted_role_does_is_a_role_statement_too() -> None:
    """ "What does a site engineer do?" contrasts nothing itself, but another FAQ of the same text contrasts
    site engineers with architects: its answer says who does what, so it is asked as a role statement."""
    article = parse_article("roles.txt", _SITE.format(site="keeping trades and deliveries in step"))
    drafts = generate([article]).banks["faqs"]

    (draft,) = [d for d in drafts if d.section == "FAQ: What does a site engineer do?"]
    assert draft.id.startswith("faq-role")
    assert "is responsible for running the building site safely and on time" in draft.prompt
    assert ("an architect" in draft.prompt) is (draft.answer is False)


def test_a_role_statement_a_later_faq_repeats_is_asked_once() -> None:
    article = parse_article("roles.txt", _SITE.format(site="running the building site safely"))
    drafts = [d for d in generate([article]).banks["faqs"] if d.id.startswith("faq-role")]

    site = [d for d in drafts if "building site" in d.prompt]
    assert [d.section for d in site] == ["FAQ: What does a site engineer do?"]
    assert any("designing the building" in d.prompt for d in drafts)


def test_a_broader_role_says_broader_than_whom() -> None:
    """ "A data scientist has a broader role that includes …" on its own leaves "broader than what?" open."""
    article = parse_article(
        "broader.txt",
        "Q: What is the difference between a Site Engineer and an Architect?\nA: A Site Engineer focuses on "
        "running the building site. On the other hand, an Architect has a broader role that includes design, "
        "planning and client meetings.\n",
    )
    prompts = [d.prompt for d in generate([article]).banks["faqs"] if d.id.startswith("faq-role")]

    assert any("has a broader role than a site engineer, one that includes design" in p for p in prompts)
    assert not any("broader role that includes" in p for p in prompts)


def test_a_challenge_question_takes_wrong_choices_from_another_faqs_list() -> None:
    drafts = generate(articles("layouts/qa_dot.txt")).banks["faqs"]

    challenge = next(d for d in drafts if d.prompt.startswith("What challenges"))
    helps = {
        "Shortening reporting cycles",
        "Reducing manual spreadsheet work",
        "Improving trust in shared numbers",
    }
    assert {c for c in challenge.choices if c != challenge.answer} <= helps
    assert challenge.answer in {
        "Tracking schema changes",
        "Keeping pipelines fast",
        "Controlling storage costs",
        "Recovering from failed loads",
    }


def _faq_article(question: str, answer: str, other_question: str, other_answer: str) -> Article:
    return parse_article("faq.txt", f"Q: {question}\nA: {answer}\n\nQ: {other_question}\nA: {other_answer}\n")


_OTHER = (
    "What challenges do data analysts often face?",
    "Data analysts often face challenges such as reconciling conflicting sources, explaining odd numbers to "
    "managers, and keeping dashboards up to date.",
)


def test_what_some_require_beyond_the_usual_is_asked_with_the_usual_options_as_wrong_choices() -> None:
    article = _faq_article(
        "What training does a data analyst need?",
        "A data analyst usually has a diploma, bachelor’s or associate certificate in statistics. Some banks "
        "also ask for a CFA for senior posts.",
        *_OTHER,
    )
    (draft,) = [d for d in generate([article]).banks["faqs"] if d.id.endswith("-beyond")]

    assert draft.prompt == "Which certificate do some banks also require of data analysts for senior posts?"
    assert draft.answer == "CFA"
    assert sorted(draft.choices) == ["Associate", "Bachelor’s", "CFA", "Diploma"]


def test_where_a_path_starts_is_asked_with_the_later_steps_of_the_same_answer_as_wrong_choices() -> None:
    article = _faq_article(
        "How can someone become a wildlife photographer?",
        "Beginners should start with a good grasp of light, exposure and animal behaviour. Joining a local "
        "nature club, or assisting a working photographer, opens doors. Earning experience through volunteer "
        "surveys or field trips is worthwhile. Assembling a portfolio featuring rare species and regularly "
        "entering competitions can also help in getting commissions.",
        *_OTHER,
    )
    (draft,) = [d for d in generate([article]).banks["faqs"] if d.id.endswith("-start")]

    assert draft.prompt == "What does someone who wants to become a wildlife photographer start with?"
    assert draft.answer == "A good grasp of light, exposure and animal behaviour"
    assert sorted(draft.choices) == [
        "A good grasp of light, exposure and animal behaviour",
        "Assembling a portfolio of rare species",
        "Entering competitions",
        "Volunteer surveys or field trips",
    ]  # same kind, cut to the core; the club-or-assistant step is given as alternatives and left out
    assert draft.explanation.startswith("Beginners should start with a good grasp")
    assert "That grasp comes first" in draft.explanation


def test_what_helps_reach_a_goal_is_not_asked_with_another_faqs_list_as_wrong_choices() -> None:
    """Wrong choices from another FAQ (work tasks against the one career step) gave the answer away."""
    article = _faq_article(
        "How can someone become a data analyst?",
        "Start with statistics and spreadsheets. Publishing a public notebook collection demonstrating real "
        "analyses can help in landing a first job as a data analyst.",
        *_OTHER,
    )
    drafts = generate([article]).banks["faqs"]

    assert [d.id for d in drafts if d.section == "FAQ: How can someone become a data analyst?"] == []


def test_tool_facts_come_from_the_text_not_from_the_generator() -> None:
    text = (
        "Tools\n\nTool | Purpose\nTensorFlow | A machine learning framework released by Meta.\n"
        "PyTorch | A library for dynamic neural networks.\nKeras | A high-level neural networks API.\n"
    )
    drafts = generate([parse_article("odd.txt", text)]).banks["tools"]

    tensorflow = [d for d in drafts if "released by Meta" in d.prompt]
    assert tensorflow and all("TensorFlow" in (d.answer, *d.answers) for d in tensorflow)
    assert not any("Google" in f"{d.prompt} {d.explanation} {d.choices}" for d in drafts)


def test_a_kind_question_never_offers_a_tool_the_text_also_gives_as_that_kind(generated: Generated) -> None:
    kinds = generate(articles("layouts/example_lists.txt")).banks["tools"]
    warehouses = {"Snowflake", "BigQuery", "Redshift"}

    which = next(d for d in kinds if d.prompt == "Which of these is a cloud warehouse?")
    assert which.answer in warehouses
    assert not warehouses & {c for c in which.choices if c != which.answer}


def test_no_question_refers_to_the_article(generated: Generated) -> None:
    for draft in every(generated):
        for text in (draft.prompt, draft.explanation, *draft.choices):
            assert not ARTICLE_REFERENCE.search(text), draft.id


def test_no_generated_question_or_pair_of_questions_fails_an_item_writing_check(generated: Generated) -> None:
    for kind, drafts in generated.banks.items():
        items = [as_item(d, n) for n, d in enumerate(drafts)]
        assert [w for w in all_warnings(items) if w.ids] == [], kind


def test_patterns_across_a_file_are_reported_with_the_file(generated: Generated) -> None:
    for kind, message in generated.patterns:
        assert kind in generated.banks and message


def test_gates_drop_a_question_that_gives_its_answer_away_and_say_why() -> None:
    tell = multiple_choice(
        id="q",
        prompt="Which tool schedules Airflow pipelines?",
        correct="Airflow scheduler",
        distractors=["Snowflake", "Kafka"],
        explanation="Because.",
        difficulty="easy",
        kind="tools",
        document="a.txt",
        section="tools",
    )

    kept, dropped = gate([tell])

    assert kept == [] and dropped[0][0] == "q" and "repeats a word of the prompt" in dropped[0][1]


def test_generated_questions_are_drafts(generated: Generated) -> None:
    assert {d.status for d in every(generated)} == {"draft"}


def test_correct_positions_are_spread_evenly(generated: Generated) -> None:
    for drafts in generated.banks.values():
        by_size: dict[int, Counter[int]] = {}
        for d in drafts:
            if d.type == MULTIPLE_CHOICE:
                by_size.setdefault(len(d.choices), Counter())[d.choices.index(str(d.answer))] += 1
        for size, positions in by_size.items():
            counts = [positions[i] for i in range(size)]
            assert max(counts) - min(counts) <= 1, counts


def test_the_same_articles_give_the_same_questions() -> None:
    first = generate(articles("articles/careers.txt", "layouts/qa_colon.txt"))
    second = generate(articles("articles/careers.txt", "layouts/qa_colon.txt"))

    assert first.banks == second.banks


def test_a_lint_item_and_a_gate_item_are_the_same_check() -> None:
    item = Item(
        id="x", type=TRUE_FALSE, prompt="Engineers always test their code.", explanation="x", answer=False
    )

    assert all_warnings([item])[0].message.startswith("absolute word (always)")


def test_difficulty_follows_what_the_question_asks_not_its_template() -> None:
    from quizbot.generate.difficulty import rate
    from quizbot.generate.model import short_answer, true_false

    args = {"explanation": "x", "difficulty": "medium", "kind": "tools", "document": "a.txt", "section": "s"}
    confirm = true_false(id="a", prompt="True or false: AWS is a cloud service.", answer=True, **args)
    typed = short_answer(
        id="b",
        prompt="Which tool is a distributed log for events? Type its name.",
        answers=("Kafka",),
        **args,
    )
    picked = multiple_choice(
        id="c",
        prompt="Which tool is a distributed log for events?",
        correct="Kafka",
        distractors=["Git", "Excel"],
        **args,
    )
    alike = multiple_choice(
        id="d",
        prompt="Put these steps in order: (A) deploy. (B) train. (C) collect data. (D) clean data. "
        "Which order is right?",
        correct="C → D → B → A",
        distractors=["D → C → B → A", "C → B → D → A", "C → D → A → B"],
        **args,
    )

    assert rate(confirm) == "easy"
    assert rate(picked) == "easy" and rate(typed) == "hard"
    assert rate(alike) == "hard"
