"""DatabaseGuard: how long calls wait on the database, and what happens while it fails.

Every transaction runs in a session of the guard:

- A session has a deadline (`timeout` seconds, `[server] database_timeout_seconds`): connecting, waiting
  for a lock and running statements end by then (the store sets the drivers' own timeouts from it; on
  PostgreSQL a watchdog also cuts the connection of a session that overruns, since a stalled server
  enforces nothing), else DatabaseUnavailable.
- After a failure the database counts as down: calls fail at once, except one at a time that tries it
  (a probe); the first success brings it back. An outage is logged as two lines, when it starts and
  when it ends, however many calls fail meanwhile.

What needs no database never waits behind calls that do: the HTTP server serves it on threads of its own
(http_limits).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import exc

from mockmarketo.logs import logger

# How long the watchdog lets a PostgreSQL session overrun its deadline before cutting its connection:
# the server's own statement and lock timeouts (set to the deadline) answer first when it is alive.
CUT_GRACE_SECONDS = 1.0
_LOG = logger("database")


class DatabaseUnavailable(RuntimeError):
    """The database could not serve a call: unreachable, too slow, locked, full, or its file is gone.

    `reason` is one line for the caller (SOAP fault 20011, control API 503, /health)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(eq=False)
class Session:
    """One call's use of the database."""

    deadline: float
    connection: object | None = field(default=None, repr=False)  # the DBAPI connection, for the watchdog
    cut: bool = False

    def remaining(self, clock: Callable[[], float] = time.monotonic) -> float:
        return self.deadline - clock()


def reason_of(error: BaseException) -> str:
    """One line saying why a database operation failed."""
    cause = getattr(error, "orig", None) or error
    text = " ".join((str(cause).strip().splitlines() or [""])[0].split())
    return f"{type(cause).__name__}: {text}"[:300] if text else type(cause).__name__


def _is_unavailability(error: BaseException) -> bool:
    """Errors that say the database cannot serve now (rather than that a statement was wrong)."""
    return isinstance(error, (exc.OperationalError, exc.InterfaceError, exc.DisconnectionError, exc.TimeoutError,
                              TimeoutError)) or (isinstance(error, exc.DBAPIError) and error.connection_invalidated)


class DatabaseGuard:
    def __init__(self, timeout: float = 5.0, *, watchdog: bool = False, clock: Callable[[], float] = time.monotonic):
        self.timeout = timeout
        self._clock = clock
        self._cond = threading.Condition()
        self._sessions: set[Session] = set()
        self._down_reason: str | None = None
        self._down_since = 0.0
        self._failed_calls = 0
        self._probing = False
        self._current = threading.local()
        self._watchdog = threading.Thread(target=self._watch, name="mockmarketo-db-watchdog", daemon=True) \
            if watchdog else None
        self._closed = False
        if self._watchdog is not None:
            self._watchdog.start()

    # -- state ---------------------------------------------------------------------------------------

    def current(self) -> Session | None:
        """The session of the calling thread, if it is in one."""
        return getattr(self._current, "session", None)

    def attach(self, connection) -> None:
        """Name the DBAPI connection the calling thread's session uses (the watchdog cuts it on overrun)."""
        session = self.current()
        if session is not None:
            session.connection = connection

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    # -- sessions ------------------------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session of at most `timeout` seconds; DatabaseUnavailable when the database cannot serve."""
        session, probe = self._admit()
        self._current.session = session
        try:
            yield session
        except DatabaseUnavailable as error:
            self._end(session, probe, error.reason)
            raise
        except BaseException as error:
            if not _is_unavailability(error):
                self._end(session, probe, None)  # the database answered: the error is the call's own
                raise
            reason = f"the database did not answer within {self.timeout:g} s" if session.cut else reason_of(error)
            self._end(session, probe, reason)
            raise DatabaseUnavailable(reason) from error
        else:
            self._end(session, probe, None)
        finally:
            self._current.session = None

    def _admit(self) -> tuple[Session, bool]:
        session = Session(deadline=self._clock() + self.timeout)
        with self._cond:
            probe = False
            if self._down_reason is not None:
                if self._probing:
                    self._failed_calls += 1
                    raise DatabaseUnavailable(self._down_reason)
                probe = self._probing = True
            self._sessions.add(session)
        return session, probe

    def _end(self, session: Session, probe: bool, failure: str | None) -> None:
        with self._cond:
            self._sessions.discard(session)
            if probe:
                self._probing = False
            if failure is None:
                if self._down_reason is not None:
                    _LOG.warning("database available again after %.1f s; %d calls failed meanwhile",
                                 self._clock() - self._down_since, self._failed_calls)
                    self._down_reason = None
            else:
                self._failed_calls += 1
                if self._down_reason is None:
                    self._down_since, self._failed_calls = self._clock(), 1
                    _LOG.error("database unavailable: %s (calls answer fault 20011 until it is back)", failure)
                self._down_reason = failure

    # -- the watchdog (PostgreSQL) -------------------------------------------------------------------

    def _watch(self) -> None:
        while True:
            with self._cond:
                if self._closed:
                    return
                self._cond.wait(timeout=0.2)
                now = self._clock()
                overdue = [s for s in self._sessions
                           if not s.cut and s.connection is not None and now > s.deadline + CUT_GRACE_SECONDS]
                for session in overdue:
                    session.cut = True
            for session in overdue:
                cut_connection(session.connection)


def cut_connection(connection) -> None:
    """Shut down a DBAPI connection's socket, so that a call blocked on it fails at once."""
    try:
        pgconn = getattr(connection, "pgconn", None)  # psycopg 3
        fd = pgconn.socket if pgconn is not None else connection.fileno()
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except Exception:  # noqa: BLE001 - already closed or broken: nothing left to cut
        pass
