"""Tables that answer a FAQ: a share table asks which row is largest, a term table which term a description
belongs to; the wrong choices are the table's other rows, never another FAQ's list."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizbot.generate import generate
from quizbot.generate.model import Draft
from quizbot.generate.sections import DataTable, Faq, parse_article, read_article
from quizbot.generate.tables import answering_tables

ARTICLE = Path(__file__).resolve().parent / "data" / "tables" / "answer_tables.txt"


@pytest.fixture(scope="module")
def drafts() -> list[Draft]:
    return generate([read_article(ARTICLE)]).banks["faqs"]


def _for(drafts: list[Draft], question: str) -> list[Draft]:
    return [d for d in drafts if d.section.startswith(f"FAQ: {question}")]


def test_a_share_table_answers_the_faq_its_heading_repeats_with_its_largest_row(drafts: list[Draft]) -> None:
    (draft,) = _for(drafts, "Which sectors hire data engineers?")

    assert draft.prompt == "Sectors hiring data engineers: which sector has the largest share of hires?"
    assert draft.section == "FAQ: Which sectors hire data engineers? (table: Sectors Hiring Data Engineers)"
    assert draft.answer == "Banking"
    assert set(draft.choices) <= {"Banking", "Media", "Logistics", "Retail"}  # never the catch-all "Other"
    assert len(draft.choices) == 4
    assert draft.explanation == (
        "Banking has the largest share of hires (31%), then Media (25%), Logistics (22%), Retail (14%) "
        "and Other (8%)."
    )


def test_a_share_table_without_column_borders_is_split_where_its_share_column_starts(
    drafts: list[Draft],
) -> None:
    (draft,) = _for(drafts, "What degree do data engineers hold?")

    assert draft.prompt == "Degrees held by data engineers: which degree held has the largest share?"
    assert draft.answer == "Computer Science"


def test_a_term_table_asks_which_term_a_description_belongs_to(drafts: list[Draft]) -> None:
    table = next(t for t in read_article(ARTICLE).tables if t.label_title == "Risk")
    (draft,) = _for(drafts, "What risks do data engineers manage?")
    terms = dict(table.rows)

    assert "Cost and Budget Overruns" in terms  # a name with "and" in it stays one term
    assert draft.answer in terms
    assert (
        draft.prompt
        == f"Risks managed by data engineers: which risk is described as “{terms[draft.answer]}”?"
    )
    assert set(draft.choices) <= set(terms)
    for wrong in set(draft.choices) - {draft.answer}:
        assert wrong in draft.explanation  # every wrong choice is explained by its own description


def test_a_faq_a_table_answers_is_not_asked_with_another_faqs_list(drafts: list[Draft]) -> None:
    """The risks FAQ lists risks in prose ("such as schema drift, silent failures …"); with the table there,
    the list question (wrong choices from another FAQ's list, often a different kind) is not made."""
    assert [d.id for d in _for(drafts, "What risks do data engineers manage?")] == [
        "faq-risks-manage-described"
    ]


def test_a_table_no_faq_asks_about_gives_no_question(drafts: list[Draft]) -> None:
    assert not [d for d in drafts if "Debugging" in d.choices or "Denver" in d.explanation]


def _table(
    heading: str, rows: tuple[tuple[str, str], ...] = (("A", "50%"), ("B", "30%"), ("C", "20%"))
) -> DataTable:
    return DataTable(heading, "", "Kind", "Share", rows, 1)


def test_two_tables_that_fit_a_faq_equally_well_answer_nothing() -> None:
    faq = Faq("Which tools and languages do analysts use?", "Analysts use many.", 1)
    tables = [_table("Tools Used by Analysts"), _table("Languages Used by Analysts")]

    assert answering_tables([faq], tables, ["analysts"]) == {}
    assert answering_tables([faq], tables[:1], ["analysts"]) == {0: tables[0]}


def test_words_naming_the_people_asked_about_do_not_match_a_table() -> None:
    faq = Faq("What do data engineers earn?", "It varies.", 1)

    assert answering_tables([faq], [_table("Sectors Hiring Data Engineers")], ["data engineers"]) == {}


@pytest.mark.parametrize(
    "rows",
    [
        "Other 60%\nBanking 20%\nRetail 12%\nMedia 8%",  # a catch-all row is no answer
        "Banking 30%\nRetail 30%\nMedia 25%\nTravel 15%",  # two rows share the largest share
    ],
    ids=["catch-all-largest", "tie-for-largest"],
)
def test_no_question_when_no_single_named_row_is_largest(rows: str) -> None:
    article = parse_article(
        "shares.txt",
        f"Table: Sectors Hiring Analysts\n\nSector Share\n{rows}\n\n"
        "Q: Which sectors hire analysts?\nA: Banking, retail and media hire them.\n",
    )

    assert [d for d in generate([article]).banks["faqs"] if d.id.endswith("-largest")] == []
