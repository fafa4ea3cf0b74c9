"""The access log: one line per SOAP call, WSDL download, control call and unrouted request, on the
logger `mockmarketo.access` at level INFO.

    2026-03-02T12:00:00.123Z soap instance=default operation=syncLead user=u1 outcome=success statuses=CREATED leads=1000001 ms=3.2
    2026-03-02T12:00:01.456Z soap instance=default operation=syncLead user=u1 outcome=fault fault=20014 reason="signature mismatch: ..." ms=1.0
    2026-03-02T12:00:02.789Z control method=GET path=/_mock/requests?operation=syncLead status=200 ms=0.4

`mockmarketo serve` logs to standard output (`--log-level`, `--log-format text|json`); elsewhere the
records follow the application's logging configuration (the pytest plugin turns them on with
`--marketo-log`). A line never holds a secret key or a signature: SOAP lines come from the journal
entry's summary (not the request), control lines name the path and query (the token is a header).
Health checks are not logged.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections import Counter
from datetime import datetime, timezone

LOGGER = logging.getLogger("mockmarketo.access")
LOG_LEVELS = ("debug", "info", "warning", "error")
LOG_FORMATS = ("text", "json")
# a line names at most this many lead ids (and how many there were)
LEAD_IDS_SHOWN = 10
_BARE = re.compile(r"[\w.:/@,+\-?&=%\[\]]+")


def soap_call(instance: str, entry) -> None:
    """A line for a SOAP call, from its journal entry (control.journal.JournalEntry)."""
    if not LOGGER.isEnabledFor(logging.INFO):
        return
    lead_ids = entry.lead_ids[:LEAD_IDS_SHOWN]
    statuses = ",".join(status if count == 1 else f"{status}x{count}"
                        for status, count in Counter(entry.statuses).items())
    _log("soap", instance=instance, operation=entry.operation, user=entry.user_id, outcome=entry.outcome,
         fault=entry.fault_code, reason=entry.reason, statuses=statuses or None,
         leads=",".join(map(str, lead_ids)) or None,
         more_leads=len(entry.lead_ids) - len(lead_ids) or None, injection=entry.injection,
         ms=round(entry.duration_ms, 1))


def control_call(method: str, path: str, status: int, duration_ms: float, error: str | None = None) -> None:
    """A line for a call of the control API (`path` with its query string)."""
    _log("control", method=method, path=path, status=status, error=error, ms=round(duration_ms, 1))


def http_request(kind: str, method: str, path: str, status: int, **fields) -> None:
    """A line for another request: a WSDL download (kind `wsdl`) or one no route answers (`http`)."""
    _log(kind, method=method, path=path, status=status, **fields)


def _log(kind: str, **fields) -> None:
    if not LOGGER.isEnabledFor(logging.INFO):
        return
    fields = {name: value for name, value in fields.items() if value is not None}
    message = " ".join([kind, *(f"{name}={_text(value)}" for name, value in fields.items())])
    LOGGER.info(message, extra={"access": {"kind": kind, **fields}})


def _text(value) -> str:
    text = str(value)
    # anything that could break the line apart (spaces, quotes, control characters) is quoted as JSON
    return text if _BARE.fullmatch(text) else json.dumps(text)


class TextFormatter(logging.Formatter):
    """`<UTC time> <message>`."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{_time(record)} {record.getMessage()}"


class JsonFormatter(logging.Formatter):
    """One JSON object a line, for log collectors: time, level, and the access fields (or `message`)."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "access", None) or {"message": record.getMessage()}
        return json.dumps({"time": _time(record), "level": record.levelname.lower(), **fields})


def _time(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def configure(level: str = "info", log_format: str = "text", stream=None) -> logging.Handler:
    """Write the access log to `stream` (default: standard output), one line each in `log_format`, and
    let mockmarketo log at `level` and above; for `mockmarketo serve`. Other records (a database
    outage, ...) go where logs.configure sends them: one rate-limited line each on standard error."""
    for handler in [h for h in LOGGER.handlers if getattr(h, "mockmarketo_serve", False)]:
        LOGGER.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.mockmarketo_serve = True
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    LOGGER.addHandler(handler)
    LOGGER.propagate = False
    logging.getLogger("mockmarketo").setLevel(level.upper())
    return handler
