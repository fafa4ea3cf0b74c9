"""The store's hot path: SQLAlchemy Core statements compiled once per dialect and run on the DBAPI
cursor of SQLAlchemy's own connection, with SQLAlchemy's bind and result processors (so values are
stored and read exactly as through SQLAlchemy), and, on PostgreSQL, writes sent in one batch.

SQLAlchemy still owns the schema, the engine, the pool and every transaction; a call only skips its
per-statement machinery (~30 µs a statement, more than SQLite takes to run most of them).

PostgreSQL round trips (tests/test_store_round_trips.py): a write transaction opens with one round
trip that begins it and takes the instance's row lock (`BEGIN; SELECT ... FOR UPDATE`), reads as it
needs (one round trip per lookup), and queues its writes, which go with the COMMIT in one last round
trip. For this the driver connection runs in autocommit mode during the transaction, so that BEGIN
and COMMIT are ours to send: SQLAlchemy's commit then finds the transaction committed, and its
rollback still rolls back a transaction that failed. Queued writes go out before anything else runs
on the connection (an engine event), so code that uses SQLAlchemy directly sees them.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError

# A pooled PostgreSQL connection idle for longer than this is pinged before use (SQLAlchemy's
# pool_pre_ping pings every checkout: one round trip per call).
PING_AFTER_IDLE_SECONDS = 1.0
_PENDING = "mockmarketo_pending_writes"
_SAVEPOINTS = itertools.count(1)


class Statement:
    """A Core statement compiled for one dialect: its SQL, parameter order and value processors."""

    __slots__ = ("sql", "names", "binds", "results", "defaults")

    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.names = list(compiled.positiontup) if compiled.positional else None
        self.binds = dict(compiled._bind_processors)
        # values bound in the statement itself (a LIMIT, a literal)
        self.defaults = {name: value for name, value in compiled.params.items() if value is not None}
        processors = [column[3]._cached_result_processor(dialect, None) for column in compiled._result_columns]
        self.results = processors if any(processors) else None

    def parameters(self, values: dict):
        if self.defaults:
            values = {**self.defaults, **values}
        binds = self.binds
        if binds:
            values = {name: (binds[name](value) if name in binds else value) for name, value in values.items()}
        if self.names is not None:
            return [values[name] for name in self.names]
        return values

    def rows(self, raw_rows) -> list:
        processors = self.results
        if processors is None:
            return raw_rows
        return [tuple(value if process is None else process(value) for process, value in zip(processors, row))
                for row in raw_rows]


class Driver:
    """Runs Statements on one SQLAlchemy Connection's DBAPI connection."""

    def __init__(self, conn: Connection, statements: dict):
        self._conn = conn
        self._dbapi = conn.connection.dbapi_connection
        self._driver = conn.connection.driver_connection
        self._statements = statements  # the store's cache: Core statement -> Statement
        self.postgres = conn.dialect.name == "postgresql"
        self._pending = conn.info.setdefault(_PENDING, []) if self.postgres else None

    def compiled(self, statement) -> Statement:
        found = self._statements.get(statement)
        if found is None:
            found = self._statements[statement] = Statement(statement, self._conn.dialect)
        return found

    def rows(self, statement, values: dict) -> list:
        """The rows of a query; on PostgreSQL any queued writes go in the same round trip, before it."""
        compiled = self.compiled(statement)
        if self._pending:
            return self._after_pending(compiled, values)
        cursor = self._dbapi.cursor()
        try:
            parameters = compiled.parameters(values)
            with self._errors(compiled.sql, parameters, cursor):
                cursor.execute(compiled.sql, parameters)
                return compiled.rows(cursor.fetchall())
        finally:
            cursor.close()

    def write(self, statement, values: dict) -> None:
        """Run a write now (SQLite) or with the next round trip (PostgreSQL)."""
        compiled = self.compiled(statement)
        if self.postgres:
            self._pending.append(self._literal(compiled.sql, compiled.parameters(values)))
            return
        cursor = self._dbapi.cursor()
        try:
            parameters = compiled.parameters(values)
            with self._errors(compiled.sql, parameters, cursor):
                cursor.execute(compiled.sql, parameters)
        finally:
            cursor.close()

    def flush(self, *, commit: bool = False) -> None:
        """Send the queued writes (PostgreSQL), and the COMMIT with them when `commit`."""
        if not self.postgres:
            return
        batch = list(self._pending)
        self._pending.clear()
        if commit:
            batch.append("COMMIT")
        if batch:
            self._simple("; ".join(batch))

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """PostgreSQL: a savepoint queued with the writes; when nothing of it was sent yet, a rollback
        to it is only forgetting what was queued."""
        mark = len(self._pending)
        name = f"mockmarketo_{next(_SAVEPOINTS)}"
        begin = f"SAVEPOINT {name}"
        self._pending.append(begin)
        try:
            yield
        except BaseException:
            if len(self._pending) > mark and self._pending[mark] is begin:
                del self._pending[mark:]
            else:
                self._pending.append(f"ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}")
            raise
        self._pending.append(f"RELEASE SAVEPOINT {name}")

    def begin_with(self, statement, values: dict) -> list:
        """PostgreSQL: BEGIN and a first query (the instance's row lock) in one round trip; the rows."""
        self._pending.insert(0, "BEGIN")
        return self._after_pending(self.compiled(statement), values)

    def _after_pending(self, compiled: Statement, values: dict) -> list:
        cursor = self._client_cursor()
        try:
            self._pending.append(self._literal(compiled.sql, compiled.parameters(values), cursor))
            sql = "; ".join(self._pending)
            self._pending.clear()
            with self._errors(sql, None, cursor):
                cursor.execute(sql)
                while cursor.nextset():
                    pass
                return compiled.rows(cursor.fetchall())
        finally:
            cursor.close()

    def _simple(self, sql: str) -> None:
        cursor = self._client_cursor()
        try:
            with self._errors(sql, None, cursor):
                cursor.execute(sql)
        finally:
            cursor.close()

    @contextmanager
    def _errors(self, sql: str, parameters, cursor) -> Iterator[None]:
        """Driver errors as SQLAlchemy raises them (IntegrityError...); a lost connection is invalidated."""
        dialect = self._conn.dialect
        try:
            yield
        except dialect.loaded_dbapi.Error as error:
            lost = dialect.is_disconnect(error, self._dbapi, cursor)
            if lost:
                self._conn.invalidate(error)
            raise DBAPIError.instance(sql, parameters, error, dialect.loaded_dbapi.Error,
                                      connection_invalidated=lost, dialect=dialect) from error

    def _client_cursor(self):
        import psycopg

        return psycopg.ClientCursor(self._driver)

    def _literal(self, sql: str, parameters, cursor=None) -> str:
        own = cursor is None
        cursor = cursor or self._client_cursor()
        try:
            return cursor.mogrify(sql, parameters)
        finally:
            if own:
                cursor.close()


def install_postgres_events(engine: Engine) -> None:
    """Queued writes go out before any other statement; idle connections are pinged before use."""

    @event.listens_for(engine, "before_cursor_execute")
    def _flush_queued_writes(conn, cursor, statement, parameters, context, executemany):
        pending = conn.info.get(_PENDING)
        if pending:
            batch = "; ".join(pending)
            pending.clear()
            Driver(conn, {})._simple(batch)

    @event.listens_for(engine, "checkin")
    def _note_last_use(dbapi_connection, record):
        record.info["last_used"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, proxy):
        record.info.pop(_PENDING, None)
        # a connection a failed call left broken (statements run on the driver's cursor, so SQLAlchemy
        # does not see the disconnect) is pinged too, however recently used: the ping discards it
        broken = getattr(dbapi_connection, "broken", False) or getattr(dbapi_connection, "closed", False)
        if not broken and time.monotonic() - record.info.get("last_used", 0.0) <= PING_AFTER_IDLE_SECONDS:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_connection.rollback()
        except Exception as error:  # noqa: BLE001 - the pool discards the connection and takes another
            raise DisconnectionError(str(error)) from error
