"""Persistence of leads with SQLAlchemy Core: embedded SQLite by default, PostgreSQL for shared state."""

from mockmarketo.store.guard import DatabaseUnavailable
from mockmarketo.store.lead_store import LeadStore, SchemaVersionError
from mockmarketo.store.urls import DatabaseUrlError

__all__ = ["DatabaseUnavailable", "DatabaseUrlError", "LeadStore", "SchemaVersionError"]
