"""Reading facts out of FAQ answers (workflow steps, who does what, lists) and the text rules they use."""

from __future__ import annotations

import pytest

from quizbot.generate.faq_facts import extract_enumerations, extract_role_statements, extract_steps
from quizbot.generate.sections import Faq
from quizbot.generate.text import gerund, id_slug, indefinite_article, split_sentences


def faq(answer: str, question: str = "What is the workflow?") -> Faq:
    return Faq(question=question, answer=answer, line=1)


def test_workflow_steps_become_parallel_phrases_in_order() -> None:
    answer = (
        "The workflow has steps. It starts with framing the question and gathering data. "
        "Then, the engineer cleans the data and builds features. Next, they train and compare models "
        "using held-out data. The best model is then reviewed and tested for regressions. "
        "Finally, the engineer releases the model to production and watches its metrics."
    )

    assert extract_steps(faq(answer)) == [
        "Framing the question and gathering data",
        "Cleaning the data and building features",
        "Training and comparing models",
        "Reviewing and testing the best model",
        "Releasing the model to production and watching its metrics",
    ]


def test_fewer_than_three_steps_is_not_a_workflow() -> None:
    answer = "It starts with a plan. Then, the team builds it."

    assert extract_steps(faq(answer)) == []


def test_who_does_what_is_read_from_contrasting_clauses() -> None:
    answer = (
        "Data scientists focus on exploring data, while machine learning engineers are responsible for "
        "shipping models based on that data. Software engineers focus on building products."
    )

    found = {(s.role.key, s.predicate) for s in extract_role_statements(faq(answer))}

    assert found == {
        ("data-scientist", "focuses on exploring data"),
        ("ml-engineer", "is responsible for shipping models"),
        ("software-engineer", "focuses on building products"),
    }


def test_a_role_sentence_about_demand_is_not_a_fact_about_the_job() -> None:
    answer = "Machine Learning Engineers are in demand across many industries today."

    assert extract_role_statements(faq(answer)) == []


def test_a_list_of_challenges_is_a_list_of_activities() -> None:
    answer = (
        "Engineers face challenges such as tracking data drift, keeping costs low, and explaining models."
    )

    (enumeration,) = extract_enumerations(faq(answer))

    assert enumeration.form == "activity"
    assert enumeration.items == ("tracking data drift", "keeping costs low", "explaining models")
    assert enumeration.lead == "Engineers face challenges such as"


def test_verbs_after_can_are_turned_into_activities() -> None:
    answer = "They can shorten release cycles, surface insights, and reduce manual work."

    (enumeration,) = extract_enumerations(faq(answer))

    assert enumeration.items == ("shortening release cycles", "surfacing insights", "reducing manual work")


def test_a_list_ending_in_a_related_field_is_open() -> None:
    answer = "It usually means a degree in physics, mathematics, statistics, or a related field."

    (enumeration,) = extract_enumerations(faq(answer))

    assert enumeration.open
    assert enumeration.form == "noun"
    assert enumeration.items == ("physics", "mathematics", "statistics")


def test_a_list_of_known_tools_is_a_tool_list() -> None:
    answer = "Popular choices are available, including TensorFlow, PyTorch, and Apache Spark."

    (enumeration,) = extract_enumerations(faq(answer))

    assert enumeration.form == "tool"
    assert [t.key for t in enumeration.tools] == ["tensorflow", "pytorch", "spark"]


def test_items_sharing_one_object_are_not_a_list() -> None:
    answer = "A specialist is someone skilled in designing, developing, and implementing models and systems."

    assert extract_enumerations(faq(answer)) == []


@pytest.mark.parametrize(
    ("verb", "expected"),
    [
        ("select", "selecting"),
        ("deploys", "deploying"),
        ("evaluated", "evaluating"),
        ("fine-tuned", "fine-tuning"),
        ("monitors", "monitoring"),
        ("optimize", "optimizing"),
        ("run", "running"),
    ],
)
def test_gerunds(verb: str, expected: str) -> None:
    assert gerund(verb) == expected


def test_sentences_are_not_split_inside_abbreviations() -> None:
    text = "Some roles require a Ph.D. for research. Others, e.g. product roles, do not."

    assert split_sentences(text) == [
        "Some roles require a Ph.D. for research.",
        "Others, e.g. product roles, do not.",
    ]


def test_id_slugs_keep_the_distinctive_words() -> None:
    assert id_slug("Machine Learning Engineers work alone") == "work-alone"
    assert id_slug("What is a Machine Learning Engineer?") == "machine-learning-engineer"


@pytest.mark.parametrize(
    ("phrase", "article"), [("Data Scientist", "a"), ("ML engineer", "an"), ("orchestration tool", "an")]
)
def test_indefinite_article(phrase: str, article: str) -> None:
    assert indefinite_article(phrase) == article
