"""Concurrency and durability over HTTP (issue 5, "Concurrency and durability"): several server processes
on one database behave as one Marketo instance, and an acknowledged syncLead survives SIGKILL.

Runs on a SQLite file and, with the `postgres` marker as well, on PostgreSQL (conftest.BACKENDS).
Loopback only, bounded in calls and time.
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest

from mockmarketo.store import LeadStore
from tests import soap_messages as sm
from tests.conftest import BACKENDS, fresh_database
from tests.live_server import ServerProcess

pytestmark = pytest.mark.slow

# `mockmarketo serve` processes (think containers) on one database: waitress, and gunicorn with 2 workers
SERVERS = [("--threads", "4"), ("--workers", "2", "--threads", "4")]
CLIENT_THREADS = 24
CALLS_PER_THREAD = 40
EMAILS = 40


def _all_leads(database_url: str):
    store = LeadStore(database_url)
    try:
        with store.transaction("default", write=False) as repo:
            return repo.all(order_by_id=True)
    finally:
        store.close()


def _hammer(endpoints: list[str]) -> list[tuple[str, str, str]]:
    """CLIENT_THREADS threads syncing overlapping emails at the servers; (email, status, leadId) per call."""
    results, errors = [], []
    barrier = threading.Barrier(CLIENT_THREADS)

    def client(index: int) -> None:
        caller = sm.HttpSoapCaller(endpoints[index % len(endpoints)])
        rng = random.Random(index)
        try:
            barrier.wait(timeout=30)
            for _ in range(CALLS_PER_THREAD):
                k = rng.randrange(EMAILS)
                reply = caller.sync(f"race-{k}@example.com", foreign_id=f"F-{k}", foreign_type="CUSTOM",
                                    attributes={"FirstName": f"t{index}"})
                if reply.status != 200:
                    errors.append((reply.status, reply.fault_code, reply.fault_message))
                    continue
                results.append((f"race-{k}@example.com", reply.text("result/syncStatus/status"),
                                reply.text("result/leadId")))
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)
        finally:
            caller.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    return results


@pytest.fixture(scope="module", params=BACKENDS)
def loaded_database(request, tmp_path_factory):
    """One database for the module's load (the load runs once per backend)."""
    with fresh_database(request, tmp_path_factory.mktemp("loaded"), own_postgres_database=True) as url:
        yield url


@pytest.fixture(scope="module")
def loaded(loaded_database):
    """SERVERS started together on one new database, after CLIENT_THREADS x CALLS_PER_THREAD syncs."""
    with ExitStack() as stack, ThreadPoolExecutor(len(SERVERS)) as starting:
        servers = [ServerProcess(loaded_database, *options) for options in SERVERS]
        for server in servers:
            stack.callback(server.close)
        list(starting.map(ServerProcess.start, servers))
        started = time.monotonic()
        results = _hammer([server.endpoint for server in servers])
        print(f"{len(results)} syncLead calls at {len(SERVERS)} servers in {time.monotonic() - started:.1f}s")
        yield results, _all_leads(loaded_database)


def test_servers_started_together_on_a_new_database_all_answer(loaded):
    results, _ = loaded
    assert len(results) == CLIENT_THREADS * CALLS_PER_THREAD


def test_each_new_email_is_created_exactly_once(loaded):
    results, leads = loaded
    created = sorted(email for email, status, _ in results if status == "CREATED")
    assert created == sorted({email for email, _, _ in results})
    assert len(leads) == len(created)


def test_every_call_for_an_email_answers_the_same_lead_id(loaded):
    results, leads = loaded
    answered = {(email, lead_id) for email, _, lead_id in results}
    assert answered == {(lead.email, str(lead.id)) for lead in leads}


def test_stored_emails_foreign_ids_and_ids_are_unique(loaded):
    _, leads = loaded
    for values in ([lead.email for lead in leads], [lead.foreign_sys_person_id for lead in leads],
                   [lead.id for lead in leads]):
        assert len(values) == len(set(values))


def test_ids_are_handed_out_in_order_without_reuse(loaded, loaded_database):
    _, leads = loaded
    assert [lead.id for lead in leads] == list(range(1000001, 1000001 + len(leads)))
    with ServerProcess(loaded_database) as server:
        caller = sm.HttpSoapCaller(server.endpoint)
        try:
            assert caller.sync("after@example.com").text("result/leadId") == str(1000001 + len(leads))
        finally:
            caller.close()


@pytest.mark.parametrize("http_server", ["gunicorn", "waitress"])
def test_every_acknowledged_sync_survives_sigkill(database_url, http_server):
    acknowledged: list[tuple[str, str]] = []
    stop = threading.Event()

    def client(index: int, endpoint: str) -> None:
        caller = sm.HttpSoapCaller(endpoint, timeout=10)
        n = 0
        try:
            while not stop.is_set():
                email = f"kill-{index}-{n}@example.com"
                reply = caller.sync(email)
                if reply.status == 200:
                    acknowledged.append((email, reply.text("result/leadId")))
                n += 1
        except (OSError, http.client.HTTPException):
            pass  # the server died under us: anything unanswered may or may not be stored
        finally:
            caller.close()

    with ServerProcess(database_url, "--http-server", http_server) as server:
        clients = [threading.Thread(target=client, args=(i, server.endpoint)) for i in range(6)]
        for thread in clients:
            thread.start()
        deadline = time.monotonic() + 20
        while len(acknowledged) < 300 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()
        stop.set()
        for thread in clients:
            thread.join(timeout=30)
    assert len(acknowledged) >= 50, "too little load before the kill to mean anything"

    with ServerProcess(database_url) as restarted:
        caller = sm.HttpSoapCaller(restarted.endpoint)
        try:
            lost = [(email, lead_id) for email, lead_id in acknowledged
                    if caller.get_lead("IDNUM", lead_id).all_text("result/leadRecordList/leadRecord/Email")
                    != [email]]
        finally:
            caller.close()
    assert lost == []
