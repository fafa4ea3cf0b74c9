"""Fault kinds that only a real HTTP connection shows: a dropped connection and an added delay
(waitress, as `mockmarketo serve` runs it)."""

from __future__ import annotations

import http.client
import json
import time

import pytest

from mockmarketo.server import HttpServer
from tests import soap_messages as sm
from tests.control_helpers import control_app


@pytest.fixture
def server():
    running = HttpServer(control_app(), "127.0.0.1", 0, threads=4)
    running.start_in_thread()
    yield running
    running.close()


def _request(server, method: str, path: str, body: bytes | None = None, content_type: str = "text/xml"):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request(method, path, body=body, headers={"Content-Type": content_type})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _inject(server, fault: dict) -> None:
    status, _ = _request(server, "POST", "/_mock/faults", json.dumps(fault).encode(), "application/json")
    assert status == 201


def _sync_body() -> bytes:
    return sm.envelope(sm.sync_lead_body(sm.lead_record("a@example.com"))).encode()


def test_drop_closes_the_connection_without_a_response(server):
    _inject(server, {"kind": "drop"})
    with pytest.raises(http.client.RemoteDisconnected):
        _request(server, "POST", "/soap/mktows/2_9", _sync_body())


def test_after_a_drop_the_next_call_is_answered(server):
    _inject(server, {"kind": "drop"})
    with pytest.raises(http.client.RemoteDisconnected):
        _request(server, "POST", "/soap/mktows/2_9", _sync_body())
    status, body = _request(server, "POST", "/soap/mktows/2_9", _sync_body())
    assert status == 200
    assert b"<status>CREATED</status>" in body


def test_delay_holds_the_response_back(server):
    _inject(server, {"delay_ms": 100})
    started = time.perf_counter()
    status, _ = _request(server, "POST", "/soap/mktows/2_9", _sync_body())
    assert status == 200
    assert time.perf_counter() - started >= 0.1


def test_http500_over_http_is_plain_text(server):
    _inject(server, {"kind": "http500"})
    status, body = _request(server, "POST", "/soap/mktows/2_9", _sync_body())
    assert (status, body) == (500, b"Internal Server Error\n")


def test_control_error_over_http_is_json(server):
    status, body = _request(server, "GET", "/_mock/leads?id=x")
    assert (status, json.loads(body)) == (400, {"error": "id: expected an integer, got 'x'"})
