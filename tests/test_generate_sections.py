"""Splitting an article into the sections questions are built from: misconceptions, FAQs and tools."""

from __future__ import annotations

from pathlib import Path

from quizbot.generate.sections import parse_article, read_article

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"


def test_each_misconception_keeps_its_number_claim_and_supporting_points() -> None:
    article = read_article(ARTICLES / "careers.txt")

    first = article.misconceptions[0]
    assert [m.number for m in article.misconceptions] == [1, 2, 3]
    assert first.claim == "Machine Learning Engineers only train models"
    assert first.points[1] == "They package models as services that other teams can call."
    assert len(first.points) == 3
    assert "training is a small part" in first.intro


def test_a_misconception_ends_where_the_next_heading_starts() -> None:
    text = (
        "Misconception #1: Engineers work alone\n\nIt is often said.\n\n"
        "  • They pair with analysts.\n\nTools We Like\n\nSome prose that follows the list, long enough.\n"
    )

    (misconception,) = parse_article("a.txt", text).misconceptions

    assert misconception.points == ("They pair with analysts.",)


def test_a_faq_is_a_question_line_followed_by_its_answer_paragraph() -> None:
    article = read_article(ARTICLES / "careers.txt")

    questions = [faq.question for faq in article.faqs]
    assert "What challenges do Machine Learning Engineers face?" in questions
    challenges = next(f for f in article.faqs if f.question.startswith("What challenges"))
    assert challenges.answer.startswith("Machine Learning Engineers face challenges such as")


def test_a_short_sub_heading_between_question_and_answer_is_skipped() -> None:
    article = read_article(ARTICLES / "careers.txt")

    mlops = next(f for f in article.faqs if f.question == "Why learn about MLOps?")

    assert mlops.answer.startswith("Teams that automate model releases")
    assert "A Short Answer" not in mlops.answer


def test_a_question_without_an_answer_paragraph_is_not_a_faq() -> None:
    text = "Intro line\n\nWhat is next?\n\nTools\n\n  • Git\n"

    assert parse_article("a.txt", text).faqs == []


def test_tools_table_rows_carry_the_articles_description() -> None:
    article = read_article(ARTICLES / "careers.txt")

    keras = next(m for m in article.tools if m.tool.key == "keras" and m.description)

    assert keras.description == "A high-level neural networks API that runs on top of TensorFlow"
    assert keras.heading == "Tools Machine Learning Engineers Use"


def test_tools_named_in_prose_are_found_without_a_description() -> None:
    article = read_article(ARTICLES / "careers.txt")

    found = {m.tool.key for m in article.tools}

    assert {"git", "docker", "kubernetes", "aws"} <= found
    assert all(not m.description for m in article.tools if m.tool.key == "git")


def test_chinese_lines_give_tool_names_but_never_faqs() -> None:
    article = read_article(ARTICLES / "half_chinese.txt")

    assert [f.question for f in article.faqs] == ["What is a Machine Learning Engineer?"]
    assert {"pandas", "numpy"} <= {m.tool.key for m in article.tools}
    assert not next(m for m in article.tools if m.tool.key == "pandas").latin
    assert article.skipped_lines == 4


def test_an_article_without_such_sections_yields_nothing() -> None:
    article = read_article(ARTICLES / "no_sections.txt")

    assert (article.misconceptions, article.faqs, article.tools) == ([], [], [])


def test_a_tool_name_inside_another_word_is_not_a_mention() -> None:
    text = "Spreadsheets and Gitter chats are not tools we teach; neither is a sparkline.\n"

    assert parse_article("a.txt", text).tools == []
