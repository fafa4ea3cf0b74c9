"""Throw-away PostgreSQL databases for the tests (issue 5, "PostgreSQL").

The server is the machine's PostgreSQL (127.0.0.1:5432, trust auth, user postgres) unless
MOCKMARKETO_TEST_POSTGRES_URL names another maintenance database to connect to.
"""

from __future__ import annotations

import os
import secrets

from sqlalchemy.engine import make_url

ADMIN_URL = os.environ.get("MOCKMARKETO_TEST_POSTGRES_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def connect(url: str):
    """A psycopg connection (autocommit) to the database a SQLAlchemy URL names."""
    import psycopg

    parts = make_url(url)
    return psycopg.connect(host=parts.host, port=parts.port, user=parts.username, password=parts.password,
                           dbname=parts.database, autocommit=True, connect_timeout=5)


def _admin_connect():
    return connect(ADMIN_URL)


def create_database() -> str:
    """Create `mockmarketo_test_<random>` and return its SQLAlchemy URL."""
    name = f"mockmarketo_test_{secrets.token_hex(6)}"
    with _admin_connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    name = make_url(url).database
    with _admin_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_database(url: str) -> None:
    """Drop everything in the database's public schema, so the next test starts on an empty database."""
    with connect(url) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
