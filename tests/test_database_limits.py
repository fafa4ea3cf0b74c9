"""A database that is locked, stalled, stopped or deleted under the server (reliability issue, items 5,
11, 12 and 14): every call ends within the database timeout in fault 20011, what needs no database
never waits on it, /health says what is wrong, and an outage is logged as two lines.

The fast tests run in process on a SQLite file; the slow ones run `mockmarketo serve` on a PostgreSQL
cluster of their own (tests.throwaway_postgres), which they stall with SIGSTOP or stop.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from werkzeug.test import Client

from mockmarketo.config import Settings
from mockmarketo.server import HttpServer
from tests import soap_messages as sm
from tests.conftest import SoapCaller, make_app
from tests.live_server import ServerProcess
from tests.throwaway_postgres import ThrowawayPostgres

TIMEOUT_S = 1


@pytest.fixture
def database_file(tmp_path):
    return tmp_path / "mockmarketo.db"


@pytest.fixture
def app(database_file):
    return make_app(settings=Settings(database_url=f"sqlite:///{database_file}", database_timeout_seconds=TIMEOUT_S))


@pytest.fixture
def locked(app, database_file):
    """Another program holding an exclusive lock on the database file (the probe's BEGIN EXCLUSIVE)."""
    assert SoapCaller(app).sync("before@example.com").status == 200
    other = sqlite3.connect(database_file, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield other
    other.close()


def test_a_call_on_a_locked_database_is_fault_20011_within_the_timeout(app, locked):
    """Probe: the first call got 10001 after 30.1 s."""
    started = time.monotonic()
    response = SoapCaller(app).sync("a@example.com")
    elapsed = time.monotonic() - started
    assert (response.status, response.fault_code) == (500, 20011)
    assert response.fault_message == "Database unavailable: OperationalError: database is locked (20011)"
    assert response.xml.findtext(".//faultcode") == "SOAP-ENV:Server"
    assert TIMEOUT_S * 0.9 < elapsed < TIMEOUT_S + 0.5


def test_calls_waiting_on_a_locked_database_fail_together_not_one_after_another(app, locked):
    """Probe: the calls behind the first queued for 30 s each."""
    started = time.monotonic()
    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(lambda n: SoapCaller(app).sync(f"q{n}@example.com").fault_code, range(6)))
    assert codes == [20011] * 6
    assert time.monotonic() - started < 2 * TIMEOUT_S + 0.5


def test_health_is_503_with_the_reason_while_live_answers_at_once(app, locked):
    client = Client(app)
    started = time.monotonic()
    live = client.get("/health?live")
    assert time.monotonic() - started < 0.2
    health = client.get("/health")
    assert (live.status_code, live.json) == (200, {"status": "ok", "version": "0.1.0"})
    assert (health.status_code, health.json) == (503, {"status": "unavailable", "version": "0.1.0",
                                                       "database": "OperationalError: database is locked"})


def test_control_reads_of_the_database_answer_503(app, locked):
    """Probe: GET /_mock/leads answered 500 "internal error: OperationalError"."""
    response = Client(app).get("/_mock/leads")
    assert (response.status_code, response.json) == (
        503, {"error": "database unavailable: OperationalError: database is locked"})


def test_calls_succeed_again_once_the_lock_is_released(app, locked):
    soap = SoapCaller(app)
    assert soap.sync("during@example.com").fault_code == 20011
    locked.execute("ROLLBACK")
    assert soap.sync("after@example.com").text("result/syncStatus/status") == "CREATED"
    assert Client(app).get("/health").json["database"] == "ok"


def test_an_outage_is_logged_once_when_it_starts_and_once_when_it_ends(app, locked, caplog):
    """Probe: every database error printed a traceback (3,177 during one PostgreSQL outage)."""
    caplog.set_level(logging.INFO, logger="mockmarketo")
    soap = SoapCaller(app)
    for n in range(3):
        soap.sync(f"o{n}@example.com")
    locked.execute("ROLLBACK")
    soap.sync("back@example.com")
    lines = [record.getMessage() for record in caplog.records if record.name == "mockmarketo.database"]
    assert lines[0] == ("database unavailable: OperationalError: database is locked (calls answer fault 20011 "
                        "until it is back)")
    assert lines[1].startswith("database available again after ") and lines[1].endswith("; 3 calls failed meanwhile")
    assert len(lines) == 2 and all(record.exc_info is None for record in caplog.records)


@pytest.mark.parametrize("change", ["deleted", "replaced"])
def test_a_sqlite_file_deleted_or_replaced_under_the_server_fails_loudly(app, database_file, change, caplog):
    """Probe: calls kept answering 200, and a restart lost every write acknowledged since."""
    soap = SoapCaller(app)
    assert soap.sync("kept@example.com").status == 200
    os.remove(database_file)
    if change == "replaced":
        sqlite3.connect(database_file).close()
    response = soap.sync("lost@example.com")
    assert response.fault_code == 20011
    assert f"the database file {database_file} was {change} while the server ran" in response.fault_message
    health = Client(app).get("/health")
    assert health.status_code == 503 and health.json["database"].startswith(f"the database file {database_file}")
    assert any("database unavailable: the database file" in record.getMessage() for record in caplog.records)


def test_what_needs_no_database_answers_at_once_while_every_worker_thread_waits_on_it(database_file):
    """Probe: with the database stalled, /health and GET /_mock/faults hung as long as the calls did."""
    settings = Settings(database_url=f"sqlite:///{database_file}", database_timeout_seconds=2, threads=2)
    server = HttpServer(make_app(settings=settings), threads=2)
    server.start_in_thread()
    other = sqlite3.connect(database_file, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with ThreadPoolExecutor(4) as pool:
            calls = [pool.submit(sync, server, f"w{n}@example.com") for n in range(4)]
            time.sleep(0.3)  # both worker threads wait on the database, two calls queue behind them
            quick = [get(server.base_url + path) for path in
                     ("/health?live", "/soap/mktows/2_9?WSDL", "/_mock/faults", "/_mock/requests")]
            codes = [call.result(timeout=30)[0] for call in calls]
    finally:
        other.close()
        server.close()
    assert [status for status, _ in quick] == [200, 200, 200, 200]
    assert max(elapsed for _, elapsed in quick) < 0.3
    assert codes == [20011] * 4


# ---- PostgreSQL, stalled and stopped, under `mockmarketo serve` ------------------------------------------

@pytest.fixture
def postgres():
    cluster = ThrowawayPostgres().start()
    yield cluster
    cluster.close()


@pytest.fixture
def served(postgres, tmp_path):
    config = tmp_path / "mockmarketo.toml"
    config.write_text("[server]\ndatabase_timeout_seconds = 2\nthreads = 4\n")
    with ServerProcess(postgres.url, "--config", str(config)) as server:
        yield server


def get(url: str) -> tuple[int, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.monotonic() - started


def sync(server, email: str) -> tuple[int | None, float]:
    caller = sm.HttpSoapCaller(f"{server.base_url}/soap/mktows/2_9", timeout=30)
    started = time.monotonic()
    try:
        return caller.sync(email).fault_code, time.monotonic() - started
    finally:
        caller.close()


@pytest.mark.slow
def test_a_stalled_postgresql_ends_calls_in_20011_and_never_holds_what_needs_no_database(served, postgres):
    """Probe: PostgreSQL stopped with SIGSTOP -> every call, /health and GET /_mock/faults hung >= 25 s."""
    assert sync(served, "before@example.com")[0] is None
    postgres.freeze()
    try:
        with ThreadPoolExecutor(6) as pool:
            calls = [pool.submit(sync, served, f"stalled{n}@example.com") for n in range(6)]
            time.sleep(0.5)  # more calls than threads: every worker thread waits on the database
            quick = [get(served.base_url + path) for path in
                     ("/health?live", "/soap/mktows/2_9?WSDL", "/_mock/faults", "/_mock/requests")]
            results = [call.result(timeout=30) for call in calls]
        health = get(served.base_url + "/health")
    finally:
        postgres.thaw()
    assert [status for status, _ in quick] == [200, 200, 200, 200]
    assert max(elapsed for _, elapsed in quick) < 0.5
    assert [code for code, _ in results] == [20011] * 6
    assert max(elapsed for _, elapsed in results) < 2 + 1 + 1.5  # the timeout, the watchdog's grace, slack
    assert health[0] == 503
    recovered = wait_for(lambda: sync(served, "after@example.com")[0] is None)
    assert recovered and get(served.base_url + "/health")[0] == 200


@pytest.mark.slow
def test_a_stopped_postgresql_is_reported_in_a_few_lines_without_tracebacks(served, postgres):
    """Probe: 3,177 tracebacks during one PostgreSQL outage."""
    assert sync(served, "before@example.com")[0] is None
    postgres.stop()
    codes = [sync(served, f"down{n}@example.com")[0] for n in range(20)]
    status, _ = get(served.base_url + "/health")
    postgres.start()
    assert wait_for(lambda: sync(served, "after@example.com")[0] is None)
    assert (codes, status) == ([20011] * 20, 503)
    log = "".join(served.output)
    assert "Traceback" not in log
    assert log.count("database unavailable:") == 1 and log.count("database available again") == 1


def wait_for(condition, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False
