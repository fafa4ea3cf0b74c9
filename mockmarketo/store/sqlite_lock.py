"""The writer lock in front of a SQLite database: one transaction at a time, queued instead of polled.

SQLite admits one writer, and every mockmarketo transaction on SQLite begins with BEGIN IMMEDIATE (see
lead_store). Left to SQLite, waiting writers poll with growing sleeps (its busy handler), which under load
shows as latency spikes of a second or more. So a transaction first takes this lock: a thread lock within
the process and, for a database file, an exclusive flock on `<database>.lock` across processes (gunicorn
workers, several servers on one file), which the kernel hands over as soon as it is released. BEGIN
IMMEDIATE and the busy timeout still guard against a process that does not take the lock.

A transaction with a deadline waits for the thread lock until then at most; the flock stays a blocking
wait (first come, first served across processes), bounded by the deadline of the process holding it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

try:
    import fcntl
except ImportError:  # Windows: the thread lock and SQLite's own locking only
    fcntl = None


class SqliteWriterLock:
    def __init__(self, database_path: str | None):
        """`database_path`: the database file, or None for an in-memory database (one process)."""
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._file = None
        if database_path and fcntl is not None:
            self._file = open(f"{database_path}.lock", "a+b")  # noqa: SIM115 - held until close()

    @contextmanager
    def held(self, deadline: float | None = None) -> Iterator[None]:
        """Hold the lock; TimeoutError if another thread holds it past `deadline` (time.monotonic())."""
        wait = -1 if deadline is None else max(0.0, deadline - time.monotonic())
        if not self._thread_lock.acquire(timeout=wait):
            raise TimeoutError("another call held the database's writer lock until the deadline")
        try:
            if self._depth == 0 and self._file is not None:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_EX)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._file is not None:
                    fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def database_path(url_database: str | None) -> str | None:
    """The file of a SQLite URL's database part, or None when it is in memory."""
    if not url_database or url_database == ":memory:" or url_database.startswith("file::memory:"):
        return None
    return os.path.abspath(url_database)
