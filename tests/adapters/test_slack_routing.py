"""What ``/quiz <text>`` means, and the small helpers behind escaping and button values."""

from __future__ import annotations

import re

import pytest

from adapters.slack_app.escape import clip, escape, escape_clipped
from adapters.slack_app.ids import ModalContext, parse_answer_value
from adapters.slack_app.routing import Action, Route, route

TOPICS = ["ml", "Data Engineering", "stats"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Route(Action.ASK)),
        ("   ", Route(Action.ASK)),
        ("ml", Route(Action.ASK, topic="ml")),
        ("ML", Route(Action.ASK, topic="ml")),
        ("data engineering", Route(Action.ASK, topic="Data Engineering")),
        ("leaderboard week", Route(Action.LEADERBOARD, ("week",))),
        ("Leaderboard", Route(Action.LEADERBOARD)),
        ("schedule 09:00 Europe/Berlin", Route(Action.SCHEDULE, ("09:00", "Europe/Berlin"))),
        ("help", Route(Action.HELP)),
        ("quantum", Route(Action.HELP, unknown="quantum")),
        ("ml please", Route(Action.HELP, unknown="ml please")),
    ],
)
def test_route_reads_subcommands_topics_and_unknown_words(text: str, expected: Route) -> None:
    assert route(text, TOPICS) == expected


def test_subcommand_wins_over_a_topic_of_the_same_name() -> None:
    assert route("stats", TOPICS) == Route(Action.STATS)


def test_topic_keyword_reaches_a_topic_named_like_a_subcommand() -> None:
    assert route("topic stats", TOPICS) == Route(Action.ASK, topic="stats")
    assert route("topic Data engineering", TOPICS) == Route(Action.ASK, topic="Data Engineering")


def test_topic_keyword_with_an_unknown_topic_is_left_to_the_engine_to_explain() -> None:
    assert route("topic quantum", TOPICS) == Route(Action.ASK, topic="quantum")


def test_escape_neutralises_mentions_and_links() -> None:
    assert (
        escape("<!channel> & <@U1> <https://x|y>") == "&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://x|y&gt;"
    )


def test_clip_never_splits_an_entity() -> None:
    text = escape("a" * 8 + "<b>&c")
    for limit in range(2, len(text)):
        clipped = clip(text, limit)
        body = clipped.removesuffix("…")
        assert len(clipped) <= limit
        assert text.startswith(body)
        assert re.search(r"&[a-z]*$", body) is None, clipped


def test_escape_clipped_keeps_short_text_whole() -> None:
    assert escape_clipped("a<b", 10) == "a&lt;b"
    assert escape_clipped("x" * 100, 10) == "x" * 9 + "…"


@pytest.mark.parametrize(
    ("value", "parsed"),
    [("12:3", ("12", 3)), ("12", None), ("1:-1", None), ("1:²", None), ("1:" + "9" * 5000, None), ("", None)],
)
def test_answer_values_need_a_choice_index_and_leave_the_id_to_the_engine(
    value: str, parsed: tuple[str, int] | None
) -> None:
    assert parse_answer_value(value) == parsed


def test_modal_context_survives_private_metadata_and_rejects_garbage() -> None:
    context = ModalContext(7, "C1", "https://hooks.slack.com/actions/T/1/x", private_question=False)
    assert ModalContext.load(context.dump()) == context
    assert ModalContext.load("not json") is None
    assert ModalContext.load('{"c": "C1"}') is None
    assert ModalContext.load("[1, 2]") is None
    assert ModalContext.load('{"a": Infinity, "c": "C1"}') == ModalContext("", "C1")  # no such question
