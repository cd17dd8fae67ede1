"""Which Discord shards this process runs: ``QUIZBOT_DISCORD_SHARDS``, e.g. ``0-1/4`` or ``0,2/4``.

Discord splits a bot's guilds into shards by id (``(guild_id >> 22) % shard_count``), one gateway connection
each, and requires sharding from 2,500 guilds on. A process runs the listed shards of ``COUNT``; the
processes of one bot together must run every shard once. Unset, discord.py's default applies: one process,
one connection, every guild.

This is a settings matter, parsed here so that ``quizbot`` refuses a wrong value in one line before it
starts; the Discord adapter turns the plan into discord.py's ``shard_ids`` and ``shard_count``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FORM = "write it as FIRST-LAST/COUNT, e.g. 0-1/4 (or a list: 0,2/4)"
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class ShardPlan:
    """The shards one process runs (``ids``, ascending) out of the bot's ``count``."""

    ids: tuple[int, ...]
    count: int

    @property
    def share(self) -> float:
        """The part of the bot's guilds (and of its REST budget) this process stands for."""
        return len(self.ids) / self.count

    def __str__(self) -> str:
        """``0-1/4``, ``0,2/4``: as an operator writes it, for the log."""
        runs: list[str] = []
        for shard in self.ids:
            if runs and runs[-1].split("-")[-1] == str(shard - 1):
                runs[-1] = f"{runs[-1].split('-')[0]}-{shard}"
            else:
                runs.append(str(shard))
        return f"{','.join(runs)}/{self.count}"


def parse_shards(text: str) -> ShardPlan:
    """``FIRST-LAST/COUNT``, ``ID/COUNT`` or ``ID,ID-ID,.../COUNT`` as a :class:`ShardPlan`.

    Raises ``ValueError`` with one line saying what is wrong and how to write it (pydantic reports it as an
    invalid setting).
    """
    value = text.strip()
    listed, slash, count_text = value.rpartition("/")
    if not slash:
        raise ValueError(f"'{value}' has no shard count; {FORM}")
    count_text, listed = count_text.strip(), listed.strip()
    if not _NUMBER.fullmatch(count_text) or int(count_text) < 1:
        raise ValueError(f"'{value}': the shard count '{count_text}' is not a whole number from 1; {FORM}")
    count = int(count_text)
    ids: list[int] = []
    for item in listed.split(","):
        first, dash, last = (part.strip() for part in item.partition("-"))
        if not _NUMBER.fullmatch(first) or (dash and not _NUMBER.fullmatch(last)):
            raise ValueError(f"'{value}': '{item.strip()}' is not a shard number or range; {FORM}")
        low, high = int(first), int(last) if dash else int(first)
        if low > high:
            raise ValueError(f"'{value}': the range {low}-{high} runs backwards; write it as {high}-{low}")
        for shard in (low, high):
            if shard >= count:
                raise ValueError(f"'{value}': shard {shard} is outside 0-{count - 1}; {FORM}")
        for shard in range(low, high + 1):
            if shard in ids:
                raise ValueError(f"'{value}': shard {shard} is listed twice; name each shard once")
            ids.append(shard)
    return ShardPlan(tuple(sorted(ids)), count)
