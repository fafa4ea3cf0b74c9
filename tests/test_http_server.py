"""The in-process HTTP server (mockmarketo.server.HttpServer) that the pytest plugin and the tests run."""

from __future__ import annotations

import logging
import threading
import time
import urllib.request

from mockmarketo.app import MockMarketoApp
from mockmarketo.config import Settings
from mockmarketo.server import HttpServer
from mockmarketo.testing import MockMarketo
from tests import soap_messages as sm


def test_closing_while_a_call_is_answered_waits_for_it_and_logs_no_error(caplog):
    """The plugin closed the server at session end while a task thread still finished a response: that
    thread then pulled the closed trigger and waitress printed `OSError: [Errno 9] Bad file descriptor`."""
    server = HttpServer(MockMarketoApp(Settings()), "127.0.0.1", 0)
    server.start_in_thread()
    MockMarketo(server.base_url).request("POST", "/_mock/faults", {"kind": "delay", "delay_ms": 300})
    caller = sm.HttpSoapCaller(f"{server.base_url}/soap/mktows/2_9", timeout=3)
    call = threading.Thread(target=lambda: _ignore_errors(lambda: caller.sync("slow@example.com")))
    call.start()
    time.sleep(0.1)  # the call is in its delay, in a waitress task thread
    with caplog.at_level(logging.WARNING, logger="waitress"):
        server.close()
    call.join()
    caller.close()
    assert [record.getMessage() for record in caplog.records] == []


def _ignore_errors(function):
    try:
        function()
    except OSError:
        pass  # the server closed the connection: this test is about what the server logs
