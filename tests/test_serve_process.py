"""`mockmarketo serve` as a process (issue 5, "Production server" and "Docker image": clean stop on SIGTERM),
on each server it can run."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, update

from mockmarketo.store import LeadStore
from mockmarketo.store import tables as t
from tests import soap_messages as sm
from tests.live_server import ServerProcess

pytestmark = pytest.mark.slow

SERVER_OPTIONS = {"waitress": (), "gunicorn-2-workers": ("--workers", "2")}


@pytest.mark.parametrize("options", SERVER_OPTIONS.values(), ids=SERVER_OPTIONS.keys())
def test_serve_answers_then_stops_on_sigterm_within_two_seconds(tmp_path, options):
    with ServerProcess(f"sqlite:///{tmp_path}/mockmarketo.db", *options) as server:
        caller = sm.HttpSoapCaller(server.endpoint)
        try:
            status = caller.sync("stop@example.com").text("result/syncStatus/status")
        finally:
            caller.close()
        started = time.monotonic()
        exit_code = server.stop()
        elapsed = time.monotonic() - started
    assert (status, exit_code, server.output[-1]) == ("CREATED", 0, "mockmarketo stopped\n")
    assert elapsed < 2, f"stopped after {elapsed:.1f}s"


def test_serve_refuses_a_database_of_another_schema_version_with_exit_status_2(tmp_path):
    url = f"sqlite:///{tmp_path}/mockmarketo.db"
    LeadStore(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(update(t.schema_info).values(version=99))
    engine.dispose()
    server = ServerProcess(url)
    with pytest.raises(RuntimeError) as refused:
        server.start()
    assert "server exited with 2: mockmarketo: database sqlite:///" in str(refused.value)
    assert "has mockmarketo schema version 99; this mockmarketo uses version 2" in str(refused.value)
    server.close()
