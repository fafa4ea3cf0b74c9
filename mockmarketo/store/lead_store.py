"""LeadStore: opens the database, and hands out one transaction per call as a LeadRepository.

Writes of one instance are serialised (PostgreSQL: a row lock on the instance; SQLite: every
transaction, reads included, takes the writer lock of sqlite_lock and then BEGIN IMMEDIATE — SQLite
has one writer anyway), so concurrent calls behave as if made one at a time:
two simultaneous syncs of the same new email create one lead, and ids are never reused.

Every transaction runs in a session of the store's DatabaseGuard (store.guard): it ends within the
timeout, or raises DatabaseUnavailable, as does a SQLite file deleted or replaced under the server.
"""

from __future__ import annotations

import json
import math
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime

from sqlalchemy import bindparam, create_engine, delete, event, func, insert, inspect, select, text, update
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from mockmarketo.domain.activities import utc_now
from mockmarketo.domain.leads import Lead
from mockmarketo.store import tables as t
from mockmarketo.store.activity_store import ActivityRepository
from mockmarketo.store.driver import Driver, install_postgres_events
from mockmarketo.store.guard import DatabaseGuard, DatabaseUnavailable, reason_of
from mockmarketo.store.marketing_store import MarketingRepository
from mockmarketo.store.sqlite_file import SqliteFile
from mockmarketo.store.sqlite_lock import SqliteWriterLock, database_path
from mockmarketo.store.urls import check_database_url

DEFAULT_TIMEOUT = 5.0  # seconds; the server passes [server] database_timeout_seconds
_SELECT_ONE = text("SELECT 1")


# PostgreSQL advisory lock held while a server checks or creates the schema ("mktomock" in ASCII)
_SCHEMA_LOCK_KEY = 0x6D6B746F6D6F636B


class SchemaVersionError(RuntimeError):
    """The database was made by a mockmarketo with another schema version."""


def is_sqlite_memory(url: str) -> bool:
    """Whether the URL names an in-memory SQLite database (one per process), in any of its spellings
    (`sqlite://`, `sqlite+pysqlite:///:memory:`, `sqlite:///file::memory:?...`)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    database = parsed.database or ""
    return parsed.get_backend_name() == "sqlite" and (
        database in ("", ":memory:") or database.startswith("file::memory:") or "mode=memory" in url)


def _make_engine(url: str, timeout: float, guard: DatabaseGuard) -> Engine:
    if is_sqlite_memory(url):
        # one shared connection, so every thread sees the same in-memory database
        engine = create_engine("sqlite://", poolclass=StaticPool,
                               connect_args={"check_same_thread": False})
    elif url.startswith("sqlite"):
        # each thread keeps a connection (LeadStore._sqlite_transaction): no cap on their number;
        # `timeout`: SQLite's busy timeout, how long a statement waits for another process's lock
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": timeout}, max_overflow=-1)
    else:
        # Commits are not waited for on disk (as SQLite's synchronous=NORMAL above): a crash of the
        # database server can lose the last fraction of a second of calls, never corrupt them; the wait
        # was half of a syncLead's time. An `options` parameter in the URL replaces this.
        connect_args = {} if "options" in make_url(url).query else {"options": "-c synchronous_commit=off"}
        # idle connections are pinged at checkout by store.driver (pool_pre_ping would ping every call)
        engine = create_engine(url, pool_size=10, max_overflow=20, pool_timeout=timeout, connect_args=connect_args)
        if engine.dialect.name == "postgresql":
            # the guard's checkout hook first: the connection is named to the watchdog before the ping
            _bound_postgres(engine, timeout, guard)
            install_postgres_events(engine)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record):
            # let SQLAlchemy's BEGIN decide transactions, and make BEGIN take the write lock at once
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if not is_sqlite_memory(url):
                cursor.execute("PRAGMA journal_mode=WAL")
                # WAL + NORMAL: a committed call survives the server being killed (the WAL is in the OS's
                # hands before the answer goes out); only a power cut can lose the last commits. FULL
                # would fsync every call, about 4x slower, for a guarantee a test double does not need.
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # straight to the driver: exec_driver_sql's statement machinery cost ~100 µs a call
            driver = conn.connection.driver_connection
            session = guard.current()
            try:
                if session is not None:  # wait for another process's lock only until the session's deadline
                    driver.execute(f"PRAGMA busy_timeout={max(0, int(session.remaining() * 1000))}")
                driver.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:  # raised here, SQLAlchemy does not wrap it
                raise DatabaseUnavailable(reason_of(error)) from error
    return engine


def _bound_postgres(engine: Engine, timeout: float, guard: DatabaseGuard) -> None:
    """PostgreSQL's own connect, statement and lock timeouts from `timeout`, and every connection named to
    the guard's watchdog before its first use (a stalled server enforces no timeout of its own)."""
    milliseconds = int(timeout * 1000)

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect, _record, _cargs, cparams):
        session = guard.current()
        if session is not None and session.cut:
            raise DatabaseUnavailable(f"the database did not answer within {timeout:g} s")
        remaining = session.remaining() if session is not None else timeout
        cparams["connect_timeout"] = max(2, math.ceil(min(remaining, timeout)))  # libpq's minimum is 2
        cparams["options"] = (f"{cparams.get('options', '')} -c statement_timeout={milliseconds} "
                              f"-c lock_timeout={milliseconds}").strip()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection, _record, _proxy):
        guard.attach(dbapi_connection)

    # the pool pings a connection before handing it out; name it to the watchdog before the ping
    ping = engine.dialect.do_ping

    def do_ping(dbapi_connection):
        guard.attach(dbapi_connection)
        return ping(dbapi_connection)

    engine.dialect.do_ping = do_ping


class LeadStore:
    """The lead database of every instance the server hosts. `timeout`: the longest a transaction waits
    for the database (store.guard)."""

    def __init__(self, database_url: str = "sqlite://", *, timeout: float = DEFAULT_TIMEOUT):
        check_database_url(database_url)
        self.url = database_url
        postgres = not database_url.startswith("sqlite")
        self.guard = DatabaseGuard(timeout, watchdog=postgres)
        self.engine = _make_engine(database_url, timeout, self.guard)
        self._sqlite_lock = None
        self._statements: dict = {}  # Core statement -> store.driver.Statement for this engine's dialect
        self._local = threading.local()  # SQLite: each thread's connection (_thread_connection)
        self._connections: list[tuple[threading.Thread, Connection]] = []
        self._connections_lock = threading.Lock()
        self._queries = _Queries(self.engine.dialect.name)
        self._file = None
        if self.engine.dialect.name == "sqlite":
            path = None if is_sqlite_memory(database_url) else database_path(self.engine.url.database)
            self._sqlite_lock = SqliteWriterLock(path)
            self._file = SqliteFile(path) if path else None
        try:
            self._open()
            if self._file is not None:
                self._file.remember()
        except BaseException:
            self.close()  # a refused database keeps no connection open
            raise

    def _open(self) -> None:
        """Create the schema on a new database; refuse one of another schema version."""
        if self._sqlite_lock is not None:
            # under the writer lock: servers starting together on a new file would otherwise race to
            # switch it to WAL, which SQLite answers with "database is locked" without waiting
            with self._sqlite_lock.held():
                self._open_schema()
        else:
            self._open_schema()

    def _open_schema(self) -> None:
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # servers starting together on a new database: one creates the schema, the others wait
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
                # calls commit without waiting for the disk (synchronous_commit off); the schema must not
                # be lost to a crash of the database server a moment after it was made
                conn.execute(text("SET LOCAL synchronous_commit = on"))
            existing = set(inspect(conn).get_table_names())
            if t.schema_info.name in existing:
                version = conn.execute(select(t.schema_info.c.version)).scalar()
                if version != t.SCHEMA_VERSION:
                    raise SchemaVersionError(
                        f"database {self.engine.url.render_as_string(hide_password=True)} has mockmarketo "
                        f"schema version {version}; this mockmarketo uses version {t.SCHEMA_VERSION} "
                        "(use a new database, or the mockmarketo version that made it)")
                return
            if existing & {tbl.name for tbl in t.metadata.sorted_tables}:
                raise SchemaVersionError(
                    f"database {self.engine.url.render_as_string(hide_password=True)} holds tables that "
                    "mockmarketo did not make; refusing to use it")
            t.metadata.create_all(conn)
            conn.execute(insert(t.schema_info).values(version=t.SCHEMA_VERSION))

    def close(self) -> None:
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for _, conn in connections:
            conn.close()
        self.guard.close()
        self.engine.dispose()
        if self._sqlite_lock is not None:
            self._sqlite_lock.close()

    @contextmanager
    def transaction(self, instance: str, first_id: int = 1, *, write: bool = True) -> Iterator[LeadRepository]:
        """One transaction on one instance's leads; committed unless it raises.

        A write transaction takes the instance's write lock before it reads anything, so what it
        matches cannot change under it; the instance is created on first write with ids from first_id.
        DatabaseUnavailable when the database cannot serve it within the timeout.
        """
        with self.guard.session() as session:
            if self._sqlite_lock is not None:
                with self._sqlite_lock.held(session.deadline), self._sqlite_transaction() as conn:
                    if self._file is not None:
                        self._file.check()
                    repo = self._repository(conn, instance, first_id, write)
                    yield repo
                    repo.finish()
                return
            # PostgreSQL: the driver connection in autocommit mode, so that store.driver sends BEGIN with
            # the row lock and COMMIT with the writes; SQLAlchemy's commit then has nothing left to do
            with self.engine.connect() as conn:
                driver = conn.connection.driver_connection
                driver.autocommit = True
                try:
                    with conn.begin():
                        repo = self._repository(conn, instance, first_id, write)
                        yield repo
                        repo.finish()
                finally:
                    conn.info.pop("mockmarketo_pending_writes", None)
                    if not driver.closed and driver.pgconn.transaction_status == 0:  # idle
                        driver.autocommit = False

    def ping(self) -> None:
        """Check that the database answers (and, for a SQLite file, that it is still the file opened);
        DatabaseUnavailable otherwise."""
        with self.guard.session() as session:
            lock = self._sqlite_lock.held(session.deadline) if self._sqlite_lock is not None else nullcontext()
            with lock, self.engine.begin() as conn:
                if self._file is not None:
                    self._file.check()
                conn.execute(_SELECT_ONE)

    @contextmanager
    def _sqlite_transaction(self) -> Iterator[Connection]:
        """A begun transaction on this thread's own connection, kept between transactions (checking one
        out of the pool and back costs more than most statements); a pooled one if it is busy."""
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed or conn.invalidated:
            conn = self._local.conn = self.engine.connect()
            with self._connections_lock:
                # the connections of threads that ended go back to the pool
                for thread, other in [pair for pair in self._connections if not pair[0].is_alive()]:
                    other.close()
                self._connections = [pair for pair in self._connections if pair[0].is_alive()]
                self._connections.append((threading.current_thread(), conn))
        if conn.in_transaction():
            with self.engine.begin() as other:
                yield other
            return
        with conn.begin():
            yield conn

    def _repository(self, conn: Connection, instance: str, first_id: int, write: bool) -> LeadRepository:
        repo = LeadRepository(conn, instance, first_id, Driver(conn, self._statements), self._queries)
        if write:
            repo.lock()
        return repo

    def drop_instance(self, instance: str) -> None:
        """Delete an instance and all its leads; it starts afresh on next use."""
        with self.transaction(instance) as repo:  # the write lock: no sync of the instance runs meanwhile
            repo.delete_all()


def _leads_where(*conditions, limit: int | None = None, cookies=None):
    c = t.leads.c
    columns = [t.leads] if cookies is None else [t.leads, cookies]
    query = select(*columns).where(c.instance == bindparam("instance"), *conditions)
    query = query.order_by(c.created_at.desc(), c.id.desc())
    return query.limit(limit) if limit is not None else query


def _cookies_column(dialect: str):
    """Each lead's cookies in one column of the lead query (a JSON array; NULL or [] for none)."""
    cookies = t.lead_cookies.c
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import aggregate_order_by
        aggregate = func.json_agg(aggregate_order_by(cookies.cookie, cookies.cookie))
    else:  # SQLite's binary collation is code point order: sorted in Python (LeadRepository._leads)
        aggregate = func.json_group_array(cookies.cookie)
    return (select(aggregate).where(cookies.instance == t.leads.c.instance, cookies.lead_id == t.leads.c.id)
            .scalar_subquery().label("cookies"))


class _Queries:
    """The lead lookups of one dialect, built once: each reads the leads and their cookies in one query."""

    def __init__(self, dialect: str):
        cookies = _cookies_column(dialect)
        leads = t.leads.c
        self.by_id = _leads_where(leads.id == bindparam("id"), limit=1, cookies=cookies)
        self.by_email = _leads_where(leads.email_key == bindparam("email_key"), cookies=cookies)
        self.by_foreign_id = _leads_where(leads.foreign_sys_person_id == bindparam("fid"), limit=1, cookies=cookies)
        self.by_foreign_id_of_type = _leads_where(leads.foreign_sys_person_id == bindparam("fid"),
                                                  leads.foreign_sys_type == bindparam("ftype"), limit=1,
                                                  cookies=cookies)
        self.by_cookie = _leads_where(leads.id == _LEAD_OF_COOKIE.scalar_subquery(), limit=1, cookies=cookies)
        self.postgres = dialect == "postgresql"


# The statements of every call, built once: building a statement costs more than running it on SQLite.
_LEAD_OF_COOKIE = select(t.lead_cookies.c.lead_id).where(
    t.lead_cookies.c.instance == bindparam("instance"), t.lead_cookies.c.cookie == bindparam("cookie"))
_COOKIES_OF = (select(t.lead_cookies.c.lead_id, t.lead_cookies.c.cookie)
               .where(t.lead_cookies.c.instance == bindparam("instance"),
                      t.lead_cookies.c.lead_id.in_(bindparam("ids", expanding=True)))
               .order_by(t.lead_cookies.c.cookie))
_IDS = select(t.instances.c.next_lead_id, t.instances.c.next_activity_id).where(
    t.instances.c.name == bindparam("instance"))
_IDS_FOR_UPDATE = _IDS.with_for_update()
_SET_IDS = update(t.instances).where(t.instances.c.name == bindparam("instance")).values(
    next_lead_id=bindparam("next_id"), next_activity_id=bindparam("next_activity_id"))
_INSERT_INSTANCE = insert(t.instances)
_INSERT_LEAD = insert(t.leads)
_DROP_COOKIE = delete(t.lead_cookies).where(t.lead_cookies.c.instance == bindparam("instance"),
                                            t.lead_cookies.c.cookie == bindparam("cookie"))
_INSERT_COOKIE = insert(t.lead_cookies)
_DELETE_COOKIES_OF = delete(t.lead_cookies).where(t.lead_cookies.c.instance == bindparam("instance"),
                                                  t.lead_cookies.c.lead_id.in_(bindparam("ids", expanding=True)))
_DELETE_LEADS = delete(t.leads).where(t.leads.c.instance == bindparam("instance"),
                                      t.leads.c.id.in_(bindparam("ids", expanding=True)))
_LEAD_COLUMNS = ("email", "email_key", "foreign_sys_person_id", "foreign_sys_type", "partition", "attributes",
                 "created_at", "updated_at")
_UPDATE_LEAD = (update(t.leads)
                .where(t.leads.c.instance == bindparam("b_instance"), t.leads.c.id == bindparam("b_id"))
                .values({name: bindparam(name) for name in _LEAD_COLUMNS}))


class LeadRepository:
    """The leads of one instance inside one transaction. Writes take the instance's write lock first.

    The hot statements run through store.driver; the instance's id counters are written once, when
    the transaction finishes (`finish`)."""

    def __init__(self, conn: Connection, instance: str, first_id: int, driver: Driver | None = None,
                 queries: _Queries | None = None):
        self._conn = conn
        self._db = driver or Driver(conn, {})
        self._queries = queries or _Queries(conn.dialect.name)
        self.instance = instance
        self._first_id = first_id
        self._next_id: int | None = None  # known once the write lock is held
        self._stored_ids: tuple[int, int] | None = None  # the counters as the lock read them
        self._began = False  # PostgreSQL: BEGIN sent (with the lock)
        self._loaded_cookies: dict[int, list[str]] = {}  # lead id -> its cookies as read
        self.activities = ActivityRepository(conn, instance, self.lock, self._db)
        self.marketing = MarketingRepository(conn, instance, self.lock)

    @property
    def connection(self) -> Connection:
        """This transaction's connection: the stores of other families (custom objects, MObjects) work in
        the same transaction, under the same write lock (on PostgreSQL, queued writes go out before their
        statements: store.driver)."""
        return self._conn

    # -- reading -------------------------------------------------------------------------------------

    def by_id(self, lead_id: int) -> Lead | None:
        return self._first(self._queries.by_id, id=lead_id)

    def by_foreign_id(self, foreign_sys_person_id: str, foreign_sys_type: str | None = None) -> Lead | None:
        if foreign_sys_type is None:
            return self._first(self._queries.by_foreign_id, fid=foreign_sys_person_id)
        return self._first(self._queries.by_foreign_id_of_type, fid=foreign_sys_person_id, ftype=foreign_sys_type)

    def by_email(self, email: str) -> list[Lead]:
        """Every lead with this email (any case), most recently created first."""
        return self._lead_rows(self._db.rows(self._queries.by_email,
                                             {"instance": self.instance, "email_key": email.lower()}))

    def by_cookie(self, cookie: str) -> Lead | None:
        return self._first(self._queries.by_cookie, cookie=cookie)

    def all(self, *, partition: str | None = None, updated_from: datetime | None = None,
            updated_to: datetime | None = None, after_id: int | None = None, limit: int | None = None,
            order_by_id: bool = False) -> list[Lead]:
        conditions = []
        if partition is not None:
            conditions.append(t.leads.c.partition == partition)
        if updated_from is not None:
            conditions.append(t.leads.c.updated_at >= updated_from)
        if updated_to is not None:
            conditions.append(t.leads.c.updated_at <= updated_to)
        if after_id is not None:
            conditions.append(t.leads.c.id > after_id)
        return self._many(*conditions, limit=limit, oldest_first=order_by_id)

    def count(self, *, updated_from: datetime | None = None, updated_to: datetime | None = None,
              after_id: int | None = None) -> int:
        query = select(func.count()).select_from(t.leads).where(t.leads.c.instance == self.instance)
        if updated_from is not None:
            query = query.where(t.leads.c.updated_at >= updated_from)
        if updated_to is not None:
            query = query.where(t.leads.c.updated_at <= updated_to)
        if after_id is not None:
            query = query.where(t.leads.c.id > after_id)
        return self._conn.execute(query).scalar_one()

    # -- writing -------------------------------------------------------------------------------------

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested transaction: what is written inside it is undone if it raises (and the error re-raised),
        the rest of the transaction stays. Ids taken inside it are given back too."""
        next_id, next_activity_id = self._next_id, self.activities.next_id
        loaded = dict(self._loaded_cookies)
        try:
            if self._queries.postgres:
                with self._db.savepoint():
                    yield
            else:
                with self._conn.begin_nested():
                    yield
        except BaseException:
            # the ids given back; so does the cache
            self._next_id, self.activities.next_id = next_id, next_activity_id
            self._loaded_cookies = loaded
            raise

    def create(self, lead: Lead) -> Lead:
        """Insert a lead; an id of 0 or None takes the instance's next id."""
        next_id = self.lock()
        if not lead.id:
            lead.id = next_id
        now = utc_now()
        lead.created_at = lead.created_at or now
        lead.updated_at = lead.updated_at or lead.created_at
        self._db.write(_INSERT_LEAD, {"instance": self.instance, "id": lead.id, **self._row(lead)})
        self._next_id = max(next_id, lead.id + 1)
        for cookie in lead.cookies:
            self._insert_cookie(lead.id, cookie)
        self._loaded_cookies[lead.id] = list(lead.cookies)
        return lead

    def save(self, lead: Lead) -> Lead:
        """Write back a changed lead and any cookies it gained."""
        self.lock()
        lead.updated_at = utc_now()
        self._db.write(_UPDATE_LEAD, {"b_instance": self.instance, "b_id": lead.id, **self._row(lead)})
        if lead.cookies:
            known = self._loaded_cookies.get(lead.id)
            if known is None:
                known = self._cookies_of([lead.id]).get(lead.id, [])
            for cookie in lead.cookies:
                if cookie not in known:
                    self._insert_cookie(lead.id, cookie)
            self._loaded_cookies[lead.id] = list(lead.cookies)
        return lead

    def delete(self, lead_ids: list[int]) -> None:
        """Delete leads and their cookies (their ids are never given out again: the sequence only grows).
        Their activities stay: move them first (a merge gives them to the winner)."""
        self.lock()
        params = {"instance": self.instance, "ids": lead_ids}
        self._conn.execute(_DELETE_COOKIES_OF, params)
        self._conn.execute(_DELETE_LEADS, params)
        for lead_id in lead_ids:
            self._loaded_cookies.pop(lead_id, None)

    def move_objects(self, loser_ids: list[int], winner_id: int) -> None:
        """Give the losing leads' custom object records and opportunity roles to the winner of a merge."""
        from mockmarketo.store.lead_objects import move_lead_objects  # (it imports this module)
        move_lead_objects(self, loser_ids, winner_id)

    def finish(self) -> None:
        """Write the id counters if they moved; on PostgreSQL send the queued writes with the COMMIT."""
        if self._stored_ids is not None:
            ids = (self._next_id, self.activities.next_id)
            if ids != self._stored_ids:
                self._db.write(_SET_IDS, {"instance": self.instance, "next_id": ids[0], "next_activity_id": ids[1]})
                self._stored_ids = ids
        if self._began:
            self._db.flush(commit=True)

    def delete_all(self) -> None:
        self.activities.delete_all()
        self.marketing.delete_all()
        self._conn.execute(delete(t.lead_cookies).where(t.lead_cookies.c.instance == self.instance))
        self._conn.execute(delete(t.leads).where(t.leads.c.instance == self.instance))
        self._conn.execute(delete(t.instances).where(t.instances.c.name == self.instance))

    # -- internals -----------------------------------------------------------------------------------

    def lock(self) -> int:
        """Take the instance's write lock (creating the instance) and return its next lead id."""
        if self._next_id is not None:
            return self._next_id
        params = {"instance": self.instance}
        if self._queries.postgres:
            rows = self._db.begin_with(_IDS_FOR_UPDATE, params)
            self._began = True
            if not rows:
                from sqlalchemy.dialects.postgresql import insert as pg_insert
                self._conn.execute(pg_insert(t.instances).values(
                    name=self.instance, next_lead_id=self._first_id, next_activity_id=1).on_conflict_do_nothing())
                rows = self._db.rows(_IDS_FOR_UPDATE, params)
        else:
            rows = self._db.rows(_IDS, params)
            if not rows:
                self._db.write(_INSERT_INSTANCE, {"name": self.instance, "next_lead_id": self._first_id,
                                                  "next_activity_id": 1})
                rows = [(self._first_id, 1)]
        self._next_id, self.activities.next_id = rows[0]
        self._stored_ids = tuple(rows[0])
        return self._next_id

    def _insert_cookie(self, lead_id: int, cookie: str) -> None:
        """Attach a cookie to a lead, moving it from any lead that had it (a cookie names one lead)."""
        self._db.write(_DROP_COOKIE, {"instance": self.instance, "cookie": cookie})
        self._db.write(_INSERT_COOKIE, {"instance": self.instance, "cookie": cookie, "lead_id": lead_id})

    @staticmethod
    def _row(lead: Lead) -> dict:
        """The stored columns of a lead (_LEAD_COLUMNS), as parameters."""
        return {
            "email": lead.email,
            "email_key": lead.email.lower() if lead.email else None,
            "foreign_sys_person_id": lead.foreign_sys_person_id,
            "foreign_sys_type": lead.foreign_sys_type,
            "partition": lead.partition,
            "attributes": json.dumps(lead.attributes, separators=(",", ":"), sort_keys=True),
            "created_at": lead.created_at,
            "updated_at": lead.updated_at,
        }

    def _first(self, statement, **params) -> Lead | None:
        found = self._lead_rows(self._db.rows(statement, {"instance": self.instance, **params}))
        return found[0] if found else None

    def _lead_rows(self, rows) -> list[Lead]:
        """Leads from rows of a lead query with its cookies column (_Queries)."""
        leads = []
        for (_, lead_id, email, _, foreign_id, foreign_type, partition, attributes, created_at, updated_at,
             cookies) in rows:
            if isinstance(cookies, str):
                cookies = sorted(json.loads(cookies))
            cookies = list(cookies or [])
            self._loaded_cookies[lead_id] = list(cookies)
            leads.append(Lead(id=lead_id, email=email, foreign_sys_person_id=foreign_id, foreign_sys_type=foreign_type,
                              attributes=json.loads(attributes), cookies=cookies, partition=partition,
                              created_at=created_at, updated_at=updated_at))
        return leads

    def _many(self, *conditions, limit: int | None = None, oldest_first: bool = False) -> list[Lead]:
        c = t.leads.c
        query = select(t.leads).where(c.instance == self.instance, *conditions)
        query = query.order_by(c.id) if oldest_first else query.order_by(c.created_at.desc(), c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        return self._leads(self._conn.execute(query).all())

    def _leads(self, rows) -> list[Lead]:
        cookies = self._cookies_of([row.id for row in rows]) if rows else {}
        return [
            Lead(id=row.id, email=row.email, foreign_sys_person_id=row.foreign_sys_person_id,
                 foreign_sys_type=row.foreign_sys_type, attributes=json.loads(row.attributes),
                 cookies=cookies.get(row.id, []), partition=row.partition,
                 created_at=row.created_at, updated_at=row.updated_at)
            for row in rows
        ]

    def _cookies_of(self, lead_ids: list[int]) -> dict[int, list[str]]:
        rows = self._conn.execute(_COOKIES_OF, {"instance": self.instance, "ids": lead_ids}).all()
        found: dict[int, list[str]] = {}
        for lead_id, cookie in rows:
            found.setdefault(lead_id, []).append(cookie)
        return found
