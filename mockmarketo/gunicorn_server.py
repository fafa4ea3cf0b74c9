"""Serving with gunicorn: `workers` processes of `threads` threads, run in process, no config file.

gunicorn is the process manager: it binds the port, forks the workers, restarts one that dies and
stops them. Each worker makes its own app after the fork (no preloading), so no database connection
crosses a fork; the workers share the database and its per-instance write lock.

Each worker serves HTTP with server.HttpServer, the waitress server of a single process, on the socket
gunicorn bound: the same limits (http_limits), the same answers to malformed HTTP, the same graceful
stop. gunicorn's own threaded worker gives a connection a thread as soon as its first byte arrives, so
a few clients sending half a request held every thread, and it answers malformed requests with HTML.

SIGTERM and SIGHUP stop the master, which stops the workers gracefully (in-flight requests finish, at
most GRACEFUL_TIMEOUT seconds). There is nothing to reload: settings are read at start.

waitress cannot terminate TLS: when gunicorn is given a certificate, its own threaded worker serves
(with TLS, without the protections above).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.workers.base import Worker

from mockmarketo.config import Settings
import socket

from mockmarketo.control.faults import DropConnection
from mockmarketo.tls import Certificate

GRACEFUL_TIMEOUT = 10


class _Arbiter(Arbiter):
    def handle_hup(self):
        # gunicorn reloads on SIGHUP; mockmarketo reads its settings at start only, so HUP stops it like TERM
        self.handle_term()


class WaitressWorker(Worker):
    """A gunicorn worker that serves its app with server.HttpServer on the listening sockets."""

    def init_signals(self):
        super().init_signals()
        signal.signal(signal.SIGHUP, self.handle_exit)  # a hang-up of the terminal: stop gracefully
        signal.siginterrupt(signal.SIGHUP, False)

    def run(self):
        from mockmarketo.http_limits import HttpLimits
        from mockmarketo.server import HttpServer

        settings = self.app.settings
        server = HttpServer(self.wsgi, threads=self.cfg.threads, max_request_bytes=settings.max_request_bytes,
                            limits=HttpLimits.of(settings), sockets=[listener.sock for listener in self.sockets])
        try:
            server.run(keep_going=self._keep_going)
        finally:
            server.close()  # closes the app too

    def _keep_going(self) -> bool:
        self.notify()  # the master's heartbeat
        return self.alive and self.ppid == os.getppid()


class _Application(BaseApplication):
    def __init__(self, app_factory: Callable[[], object], settings: Settings, options: dict):
        self._factory = app_factory
        self.settings = settings
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)
        if self.cfg.is_ssl:  # a certificate: only gunicorn's own worker speaks TLS
            self.cfg.set("worker_class", "gthread")

    def load(self):
        app = self._factory()
        return _closing_on_drop(app) if self.cfg.is_ssl else app

    def run(self):
        try:
            _Arbiter(self).run()
        except RuntimeError as error:
            print(f"\nError: {error}\n", file=sys.stderr)
            sys.exit(1)


def _bound_url(server, scheme: str) -> str:
    from mockmarketo.server import base_url

    host, port = server.LISTENERS[0].sock.getsockname()[:2]
    return base_url(host, port, scheme)


def gunicorn_options(settings: Settings, announce: Callable[[str], None],
                     certificate: Certificate | None = None) -> dict:
    """gunicorn's settings for `mockmarketo serve` (no config file is read); TLS with `certificate`."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    options = {
        "bind": [f"{host}:{settings.port}"],
        "workers": settings.workers,
        "threads": settings.threads,
        "worker_class": WaitressWorker,
        "graceful_timeout": GRACEFUL_TIMEOUT,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "mockmarketo",
        "when_ready": lambda server: announce(_bound_url(server, "https" if certificate else "http")),
        "worker_exit": _worker_exit,
        # the heartbeat file: /dev/shm keeps it off a container's overlay filesystem
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
    }
    if certificate is not None:
        options.update(certfile=certificate.cert_file, keyfile=certificate.key_file, keepalive=5)
    return options


def _worker_exit(_server, worker) -> None:
    """gunicorn's own (TLS) worker: close the worker's app as it exits (WaitressWorker closes its own)."""
    close = getattr(worker.wsgi, "close", None) if not isinstance(worker, WaitressWorker) else None
    if close is not None:
        close()


def _closing_on_drop(app):
    """For gunicorn's own (TLS) worker: the app, with an injected `drop` (DropConnection) shutting the
    client's socket before gunicorn can write its error page, so the client sees the connection close
    with no answer, as under waitress."""

    def wsgi(environ, start_response):
        try:
            return app(environ, start_response)
        except DropConnection:
            client = environ.get("gunicorn.socket")
            if client is not None:
                client.shutdown(socket.SHUT_RDWR)
            raise

    wsgi.close = getattr(app, "close", lambda: None)
    return wsgi


def serve_gunicorn(app_factory: Callable[[], object], settings: Settings, announce: Callable[[str], None],
                   certificate: Certificate | None = None) -> None:
    """Run gunicorn in this process until SIGTERM/SIGHUP/SIGINT, over TLS with `certificate`;
    `announce(base_url)` once the port is bound."""
    master = os.getpid()
    try:
        _Application(app_factory, settings, gunicorn_options(settings, announce, certificate)).run()
    except SystemExit as stop:
        # gunicorn ends its master and its forked workers with sys.exit; only a clean master stop returns
        if os.getpid() != master or stop.code not in (0, None):
            raise
