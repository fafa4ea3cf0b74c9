"""Serving a WSGI app over HTTP, stopping cleanly on Ctrl-C and SIGTERM.

`serve` runs what `mockmarketo serve` asks for: waitress (one process, `threads` threads; the default, as
the faster for one process) or gunicorn (`workers` processes of `threads` threads each, see gunicorn_server;
the default for more than one worker). HttpServer is the waitress server, also used in process by tests
that need a real socket, and in each gunicorn worker; http_limits bounds its connections and how long
a client may take to send a request.

SIGTERM, SIGHUP and Ctrl-C stop it gracefully: it stops accepting, closes idle connections, lets the
requests in flight finish and send their answers (at most GRACE_SECONDS), then returns.
"""

from __future__ import annotations

import ipaddress
import json
import re
import signal
import socket
import threading
import time
from collections.abc import Callable

from waitress.channel import ClientDisconnected
from waitress import wasyncore
from waitress.server import BaseWSGIServer, create_server
from waitress.task import ErrorTask

from mockmarketo.app import SOAP_PATH, MockMarketoApp
from mockmarketo.config import ConfigError, Settings
from mockmarketo.control.faults import DropConnection
from mockmarketo.domain.errors import MarketoError
from mockmarketo.http_limits import HttpLimits, TimedChannel, quick_lane, raise_open_files_limit
from mockmarketo.soap.faults import CONTENT_TYPE, HTTP_STATUS, fault_xml
from mockmarketo.store.lead_store import is_sqlite_memory
from mockmarketo.tls import Certificate


def _closing_on_drop(app):
    """The app, with DropConnection turned into waitress's ClientDisconnected: waitress then closes the
    connection without writing a byte (any other exception would make it send a 500 page)."""

    def wsgi(environ, start_response):
        try:
            return app(environ, start_response)
        except DropConnection:
            raise ClientDisconnected from None

    return wsgi


class _ErrorTask(ErrorTask):
    """waitress's own answers to requests it refuses before the app sees them (a body over the size
    limit, an unreadable Content-Length or chunk), in the shape of the route: Marketo's fault on the
    SOAP endpoint (as the app answers a body over the limit), {"error": ...} with the HTTP status
    elsewhere. waitress's are plain text."""

    def execute(self):
        error = self.request.error
        detail = error.body.strip().splitlines()[0] if error.body.strip() else error.reason
        # a request line that cannot be read (garbage, a TLS handshake) leaves the request without a path
        if SOAP_PATH.match(getattr(self.request, "path", None) or ""):
            if error.code == 413:
                limit = self.channel.server.max_request_bytes
                fault = MarketoError(20012, f"Request body is larger than {limit} bytes")
            elif error.code >= 500:
                fault = MarketoError(10001, "Internal error")
            else:
                fault = MarketoError(20012, f"Request not understood: {error.reason}: {detail}")
            status, content_type, body = HTTP_STATUS, CONTENT_TYPE, fault_xml(fault)
        else:
            status, content_type = f"{error.code} {error.reason}", "application/json"
            body = json.dumps({"error": f"{error.reason}: {detail}"}).encode("utf-8")
        self.status = status
        self.response_headers.append(("Content-Type", content_type))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _Channel(TimedChannel):
    error_task_class = _ErrorTask


STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT) if hasattr(signal, "SIGHUP") else (
    signal.SIGTERM, signal.SIGINT)
GRACE_SECONDS = 9  # within gunicorn's GRACEFUL_TIMEOUT, after which it kills a worker
_LOOP_SECONDS = 0.2  # how often the serving loop looks at its stop flag


class HttpServer:
    """A running (or ready to run) HTTP server for one MockMarketoApp (or any WSGI app, given its limits
    and request size), on host:port or on sockets already bound (a gunicorn worker's). Its limits and
    request size come from the app's settings unless given."""

    def __init__(self, app: MockMarketoApp, host: str = "127.0.0.1", port: int = 0, threads: int = 8,
                 max_request_bytes: int | None = None, *, limits: HttpLimits | None = None, sockets=None):
        self.app = app
        if max_request_bytes is None:
            max_request_bytes = app.settings.max_request_bytes
        limits = limits or HttpLimits.of(app.settings)
        where = {"sockets": sockets} if sockets is not None else {"host": host, "port": port}
        self._server = create_server(_closing_on_drop(app), threads=threads,
                                     ident="mockmarketo", clear_untrusted_proxy_headers=True,
                                     max_request_body_size=max_request_bytes + 1024,
                                     **limits.waitress_options(), **where)
        listeners = [self._server] if isinstance(self._server, BaseWSGIServer) else [
            dispatcher for dispatcher in self._server.map.values() if isinstance(dispatcher, BaseWSGIServer)]
        needs_no_database = getattr(app, "needs_no_database", None)
        self._lanes = []
        for listener in listeners:
            listener.channel_class = _Channel
            listener.max_request_bytes = max_request_bytes
            limits.install(listener)
            if needs_no_database is not None:
                self._lanes.append(quick_lane(listener, needs_no_database))
        self._listeners = listeners
        self._map = self._server.map if hasattr(self._server, "map") else self._server._map
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.host = host
        self.port = listeners[0].effective_port

    @property
    def base_url(self) -> str:
        return base_url(self.host, self.port)

    def serve_forever(self) -> None:
        """Serve until SIGTERM, SIGHUP or Ctrl-C (signals are taken in the main thread only), then stop
        gracefully and close."""
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                signal.signal(signum, self._on_stop_signal)
        try:
            self.run()
        finally:
            self.close()

    def start_in_thread(self) -> threading.Thread:
        self._thread = threading.Thread(target=self.run, name="mockmarketo-http", daemon=True)
        self._thread.start()
        return self._thread

    def run(self, keep_going: Callable[[], bool] = lambda: True) -> None:
        """Serve until stopped (stop(), a stop signal, or `keep_going()` false), then stop gracefully."""
        while not self._stopping.is_set() and keep_going():
            wasyncore.loop(timeout=_LOOP_SECONDS, use_poll=True, map=self._map, count=1)
        self._drain(GRACE_SECONDS)

    def stop(self) -> None:
        """Ask the serving loop to stop (from any thread)."""
        self._stopping.set()
        self._listeners[0].pull_trigger()

    def _drain(self, grace: float) -> None:
        """Stop accepting, close idle connections, and serve the requests in flight to their end."""
        for listener in self._listeners:
            wasyncore.dispatcher.close(listener)  # the listening socket only: new clients are refused
        deadline = time.monotonic() + grace
        while True:
            busy = False
            for listener in self._listeners:
                for channel in list(listener.active_channels.values()):
                    if channel.requests or channel.total_outbufs_len:
                        busy = True
                    else:
                        channel.will_close = True
            if not busy or time.monotonic() > deadline:
                break
            wasyncore.loop(timeout=0.05, use_poll=True, map=self._map, count=1)

    def close(self) -> None:
        """Stop the serving thread before closing the sockets: closing them under a running poll made it
        fail with EBADF in that thread. Then let the task threads finish the calls they are answering
        (at most 5 s): each pulls the trigger when done, which must still be open. Then close every
        socket: the listeners, the trigger and the connections still open."""
        if self._thread is not None:
            self.stop()
            self._thread.join(timeout=GRACE_SECONDS + 5)
        for dispatcher in [self._listeners[0].task_dispatcher, *self._lanes]:
            dispatcher.shutdown()
        wasyncore.close_all(self._map)  # the listeners, waitress's wake-up pipe, any connection left
        getattr(self.app, "close", lambda: None)()

    def _on_stop_signal(self, _signum, _frame):
        self._stopping.set()  # the loop sees it within _LOOP_SECONDS


def base_url(host: str, port: int, scheme: str = "http") -> str:
    """The URL a local client uses for a server listening on host:port."""
    host = "127.0.0.1" if host in ("0.0.0.0", "") else "::1" if host == "::" else host
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def check_host(settings: Settings) -> None:
    """A one-line ConfigError for a host that is no address to listen on (waitress said "Invalid
    host/port specified" after seconds of name lookups)."""
    host, source = settings.host, settings.source("host")
    if not host:  # every interface
        return
    try:
        ipaddress.ip_address(host)
        return
    except ValueError:
        pass
    if re.fullmatch(r"[\d.]+", host) or ":" in host:
        raise ConfigError(f"{source}: {host!r} is not an IP address")
    try:
        socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ConfigError(f"{source}: {host!r} is neither an IP address nor a name this machine resolves") from None


def _check_port_free(host: str, port: int) -> None:
    """OSError if host:port cannot be bound."""
    family, kind, _, _, address = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                     flags=socket.AI_PASSIVE)[0]
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)


def check_workers(settings: Settings) -> None:
    """Refuse server settings that cannot work, with a one-line ConfigError."""
    if settings.tls and settings.chosen_http_server() == "waitress":
        raise ConfigError(f"{settings.source('http_server')}: waitress does not serve TLS; leave out "
                          "--http-server waitress (gunicorn then serves TLS)")
    if settings.workers > 1 and settings.chosen_http_server() == "waitress":
        raise ConfigError(f"workers: waitress serves from one process; --workers {settings.workers} "
                          "needs --http-server gunicorn")
    if settings.workers > 1 and is_sqlite_memory(settings.database_url):
        raise ConfigError(f"workers: an in-memory database lives in one process; --workers {settings.workers} "
                          "needs a SQLite file or PostgreSQL --database-url")


def serve(settings: Settings, app_factory: Callable[[], object], announce: Callable[[str], None],
          certificate: Certificate | None = None) -> None:
    """Serve the apps `app_factory` makes (one per process) until SIGTERM or Ctrl-C, over TLS with
    `certificate` (gunicorn only).

    `announce(base_url)` is called once the port is bound. Raises ConfigError or OSError before serving.
    """
    check_workers(settings)
    check_host(settings)
    # a port in use is the same one line on either server (gunicorn retried for 5 s, waitress leaked sockets)
    _check_port_free(settings.host, settings.port)
    raise_open_files_limit(settings.connection_limit)
    if settings.chosen_http_server() == "gunicorn":
        from mockmarketo.gunicorn_server import serve_gunicorn

        serve_gunicorn(app_factory, settings, announce, certificate)
        return
    app = app_factory()
    try:
        server = HttpServer(app, settings.host, settings.port, threads=settings.threads,
                            max_request_bytes=settings.max_request_bytes, limits=HttpLimits.of(settings))
    except BaseException:
        app.close()  # e.g. the port is in use: nothing of the app stays open
        raise
    announce(server.base_url)
    server.serve_forever()
