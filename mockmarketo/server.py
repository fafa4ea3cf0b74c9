"""Serving the WSGI app over HTTP with waitress, stopping cleanly on Ctrl-C and SIGTERM."""

from __future__ import annotations

import signal
import threading

from waitress.channel import ClientDisconnected
from waitress.server import create_server

from mockmarketo.app import MockMarketoApp
from mockmarketo.control.faults import DropConnection


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

    def __init__(self, app: MockMarketoApp, host: str, port: int, threads: int = 8):
        self.app = app
        self._server = create_server(_closing_on_drop(app), host=host, port=port, threads=threads,
                                     ident="mockmarketo", clear_untrusted_proxy_headers=True,
                                     max_request_body_size=app.settings.max_request_bytes + 1024,
                                     channel_timeout=30)
        self.host = host
        self.port = self._server.effective_port

    @property
    def base_url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

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
