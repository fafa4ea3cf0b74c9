"""GET /health: whether the server can serve.

`/health` checks the database too (a trivial query within the database timeout; for a SQLite file,
that it is still the file opened): 200 `{"status": "ok", "version": ..., "database": "ok"}`, or 503
`{"status": "unavailable", "version": ..., "database": "<why>"}`. `/health?live` asks only whether the
process answers, and never waits on the database.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from mockmarketo import __version__
from mockmarketo.json_http import json_response
from mockmarketo.store import DatabaseUnavailable, LeadStore


def health(store: LeadStore, environ, start_response):
    if "live" in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True):
        return json_response(start_response, 200, {"status": "ok", "version": __version__})
    try:
        store.ping()
    except DatabaseUnavailable as error:
        return json_response(start_response, 503, {"status": "unavailable", "version": __version__,
                                                   "database": error.reason})
    return json_response(start_response, 200, {"status": "ok", "version": __version__, "database": "ok"})
