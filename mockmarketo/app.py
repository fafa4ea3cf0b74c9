"""The WSGI application: routes /soap/mktows/<version> to the SOAP endpoint (through the test double's
journal, fault injection and limits), /_mock/ to the control API, /health to a JSON answer (health),
/_mock/ui/ (and `/` for browsers) to the web console, and / (for other clients) and /docs/ to the index
and user docs (mockmarketo.index)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from urllib.parse import parse_qs

from mockmarketo import access_log, index
from mockmarketo.config import Settings, load_settings
from mockmarketo.console import Console, wants_console
from mockmarketo.control.api import ControlApi
from mockmarketo.control.calls import SoapCalls
from mockmarketo.control.instances import Instances
from mockmarketo.health import health
from mockmarketo.json_http import json_response
from mockmarketo.marketo import Marketo
from mockmarketo.soap.endpoint import SoapEndpoint
from mockmarketo.urls import url_of

SOAP_PATH = re.compile(r"^/soap/mktows/(\d+_\d+)/?$")
CONTROL_PREFIX = "/_mock"
CONSOLE_PREFIX = "/_mock/ui"
# control routes whose GET reads this process's memory only
_IN_MEMORY_READS = frozenset({"", "requests", "faults", "limits", "config", "instances"})

__all__ = ["MockMarketoApp", "json_response"]


class MockMarketoApp:
    """Everything the server answers, on one port. `clock` (seconds since the epoch) drives the
    journal's times and the limit counters; tests inject their own."""

    def __init__(self, settings: Settings, marketo: Marketo | None = None, *,
                 clock: Callable[[], float] = time.time):
        self.settings = settings
        self.marketo = marketo or Marketo(settings, clock=clock)
        self.soap = SoapEndpoint(self.marketo)
        self.instances = Instances(self.marketo, clock)
        self.soap_calls = SoapCalls(self.soap, self.instances)
        self.control = ControlApi(self.marketo, self.instances)
        self.console = Console(self.control)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if SOAP_PATH.match(path):
            if method == "POST":
                return self.soap_calls(environ, start_response)
            query = environ.get("QUERY_STRING", "")
            if method in ("GET", "HEAD") and query.split("=")[0].split("&")[0].lower() == "wsdl":
                address = self.soap.address(environ, url_of(environ))
                access_log.http_request("wsdl", method, path, 200, address=address)
                return self.soap.wsdl(start_response, address)
            access_log.http_request("http", method, path, 405)
            return json_response(start_response, "405 Method Not Allowed",
                                 {"error": "POST a SOAP request, or GET ?WSDL"})
        if path == CONSOLE_PREFIX or path.startswith(CONSOLE_PREFIX + "/") or (path == "/" and wants_console(environ)):
            return self.console(environ, start_response)
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            return self.control(environ, start_response)
        if path == "/health":
            return health(self.marketo.store, environ, start_response)
        if path == "/" and method in ("GET", "HEAD"):
            return index.root(environ, start_response, self.control.route_table(),
                              bool(self.settings.control_token))
        if path.startswith("/docs/") and method in ("GET", "HEAD"):
            return index.docs(environ, start_response, path[len("/docs/"):])
        access_log.http_request("http", method, path, 404)
        return json_response(start_response, "404 Not Found", {"error": f"no route for {path}"})

    def needs_no_database(self, method: str, path: str, query: str) -> bool:
        """Whether the request is answered from memory alone: the WSDL, /health?live, control reads of
        in-memory state. The HTTP server serves these on threads of their own (http_limits), so a
        stalled database never queues them."""
        if method not in ("GET", "HEAD"):
            return False
        if SOAP_PATH.match(path):
            return query.split("=")[0].split("&")[0].lower() == "wsdl"
        if path == "/health":
            return "live" in parse_qs(query, keep_blank_values=True)
        if path.startswith("/docs/"):
            return True
        return path.startswith(CONTROL_PREFIX + "/") and path[len(CONTROL_PREFIX) + 1:].strip("/") in _IN_MEMORY_READS

    def close(self) -> None:
        self.marketo.close()


def create_app() -> MockMarketoApp:
    """App factory for WSGI servers (`gunicorn 'mockmarketo.app:create_app()'`): settings from
    MOCKMARKETO_* variables and the MOCKMARKETO_CONFIG file, as `mockmarketo serve` reads them."""
    return MockMarketoApp(load_settings())
