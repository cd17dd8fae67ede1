"""A throwaway PostgreSQL database per benchmark, created and dropped on the server given by ``--postgres``.

The admin URL is an SQLAlchemy URL (``postgresql+asyncpg://user@host:5432/postgres``); benchmarks talk to
the database both through the engine (that URL with the new database name) and through bare asyncpg for
their baselines and bulk loads.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url


async def connect(url: str) -> Any:
    """A bare asyncpg connection to the database an SQLAlchemy URL names."""
    parts = make_url(url)
    return await asyncpg.connect(
        host=parts.host or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        database=parts.database or "postgres",
        timeout=10,
    )


@asynccontextmanager
async def scratch_database(admin_url: str, label: str) -> AsyncIterator[str]:
    """Create an empty database, yield its SQLAlchemy URL, drop it afterwards (even after a failure)."""
    name = f"quizbot_bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = await connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        admin = await connect(admin_url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
