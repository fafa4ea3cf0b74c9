"""Slow, idle, numerous and malformed clients against every HTTP server `mockmarketo serve` can run
(reliability issue, items 2, 3, 4, 6 and 13). A server added to SERVERS gets the same checks.

Each test starts `mockmarketo serve` as a child process on a SQLite file and talks to it over loopback
sockets; every wait is bounded.
"""

from __future__ import annotations

import json
import signal
import socket
import threading
import time

import pytest

from tests import soap_messages as sm
from tests.live_server import ServerProcess
from tests.test_hostile_http import split_response

pytestmark = pytest.mark.slow

# gunicorn with one worker: the control API (used below to inject a delay) needs one process
SERVERS = {"waitress": (), "gunicorn": ("--http-server", "gunicorn")}
PROMPT_S = 1.0  # the slowest of the calls, on a loaded two-core machine shared with other test runs


def serve(request, directory):
    config = directory / "limits.toml"
    config.write_text("[server]\nheader_timeout_seconds = 2\nbody_timeout_seconds = 2\nidle_timeout_seconds = 3\n")
    return ServerProcess(f"sqlite:///{directory}/mockmarketo.db", "--config", str(config), *request.param)


@pytest.fixture(scope="module", params=SERVERS.values(), ids=SERVERS.keys())
def server(request, tmp_path_factory):
    """One server of each kind for the checks that leave it serving."""
    with serve(request, tmp_path_factory.mktemp("server")) as process:
        yield process


@pytest.fixture(params=SERVERS.values(), ids=SERVERS.keys())
def own_server(request, tmp_path):
    """A server of each kind for one test, which may stop it."""
    with serve(request, tmp_path) as process:
        yield process


def address(server) -> tuple[str, int]:
    host, port = server.base_url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def exchange(server, data: bytes, timeout: float = 5) -> bytes:
    """Send raw bytes, then read one answer: to its Content-Length, or until the server closes (or
    `timeout`)."""
    with socket.create_connection(address(server), timeout=timeout) as sock:
        try:
            sock.sendall(data)
        except OSError:  # the server answered and closed before taking the whole request
            pass
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
                head, separator, body = answer.partition(b"\r\n\r\n")
                length = [line.split(b":", 1)[1] for line in head.lower().split(b"\r\n")
                          if line.startswith(b"content-length:")]
                if separator and length and len(body) >= int(length[0]):
                    break
        except (TimeoutError, ConnectionResetError):
            pass
        return answer


def timed_sync(server, email: str) -> tuple[float, str | None]:
    caller = sm.HttpSoapCaller(server.endpoint, timeout=10)
    try:
        started = time.perf_counter()
        status = caller.sync(email).text("result/syncStatus/status")
        return time.perf_counter() - started, status
    finally:
        caller.close()


def timed_get(server, path: str) -> tuple[float, int]:
    with socket.create_connection(address(server), timeout=10) as sock:
        started = time.perf_counter()
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return time.perf_counter() - started, split_response(answer)[0]


class Trickler:
    """Sockets that send half a request, then one more byte every 0.3 s, from a thread, until stopped."""

    def __init__(self, sockets: list[socket.socket]):
        self.sockets = sockets
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.3):
            for sock in self.sockets:
                try:
                    sock.sendall(b"x")
                except OSError:
                    pass

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def slowloris(server, count: int) -> list[socket.socket]:
    """Half of them stop inside the headers, half inside a declared body of 100,000 bytes."""
    found = []
    for index in range(count):
        sock = socket.create_connection(address(server), timeout=5)
        if index % 2:
            sock.sendall(b"POST /soap/mktows/2_9 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
                         b"Content-Length: 100000\r\n\r\n<SOAP-ENV:Envelope")
        else:
            sock.sendall(b"POST /soap/mktows/2_9 HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        found.append(sock)
    return found


def test_valid_calls_answer_promptly_beside_500_idle_and_8_slowloris_connections(server):
    """Probe: 8 half-sent requests held gunicorn's 8 threads (/health timed out for 135 s); 100 idle
    sockets locked new clients out of waitress for 30 s."""
    timed_sync(server, "warm-up@example.com")  # a fresh process's first call sets up spyne and the database
    idle = [socket.create_connection(address(server), timeout=5) for _ in range(500)]
    slow = slowloris(server, 8)
    trickler = Trickler(slow)
    try:
        time.sleep(0.5)  # every connection accepted and waiting
        timings = [timed_sync(server, f"prompt-{n}@example.com") for n in range(5)]
        health = timed_get(server, "/health")
        wsdl = timed_get(server, "/soap/mktows/2_9?WSDL")
    finally:
        trickler.stop()
        for sock in idle + slow:
            sock.close()
    assert [status for _, status in timings] == ["CREATED"] * 5
    assert (health[1], wsdl[1]) == (200, 200)
    elapsed = sorted([elapsed for elapsed, _ in timings] + [health[0], wsdl[0]])
    assert elapsed[len(elapsed) // 2] < PROMPT_S / 4 and elapsed[-1] < PROMPT_S, [f"{e:.2f}" for e in elapsed]


def closed_within(sock: socket.socket, seconds: float, trickle: bool = False) -> float | None:
    """Seconds until the server closed the connection (None if it did not within `seconds`)."""
    sock.settimeout(0.3)
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if trickle:
                sock.sendall(b"x")
            if sock.recv(65536) == b"":
                return time.monotonic() - started
        except TimeoutError:
            continue
        except OSError:  # reset, or a broken pipe while trickling
            return time.monotonic() - started
    return None


@pytest.mark.parametrize("kind", ["headers", "body"])
def test_a_request_that_trickles_in_is_cut_at_its_time_limit(server, kind):
    """header_timeout_seconds and body_timeout_seconds (2 s here): a byte every 0.3 s is activity, yet
    the request must be complete in time."""
    with socket.create_connection(address(server), timeout=5) as sock:
        sock.sendall(b"POST /soap/mktows/2_9 HTTP/1.1\r\nHost: x\r\n" + (
            b"Content-Length: 100000\r\n\r\n<" if kind == "body" else b"X-Slow: "))
        elapsed = closed_within(sock, 6, trickle=True)
    assert elapsed is not None and elapsed < 4.5


def test_an_idle_connection_is_closed_after_the_idle_timeout(server):
    """idle_timeout_seconds (3 s here), also after a kept-alive response."""
    with socket.create_connection(address(server), timeout=5) as sock:
        sock.sendall(b"GET /health?live HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        elapsed = closed_within(sock, 8)
    assert elapsed is not None and 2 < elapsed < 5.5


TLS_CLIENT_HELLO = bytes.fromhex("16030100a5010000a10303") + bytes(32) + bytes.fromhex("000000")

# requests gunicorn's own HTTP handling refused with HTML pages (414, 431); served or refused in JSON now
LARGE = {
    "request-line-10k": b"GET /" + b"a" * 10_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "request-line-300k": b"GET /" + b"a" * 300_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "150-headers": b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"".join(
        b"X-H%d: v\r\n" % n for n in range(150)) + b"\r\n",
    "header-10k": b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"v" * 10_240 + b"\r\n\r\n",
}
MALFORMED = {
    "content-length-abc": b"POST /_mock/leads HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    "bad-chunk": b"POST /_mock/leads HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n\r\n",
    "garbage-line": b"GARBAGE\r\n\r\n",
    "tls-client-hello": TLS_CLIENT_HELLO,
}


@pytest.mark.parametrize("request_bytes", LARGE.values(), ids=LARGE.keys())
def test_a_large_request_line_or_header_is_answered_in_json_never_html(server, request_bytes):
    status, headers, body = split_response(exchange(server, request_bytes))
    assert headers["content-type"] == "application/json"
    assert status in (200, 404, 431) and isinstance(json.loads(body), dict)


@pytest.mark.parametrize("request_bytes", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_http_is_answered_400_in_json_and_closed_at_once(server, request_bytes):
    """Probe: gunicorn answered these with HTML pages; waitress never answered the last two (its error
    task failed on the missing path) and left the connection open for 40 s and more."""
    started = time.monotonic()
    raw = exchange(server, request_bytes + b"x" * 10)  # more bytes after it: the server reads no further
    status, headers, body = split_response(raw)
    assert time.monotonic() - started < 2
    assert (status, headers["content-type"], headers["connection"]) == (400, "application/json", "close")
    assert list(json.loads(body)) == ["error"]


def test_malformed_http_on_the_soap_endpoint_is_a_marketo_fault(server):
    status, headers, body = split_response(exchange(
        server, b"POST /soap/mktows/2_9 HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"))
    assert (status, headers["content-type"]) == (500, "text/xml; charset=utf-8")
    assert sm.SoapResponse(status, headers["content-type"], body).fault_code == 20012


def test_sighup_stops_gracefully_and_answers_the_call_in_flight(own_server):
    """Probe: SIGHUP killed waitress with the calls in flight dropped and no "stopped" line."""
    server = own_server
    instance = json.loads(post_json(server, "/_mock/faults", {"kind": "delay", "delay_ms": 1500}))
    assert instance["kind"] == "delay"
    answers = []
    caller = threading.Thread(target=lambda: answers.append(timed_sync(server, "hup@example.com")))
    caller.start()
    time.sleep(0.5)
    server.process.send_signal(signal.SIGHUP)
    caller.join(timeout=15)
    assert server.process.wait(timeout=15) == 0
    assert [status for _, status in answers] == ["CREATED"]
    assert server.output[-1] == "mockmarketo stopped\n"


def post_json(server, path: str, payload) -> bytes:
    data = json.dumps(payload).encode()
    raw = exchange(server, f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode() + data)
    return split_response(raw)[2]
