"""Group commit: answers that arrive together share one transaction and one durable commit.

A durable commit is the slowest step of an answer (an fsync on SQLite with ``synchronous=FULL``, a WAL
flush on PostgreSQL), and it costs the same for one answer as for a hundred. When a daily post is clicked
by hundreds of members within seconds, committing each answer on its own queues them behind one fsync
each; here a writer task drains every answer waiting at that moment into one batch, runs each in its own
``SAVEPOINT`` (one answer that fails is rolled back alone, the others stay), commits once, and only then
tells each caller its result. Durability is unchanged: nobody is told "recorded" before the commit that
recorded it returned. If the batch cannot commit (the database is gone), every answer in it fails with
:class:`~quizbot.domain.DatabaseUnavailableError` and nothing of the batch is written.

Answering one at a time costs one task hand-off more than before and no extra statement.

On SQLite the whole batch runs in one worker thread over a blocking connection (``in_thread``): the async
driver hands every cursor call to its own thread and back (four hops per statement, about thirty per
answer), and on a busy machine those hops, not SQLite, were most of an answer's time. The jobs are the same
coroutines either way; over a blocking connection each of their awaits completes at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from typing import Any, Generic, Protocol, TypeVar

from quizbot.domain import DatabaseUnavailableError

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_BATCH = 256
"""Answers per transaction at most: bounds how long one transaction holds its locks (PostgreSQL) and how
much one failed commit takes with it. Later answers wait for the next batch."""


class SavepointUnit(Protocol):
    """What a batch needs of the store's transaction: a savepoint to run one job in."""

    def savepoint(self) -> AbstractAsyncContextManager[Any]: ...


U = TypeVar("U", bound=SavepointUnit)


class GroupCommit(Generic[U]):
    """Runs jobs ``async (unit) -> result`` in shared transactions opened by ``open_unit``.

    ``is_outage`` tells a lost database (the whole batch fails) from an error of one job (only that job
    fails, its savepoint rolled back). The writer task exists only while jobs wait, so there is nothing to
    start or stop with the store.
    """

    def __init__(
        self,
        open_unit: Callable[[], AbstractAsyncContextManager[U]],
        is_outage: Callable[[BaseException], bool],
        in_thread: Callable[[Callable[[U], Any]], Awaitable[Any]] | None = None,
    ) -> None:
        self._open_unit = open_unit
        self._is_outage = is_outage
        self._in_thread = in_thread
        """SQLite: runs a whole batch in one worker thread over a blocking connection (see the module)."""
        self._pending: list[tuple[Callable[[U], Awaitable[Any]], asyncio.Future[Any]]] = []
        self._writer: asyncio.Task[None] | None = None
        self.batches = 0
        """Transactions committed or attempted (for tests and benchmarks)."""

    async def run(self, job: Callable[[U], Awaitable[T]]) -> T:
        """Run ``job`` in the next batch; its result once the batch committed, or its own exception."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((job, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            await self._commit(batch)

    async def _commit(self, batch: list[tuple[Callable[[U], Awaitable[Any]], asyncio.Future[Any]]]) -> None:
        self.batches += 1
        outcomes: dict[int, tuple[bool, Any]] = {}
        try:
            try:
                outcomes = await self._attempt(dict(enumerate(job for job, _ in batch)), guarded=False)
            except _JobFailed as failed:  # rolled back: run the others again, each in its own savepoint
                retry = {i: job for i, (job, _) in enumerate(batch) if i != failed.index}
                outcomes = await self._attempt(retry, guarded=True) if retry else {}
                outcomes[failed.index] = (False, failed.error)
        except Exception as exc:
            failed_batch = _batch_failed(exc)
            for _, future in batch:
                _settle(future, False, failed_batch)
            return
        except BaseException:  # the writer itself was cancelled (shutdown): nobody's answer was saved
            for _, future in batch:
                future.cancel()
            raise
        for i, (_, future) in enumerate(batch):
            _settle(future, *outcomes[i])

    async def _attempt(
        self, jobs: dict[int, Callable[[U], Awaitable[Any]]], *, guarded: bool
    ) -> dict[int, tuple[bool, Any]]:
        """One transaction running ``jobs``. Unguarded, the first job that raises rolls everything back
        (:class:`_JobFailed`); guarded, each job runs in a savepoint and only its own work is undone."""

        def steps(unit: U) -> Iterator[tuple[int, Awaitable[tuple[bool, Any]]]]:
            run = self._in_savepoint if guarded else self._unguarded
            return ((i, run(unit, i, job)) for i, job in jobs.items())  # lazily: none left unawaited

        if self._in_thread is not None:
            return dict(await self._in_thread(lambda unit: [(i, _drive(s)) for i, s in steps(unit)]))
        async with self._open_unit() as unit:
            return {i: await s for i, s in steps(unit)}

    async def _unguarded(self, unit: U, index: int, job: Callable[[U], Awaitable[Any]]) -> tuple[bool, Any]:
        try:
            return True, await job(unit)
        except Exception as exc:
            if self._is_outage(exc) or isinstance(exc, DatabaseUnavailableError):
                raise
            raise _JobFailed(index, exc) from exc

    async def _in_savepoint(
        self, unit: U, index: int, job: Callable[[U], Awaitable[Any]]
    ) -> tuple[bool, Any]:
        try:
            async with unit.savepoint():
                return True, await job(unit)
        except Exception as exc:
            if self._is_outage(exc) or isinstance(exc, DatabaseUnavailableError):
                raise  # the connection is gone: the whole batch fails
            return False, exc


class _JobFailed(Exception):
    """One job of an unguarded attempt raised: the transaction is rolled back and the others rerun."""

    def __init__(self, index: int, error: Exception) -> None:
        super().__init__(index)
        self.index, self.error = index, error


def _drive(step: Awaitable[Any]) -> Any:
    """Run a coroutine whose every await completes at once (a job over a blocking connection, in the
    writer thread) to its end, without an event loop."""
    coroutine = step.__await__()
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError("a batched job waited for something other than its database connection")


def _batch_failed(error: BaseException) -> BaseException:
    """What each answer of a batch that did not commit gets: the outage itself, else a retryable outage."""
    if isinstance(error, DatabaseUnavailableError):
        return error
    log.error("a batch of answers was not saved", exc_info=error)
    return DatabaseUnavailableError("The answer was not saved — try again in a minute.")


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.done():  # the caller gave up waiting (cancelled); its answer's fate is in the database
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)
