"""JSON answers over WSGI: the one way every non-SOAP route (health, control API) replies."""

from __future__ import annotations

import json

from werkzeug.http import HTTP_STATUS_CODES


def status_line(code: int) -> str:
    return f"{code} {HTTP_STATUS_CODES.get(code, 'Unknown')}"


def json_response(start_response, status: str | int, payload, headers=()) -> list[bytes]:
    body = json.dumps(payload).encode("utf-8")
    status = status_line(status) if isinstance(status, int) else status
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                            *headers])
    return [body]


def check_object(payload, known_keys, where: str, error: type[Exception]) -> dict:
    """`payload` if it is a JSON object of known keys; else `error` with a one-line message naming `where`."""
    prefix = f"{where}: " if where else ""
    if not isinstance(payload, dict):
        raise error(f"{prefix}expected a JSON object, got {payload!r}")
    for key in payload:
        if key not in known_keys:
            raise error(f"{where + '.' if where else ''}{key}: unknown key (known: {', '.join(known_keys)})")
    return payload
