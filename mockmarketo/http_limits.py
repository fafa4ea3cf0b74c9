"""What keeps slow, idle and numerous clients from holding the HTTP server (waitress, in the one process
of `mockmarketo serve` and in each gunicorn worker, see server.HttpServer):

- at most `connection_limit` open connections per process; further clients wait in the listen backlog
  until one closes;
- a request's line and headers must arrive within `header_timeout` seconds of its first byte, and its
  body within `body_timeout` seconds after its headers, else the connection is closed;
- a connection with no request in progress (kept alive between requests, or opened and never used) is
  closed after `idle_timeout` seconds.

waitress reads requests in its event loop and hands a request to a worker thread only once it is
complete, so a slow client costs a connection, never a thread; these limits bound the connections.
A connection whose first byte cannot begin an HTTP request (a TLS handshake from a client configured
for https, binary noise) is answered 400 and closed at once, rather than waited on for a line end.

Requests the app answers from memory alone (`app.needs_no_database(...)`: the WSDL, `/health?live`,
control reads) and requests refused for their form are served by QUICK_LANE_THREADS threads of their
own, so neither a stalled database nor a flood of slow calls queues them behind the worker threads.
"""

from __future__ import annotations

import time
import types
from dataclasses import dataclass

from waitress.channel import HTTPChannel
from waitress.task import ThreadedTaskDispatcher
from waitress.utilities import BadRequest

from mockmarketo.logs import logger

try:
    import resource
except ImportError:  # Windows
    resource = None

_LOG = logger("http")
QUICK_LANE_THREADS = 2
# waitress counts its listening sockets and its wake-up pipe as connections too
_WAITRESS_OWN_SOCKETS = 8
# what a request may start with: a method (an HTTP token), or the blank lines RFC 9112 lets clients send
_REQUEST_START = frozenset(b"!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\r\n")


@dataclass(frozen=True)
class HttpLimits:
    connection_limit: int = 1000
    header_timeout: float = 10
    body_timeout: float = 30
    idle_timeout: float = 30

    @classmethod
    def of(cls, settings) -> HttpLimits:
        return cls(settings.connection_limit, settings.header_timeout_seconds, settings.body_timeout_seconds,
                   settings.idle_timeout_seconds)

    def waitress_options(self) -> dict:
        """waitress's own settings for these limits (its maintenance runs every second: see `install`)."""
        return {"connection_limit": self.connection_limit + _WAITRESS_OWN_SOCKETS, "cleanup_interval": 1,
                "channel_timeout": max(1, int(self.idle_timeout)),
                # poll(), not select(): select() fails on descriptors above 1023
                "asyncore_use_poll": True}

    def install(self, listener) -> None:
        """Make a waitress listener close the connections that overrun these limits."""
        listener.maintenance = types.MethodType(_closing_overdue(self), listener)


class TimedChannel(HTTPChannel):
    """A waitress channel that remembers when the request it is reading started, and when that request's
    headers were complete."""

    _timed_request = None
    request_started = 0.0
    headers_done: float | None = None

    def received(self, data):
        if data and self.request is None and not self.requests and data[0] not in _REQUEST_START:
            return self._refuse(f"not an HTTP request: its first byte is 0x{data[0]:02x}" + (
                " (a TLS handshake: this server speaks plain HTTP)" if data[0] == 0x16 else ""))
        result = super().received(data)
        request = self.request  # the request still being read, if any
        if request is not self._timed_request:
            self._timed_request, self.request_started, self.headers_done = request, time.time(), None
        if request is not None and self.headers_done is None and request.headers_finished:
            self.headers_done = time.time()
        return result

    def _refuse(self, reason: str) -> bool:
        """Answer 400 (the error task writes it and closes), reading nothing more."""
        request = self.parser_class(self.adj)
        request.error = BadRequest(reason)
        request.completed = True
        with self.requests_lock:
            self.requests.append(request)
            self.server.add_task(self)
        return True


def quick_lane(listener, needs_no_database) -> ThreadedTaskDispatcher:
    """Serve `listener`'s requests that need no database (and refused ones) on threads of their own;
    the dispatcher returned is the caller's to shut down."""
    lane = ThreadedTaskDispatcher()
    lane.set_thread_count(QUICK_LANE_THREADS)
    workers = listener.add_task

    def add_task(channel) -> None:
        request = channel.requests[0]
        quick = request.error is not None or needs_no_database(
            request.command, request.path, request.query)
        (lane.add_task if quick else workers)(channel)

    listener.add_task = add_task
    return lane


def _closing_overdue(limits: HttpLimits):
    def maintenance(listener, now: float) -> None:
        for channel in list(listener.active_channels.values()):
            if channel.requests or channel.will_close:
                continue  # being served, or closing already
            if channel.request is None:
                overdue, what = now - channel.last_activity > limits.idle_timeout, "idle"
            elif getattr(channel, "headers_done", None) is None:
                overdue = now - getattr(channel, "request_started", now) > limits.header_timeout
                what = "request headers incomplete"
            else:
                overdue, what = now - channel.headers_done > limits.body_timeout, "request body incomplete"
            if overdue:
                channel.will_close = True
                if what != "idle":
                    _LOG.info("closed a connection from %s: %s past the time limit", channel.addr[0], what)

    return maintenance


def raise_open_files_limit(connections: int) -> None:
    """Let the process open enough descriptors for `connections` connections (and its own files), as far
    as the hard limit allows; say so in one line when it cannot."""
    if resource is None:
        return
    needed = connections + 256
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        if target < needed:
            _LOG.warning("open files limited to %d (hard limit): fewer than connection_limit %d connections "
                         "can be open at once", target, connections)
