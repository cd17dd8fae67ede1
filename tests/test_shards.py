"""``QUIZBOT_DISCORD_SHARDS``: the Discord shards one process runs; each wrong form is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizbot.settings import Settings
from quizbot.shards import ShardPlan, parse_shards
from tests.test_cli import run_quizbot

FORM = "write it as FIRST-LAST/COUNT, e.g. 0-1/4 (or a list: 0,2/4)"


@pytest.mark.parametrize(
    ("written", "ids", "count"),
    [
        ("0-1/4", (0, 1), 4),
        ("2/4", (2,), 4),
        ("0,2/4", (0, 2), 4),
        ("3,0-1/4", (0, 1, 3), 4),
        ("0/1", (0,), 1),
        (" 1 - 2 / 3 ", (1, 2), 3),
    ],
)
def test_good_forms_name_the_shards_and_the_count(written: str, ids: tuple[int, ...], count: int) -> None:
    assert parse_shards(written) == ShardPlan(ids, count)
    assert Settings(_env_file=None, discord_shards=written).discord_shard_plan == ShardPlan(ids, count)


def test_the_plan_reads_back_as_written_and_knows_its_share() -> None:
    assert str(parse_shards("0,1,2,5/8")) == "0-2,5/8"
    assert parse_shards("0-1/4").share == 0.5


@pytest.mark.parametrize("unset", [None, "", "  "])
def test_unset_or_blank_means_no_sharding(unset: str | None) -> None:
    assert Settings(_env_file=None, discord_shards=unset).discord_shard_plan is None


@pytest.mark.parametrize(
    ("written", "line"),
    [
        ("5/4", f"'5/4': shard 5 is outside 0-3; {FORM}"),
        ("0-4/4", f"'0-4/4': shard 4 is outside 0-3; {FORM}"),
        ("2", f"'2' has no shard count; {FORM}"),
        ("0-1/0", f"'0-1/0': the shard count '0' is not a whole number from 1; {FORM}"),
        ("0-1/x", f"'0-1/x': the shard count 'x' is not a whole number from 1; {FORM}"),
        ("3-1/4", "'3-1/4': the range 3-1 runs backwards; write it as 1-3"),
        ("a/4", f"'a/4': 'a' is not a shard number or range; {FORM}"),
        ("1-/4", f"'1-/4': '1-' is not a shard number or range; {FORM}"),
        ("/4", f"'/4': '' is not a shard number or range; {FORM}"),
        ("0,,1/4", f"'0,,1/4': '' is not a shard number or range; {FORM}"),
        ("-1/4", f"'-1/4': '-1' is not a shard number or range; {FORM}"),
        ("0-2,1/4", "'0-2,1/4': shard 1 is listed twice; name each shard once"),
    ],
)
def test_each_bad_form_is_one_line_saying_how_to_write_it(written: str, line: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_shards(written)
    assert str(caught.value) == line


def test_quizbot_refuses_a_bad_value_in_one_line_before_it_starts(tmp_path: Path) -> None:
    result = run_quizbot(["run"], tmp_path, "", QUIZBOT_DISCORD_SHARDS="5/4")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"quizbot: invalid setting QUIZBOT_DISCORD_SHARDS: '5/4': shard 5 is outside 0-3; {FORM}"
    ]
