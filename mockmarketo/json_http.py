"""JSON answers over WSGI: the one way every non-SOAP route (health, control API) replies."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator

from werkzeug.http import HTTP_STATUS_CODES

_STREAM_CHUNK_BYTES = 64 * 1024


def status_line(code: int) -> str:
    return f"{code} {HTTP_STATUS_CODES.get(code, 'Unknown')}"


class JsonArray:
    """A JSON array written item by item as the answer goes out, for answers too large to build whole
    (the request journal): `to_json` makes each item JSON only when its turn comes."""

    def __init__(self, items: Iterable, to_json: Callable):
        self.items = items
        self.to_json = to_json

    def chunks(self) -> Iterator[bytes]:
        parts, size, separator = [b"["], 1, b""
        for item in self.items:
            part = separator + json.dumps(self.to_json(item)).encode("utf-8")
            parts.append(part)
            size += len(part)
            separator = b","
            if size >= _STREAM_CHUNK_BYTES:
                yield b"".join(parts)
                parts, size = [], 0
        parts.append(b"]")
        yield b"".join(parts)


def json_response(start_response, status: str | int, payload, headers=()):
    status = status_line(status) if isinstance(status, int) else status
    if isinstance(payload, JsonArray):  # no Content-Length: sent chunked (HTTP/1.1) or up to the close
        start_response(status, [("Content-Type", "application/json"), *headers])
        return payload.chunks()
    body = json.dumps(payload).encode("utf-8")
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
