"""``quizbot export``: scores or answers as CSV or JSON, for admins who want the data in a spreadsheet.

Rows are streamed from the database to the output, so a large answers table never sits in memory.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from typing import Any, TextIO

from quizbot.domain import QuizError
from quizbot.store import Store

KINDS = ("scores", "answers")
FORMATS = ("csv", "json")


def server_scope(text: str | None) -> str | None:
    """Validate ``PLATFORM:SERVER`` (the form boards are kept under); None means every server."""
    if text is None:
        return None
    platform, sep, server = text.partition(":")
    if not sep or not platform or not server or ":" in server:
        raise QuizError(f"'{text}' is not PLATFORM:SERVER (e.g. discord:1234 or slack:T0123)")
    return text


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


async def write_export(store: Store, kind: str, fmt: str, out: TextIO, *, server: str | None = None) -> int:
    """Write every row of ``kind`` (in ``server`` if given) to ``out``; returns how many were written."""
    scope = server_scope(server)
    count = 0
    async with store.unit(read_only=True) as unit:
        result = await unit.conn.stream(unit.export_query(kind, scope))
        columns = list(result.keys())
        writer = csv.writer(out) if fmt == "csv" else None
        if writer is not None:
            writer.writerow(columns)
        else:
            out.write("[")
        async for row in result:
            values = [_plain(v) for v in row]
            if writer is not None:
                writer.writerow(values)
            else:
                record = json.dumps(dict(zip(columns, values, strict=True)), ensure_ascii=False)
                out.write(("," if count else "") + "\n  " + record)
            count += 1
        if writer is None:
            out.write("\n]\n" if count else "]\n")
    return count
