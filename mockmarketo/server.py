"""Serving a WSGI app over HTTP, stopping cleanly on Ctrl-C and SIGTERM.

`serve` runs what `mockmarketo serve` asks for: waitress (one process, `threads` threads; the default, as
the faster for one process) or gunicorn (`workers` processes of `threads` threads each, see gunicorn_server;
the default for more than one worker). HttpServer is the waitress server, also used in process by tests
that need a real socket.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable

from waitress.channel import ClientDisconnected
from waitress.server import create_server

from mockmarketo.app import MockMarketoApp
from mockmarketo.config import ConfigError, Settings
from mockmarketo.control.faults import DropConnection
from mockmarketo.store.lead_store import is_sqlite_memory


def _closing_on_drop(app):
    """The app, with DropConnection turned into waitress's ClientDisconnected: waitress then closes the
    connection without writing a byte (any other exception would make it send a 500 page)."""

    def wsgi(environ, start_response):
        try:
            return app(environ, start_response)
        except DropConnection:
            raise ClientDisconnected from None

    return wsgi


class HttpServer:
    """A running (or ready to run) HTTP server for one MockMarketoApp."""

    def __init__(self, app: MockMarketoApp, host: str, port: int, threads: int = 8,
                 max_request_bytes: int | None = None):
        self.app = app
        if max_request_bytes is None:
            max_request_bytes = app.settings.max_request_bytes
        self._server = create_server(_closing_on_drop(app), host=host, port=port, threads=threads,
                                     ident="mockmarketo", clear_untrusted_proxy_headers=True,
                                     max_request_body_size=max_request_bytes + 1024,
                                     channel_timeout=30)
        self.host = host
        self.port = self._server.effective_port

    @property
    def base_url(self) -> str:
        return base_url(self.host, self.port)

    def serve_forever(self) -> None:
        """Serve until SIGTERM or Ctrl-C (main thread only), then close."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._on_sigterm)
        try:
            self._server.run()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.close()

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self._server.run, name="mockmarketo-http", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        self._server.close()
        self.app.close()

    def _on_sigterm(self, _signum, _frame):
        raise SystemExit(0)


def base_url(host: str, port: int) -> str:
    """The URL a local client uses for a server listening on host:port."""
    host = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def check_workers(settings: Settings) -> None:
    """Refuse server settings that cannot work, with a one-line ConfigError."""
    if settings.workers > 1 and settings.chosen_http_server() == "waitress":
        raise ConfigError(f"workers: waitress serves from one process; --workers {settings.workers} "
                          "needs --http-server gunicorn")
    if settings.workers > 1 and is_sqlite_memory(settings.database_url):
        raise ConfigError(f"workers: an in-memory database lives in one process; --workers {settings.workers} "
                          "needs a SQLite file or PostgreSQL --database-url")


def serve(settings: Settings, app_factory: Callable[[], object], announce: Callable[[str], None]) -> None:
    """Serve the apps `app_factory` makes (one per process) until SIGTERM or Ctrl-C.

    `announce(base_url)` is called once the port is bound. Raises ConfigError or OSError before serving.
    """
    check_workers(settings)
    if settings.chosen_http_server() == "gunicorn":
        from mockmarketo.gunicorn_server import serve_gunicorn

        serve_gunicorn(app_factory, settings, announce)
        return
    server = HttpServer(app_factory(), settings.host, settings.port, threads=settings.threads,
                        max_request_bytes=settings.max_request_bytes)
    announce(server.base_url)
    server.serve_forever()
