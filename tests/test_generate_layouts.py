"""Layout readers: every way an article marks a section ends in the same section model."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from quizbot.generate import generate
from quizbot.generate.sections import parse_article, read_article

LAYOUTS = Path(__file__).resolve().parent / "data" / "layouts"
ARTICLES = Path(__file__).resolve().parent / "data" / "articles"


def test_misconception_hash_headings_keep_claim_and_bullet_points() -> None:
    article = read_article(ARTICLES / "careers.txt")

    first = article.misconceptions[0]
    assert [m.label for m in article.misconceptions] == [f"Misconception #{n}" for n in (1, 2, 3)]
    assert first.claim == "Machine Learning Engineers only train models"
    assert len(first.points) == 3 and first.points[1].startswith("They package models")


def test_myth_headings_take_their_points_from_the_reality_paragraph() -> None:
    article = read_article(LAYOUTS / "myths_reality.txt")

    assert [(m.label, m.claim) for m in article.misconceptions] == [
        ("Myth 1", "Data engineers only move files between servers"),
        ("Myth 2", "A data warehouse replaces the need for data modelling"),
        ("Myth 3", "Data engineers work without analysts"),
    ]
    assert article.misconceptions[1].points == (
        "A warehouse stores data, but a clear model decides how analysts can query it.",
        "Without one, every report defines its own numbers.",
    )


def test_numbered_misconceptions_and_myths_with_facts_or_bullets() -> None:
    article = read_article(LAYOUTS / "numbered_misconceptions.txt")

    assert [m.label for m in article.misconceptions] == ["Misconception 1", "Myth 2", "Misconception 3"]
    assert article.misconceptions[0].points == (
        "Site reliability engineers spend about half of their time writing software that automates "
        "operations.",
    )
    assert len(article.misconceptions[1].points) == 2


def test_q_colon_a_colon_blocks_are_faqs() -> None:
    article = read_article(LAYOUTS / "qa_colon.txt")

    assert [f.question for f in article.faqs] == [
        "What does a data engineer do?",
        "What is the typical workflow of a data engineer?",
        "How does a Data Engineer differ from a Data Analyst?",
    ]
    assert article.faqs[0].answer.startswith("A data engineer builds and maintains")


def test_q_dot_a_dot_blocks_are_faqs() -> None:
    article = read_article(LAYOUTS / "qa_dot.txt")

    assert [f.question for f in article.faqs] == [
        "What challenges do data engineers face?",
        "How can a data engineer help a business?",
    ]


def test_question_headings_followed_by_an_answer_paragraph_are_faqs() -> None:
    article = read_article(LAYOUTS / "question_headings.txt")

    assert [f.question for f in article.faqs][:2] == [
        "What skills does a data engineer need?",
        "Is a degree required to become a data engineer?",
    ]
    assert len(article.faqs) == 6
    assert article.faqs[1].answer.endswith("at some companies.")


def test_question_headings_give_a_question_for_every_faq_with_steps_a_list_or_a_contrast() -> None:
    generated = generate([read_article(LAYOUTS / "question_headings.txt")])
    asked = Counter(d.section.removeprefix("FAQ: ") for d in generated.banks["faqs"])

    assert asked.keys() == {
        "What is the usual workflow of a data engineer?",  # steps
        "How does a Data Engineer differ from a Data Analyst?",  # contrast
        "What problems do data engineers run into?",  # list
        "How can a data engineer help a company?",  # list
    }
    assert generated.dropped == []


def test_a_question_without_an_answer_paragraph_is_not_a_faq() -> None:
    article = parse_article("a.txt", "Title\n\nWhat is next?\n\nShort heading\n\nAnother heading\n")

    assert article.faqs == []


def test_a_tool_purpose_table_with_column_separators_describes_each_tool() -> None:
    article = read_article(LAYOUTS / "tool_table_pipes.txt")

    assert [(d.name, d.description) for d in article.tool_descriptions][:2] == [
        ("Airflow", "A workflow scheduler that runs pipelines as directed acyclic graphs"),
        ("dbt", "A framework that turns SQL select statements into tested warehouse tables"),
    ]
    assert {d.table for d in article.tool_descriptions} == {"Tools Data Engineers Use"}


def test_a_table_that_lost_its_column_borders_is_split_where_the_description_starts() -> None:
    article = read_article(LAYOUTS / "tool_table_plain.txt")

    assert [(d.name, d.description) for d in article.tool_descriptions] == [
        ("Pandas", "A Python library for tabular data analysis"),
        ("NumPy", "A Python library for fast numerical arrays"),
        ("Polars", "A DataFrame library written in Rust"),
    ]


def test_a_table_of_something_else_than_tools_describes_no_tool() -> None:
    text = "Challenges\n\nChallenges Description\nData Quality Dealing with incomplete data.\n"

    assert parse_article("a.txt", text).tool_descriptions == []


def test_such_as_lists_name_tools_of_the_kind_the_text_gives() -> None:
    article = read_article(LAYOUTS / "example_lists.txt")

    assert [(g.kind, g.tools) for g in article.tool_groups] == [
        ("cloud warehouses", ("Snowflake", "BigQuery", "Redshift")),
        ("orchestrators", ("Airflow", "Dagster", "Prefect")),
        ("version control", ("Git",)),
        ("messaging platforms", ("Kafka", "Pulsar")),
    ]


def test_any_named_tool_counts_not_a_fixed_list() -> None:
    article = parse_article("a.txt", "Teams write services in languages such as Zig, Odin, and Gleam.\n")

    assert article.tool_groups == []  # "languages" alone says too little of what kind of tool they are
    labelled = parse_article(
        "a.txt", "Systems Programming: Skill in languages such as Zig, Odin, and Gleam.\n"
    )
    assert [(g.kind, g.tools) for g in labelled.tool_groups] == [
        ("systems programming languages", ("Zig", "Odin", "Gleam"))
    ]


def test_a_list_of_lower_case_things_is_not_a_list_of_tools() -> None:
    text = "Familiarity with algorithms like regression, decision trees, neural networks, etc.\n"

    assert parse_article("a.txt", text).tool_groups == []


def test_chinese_lines_never_become_sections() -> None:
    article = read_article(ARTICLES / "half_chinese.txt")

    assert [f.question for f in article.faqs] == ["What is a Machine Learning Engineer?"]
    assert article.skipped_lines == 4


def test_an_article_without_such_sections_yields_nothing() -> None:
    article = read_article(ARTICLES / "no_sections.txt")

    assert (article.misconceptions, article.faqs, article.tool_groups, article.tool_descriptions) == (
        [],
        [],
        [],
        [],
    )
