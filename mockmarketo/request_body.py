"""Reading a request body within a size limit: the one way the SOAP endpoint and the control API read
what a client sends, so neither can be made to buffer more than the limit."""

from __future__ import annotations


class BodyTooLarge(Exception):
    """The declared or the actual body is larger than the limit."""

    def __init__(self, limit: int):
        super().__init__(f"larger than {limit} bytes")
        self.limit = limit


def read_body(environ, limit: int) -> bytes:
    """The body of a WSGI request, read to its Content-Length (or to the end) and never past `limit`."""
    try:
        declared = int(environ.get("CONTENT_LENGTH") or -1)
    except ValueError:
        declared = -1
    if declared > limit:
        raise BodyTooLarge(limit)
    stream = environ["wsgi.input"]
    body = stream.read(declared) if declared >= 0 else stream.read(limit + 1)
    if len(body) > limit:
        raise BodyTooLarge(limit)
    return body
