"""Serving with gunicorn: `workers` processes of `threads` threads (gthread), run in process, no config file.

Each worker makes its own app after the fork (no preloading), so no database connection crosses a fork;
the workers share the database and its per-instance write lock. SIGTERM stops the master, which stops the
workers gracefully (in-flight requests finish, at most GRACEFUL_TIMEOUT seconds).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable

from gunicorn.app.base import BaseApplication

from mockmarketo.config import Settings
from mockmarketo.control.faults import DropConnection
from mockmarketo.tls import Certificate

GRACEFUL_TIMEOUT = 10


class _Application(BaseApplication):
    def __init__(self, app_factory: Callable[[], object], options: dict):
        self._factory = app_factory
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        return _closing_on_drop(self._factory())


def _closing_on_drop(app):
    """The app, with an injected `drop` (DropConnection) shutting the client's socket before gunicorn can
    write its error page, so the client sees the connection close with no answer, as under waitress."""

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


def _bound_url(server, scheme: str) -> str:
    from mockmarketo.server import base_url

    host, port = server.LISTENERS[0].sock.getsockname()[:2]
    return base_url(host, port, scheme)


def serve_gunicorn(app_factory: Callable[[], object], settings: Settings, announce: Callable[[str], None],
                   certificate: Certificate | None = None) -> None:
    """Run gunicorn in this process until SIGTERM/SIGINT, over TLS with `certificate`;
    `announce(base_url)` once the port is bound."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host

    def worker_exit(_server, worker) -> None:
        close = getattr(worker.wsgi, "close", None)
        if close is not None:
            close()

    options = {
        "bind": [f"{host}:{settings.port}"],
        "workers": settings.workers,
        "threads": settings.threads,
        "worker_class": "gthread",
        "graceful_timeout": GRACEFUL_TIMEOUT,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "mockmarketo",
        "when_ready": lambda server: announce(_bound_url(server, "https" if certificate else "http")),
        "worker_exit": worker_exit,
        # the heartbeat file: /dev/shm keeps it off a container's overlay filesystem
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
    }
    if certificate is not None:
        options.update(certfile=certificate.cert_file, keyfile=certificate.key_file)
    master = os.getpid()
    try:
        _Application(app_factory, options).run()
    except SystemExit as stop:
        # gunicorn ends its master and its forked workers with sys.exit; only a clean master stop returns
        if os.getpid() != master or stop.code not in (0, None):
            raise
