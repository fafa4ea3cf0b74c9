"""Which database URLs mockmarketo opens, checked before anything is opened so that a wrong one is one
line naming the forms that work (not a driver's ModuleNotFoundError or SQLAlchemy's NoSuchModuleError)."""

from __future__ import annotations

import importlib.util
import os

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from mockmarketo.store.sqlite_lock import database_path

SUPPORTED = ("sqlite:// (in memory), sqlite:///relative/path.db, sqlite:////absolute/path.db or "
             "postgresql+psycopg://user:password@host:5432/dbname")


class DatabaseUrlError(ValueError):
    """A database URL mockmarketo cannot open, described in one line (never with its password)."""


def check_database_url(url: str) -> None:
    """Raise DatabaseUrlError unless `url` is a SQLite URL whose folder exists, or a PostgreSQL URL of the
    psycopg driver with psycopg installed."""
    scheme = url.split("://", 1)[0] if "://" in url else None
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUrlError(f"{url if scheme is None else scheme + '://...'!r} is not a database URL; use "
                               f"{SUPPORTED}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = database_path(parsed.database)
        if path is not None and not os.path.isdir(os.path.dirname(path)):
            raise DatabaseUrlError(f"the folder {os.path.dirname(path)} of the SQLite file {path} does not exist")
    elif backend in ("postgresql", "postgres"):
        if parsed.drivername != "postgresql+psycopg":
            raise DatabaseUrlError(f"{scheme}:// is not supported; PostgreSQL URLs name the psycopg driver: "
                                   "postgresql+psycopg://user:password@host:5432/dbname")
        if importlib.util.find_spec("psycopg") is None:
            raise DatabaseUrlError("the PostgreSQL driver psycopg is not installed: pip install "
                                   "'mockmarketo[postgres]' (or pip install 'psycopg[binary]')")
    else:
        raise DatabaseUrlError(f"{scheme}:// is not a database mockmarketo supports; use {SUPPORTED}")
