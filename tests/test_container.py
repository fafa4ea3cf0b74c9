"""The Docker image (issue 5, "Docker image"): built from docker/Dockerfile with ../shared/tools/container-check,
then driven over HTTP like a user's CI would after `docker run -p 8080:8080 mockmarketo`.

Needs root and podman (container-check installs podman with apt when missing); the first build makes a
local Debian base image (about a minute), later ones reuse it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from lxml import etree

from mockmarketo.config import DEFAULT_USER_ID
from mockmarketo.store.tables import SCHEMA_VERSION
from tests import databases
from tests import soap_messages as sm

pytestmark = pytest.mark.container

REPO = Path(__file__).resolve().parents[1]
# ../shared beside the repository, as in CI; MOCKMARKETO_SHARED_DIR points elsewhere (e.g. from a git worktree)
SHARED = Path(os.environ.get("MOCKMARKETO_SHARED_DIR", REPO.parent / "shared"))
CONTAINER_CHECK = SHARED / "tools" / "container-check"
PODMAN = ["podman", "--runtime", "runc"]
WSDL_NS = {"soap": "http://schemas.xmlsoap.org/wsdl/soap/"}


def _skip_reason() -> str | None:
    if not CONTAINER_CHECK.is_file():
        return f"{CONTAINER_CHECK} not found (set MOCKMARKETO_SHARED_DIR to the shared/ directory)"
    if os.geteuid() != 0:
        return "container-check needs root (rootful podman)"
    if shutil.which("apt-get") is None and shutil.which("podman") is None:
        return "no podman, and no apt-get to install it"
    return None


@pytest.fixture(scope="module")
def container():
    """A running container of the image: (container id, base URL). Removed at the end of the module."""
    started = time.monotonic()
    run = _container_check("--keep")
    port = re.search(r"^port=(\d+)$", run.stdout, re.M).group(1)
    container_id = re.search(r"left running: container (\S+),", run.stdout).group(1)
    print(f"container-check --keep: {time.monotonic() - started:.1f}s")
    yield container_id, f"http://127.0.0.1:{port}"
    subprocess.run([*PODMAN, "rm", "-f", "-t", "0", container_id], capture_output=True, timeout=60)


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def test_health_answers_ok_with_the_version(container):
    _, base = container
    status, body = _get(f"{base}/health")
    assert (status, json.loads(body)) == (200, {"status": "ok", "version": "0.1.0", "database": "ok"})


def test_wsdl_advertises_the_published_address(container):
    # soap:address is rewritten to the URL the client used (wsdl.py), here the host's published port
    _, base = container
    status, body = _get(f"{base}/soap/mktows/2_9?WSDL")
    address = etree.fromstring(body).find(".//soap:address", WSDL_NS).get("location")
    assert (status, address) == (200, f"{base}/soap/mktows/2_9")


def test_sync_lead_then_get_lead_over_soap(container):
    _, base = container
    caller = sm.HttpSoapCaller(f"{base}/soap/mktows/2_9")
    try:
        created = caller.sync("container@example.com", attributes={"FirstName": "Cont"})
        lead_id = created.text("result/leadId")
        found = caller.get_lead("IDNUM", lead_id)
    finally:
        caller.close()
    assert (created.status, created.text("result/syncStatus/status")) == (200, "CREATED")
    assert lead_id == "1000001"  # Settings.first_id on a fresh in-memory database
    assert found.all_text("result/leadRecordList/leadRecord/Email") == ["container@example.com"]


def test_wrong_secret_is_refused_with_20014(container):
    _, base = container
    caller = sm.HttpSoapCaller(f"{base}/soap/mktows/2_9")
    try:
        refused = caller.call(sm.get_lead_body("EMAIL", "x@example.com"),
                              header=sm.auth_header(DEFAULT_USER_ID, "not-the-secret"))
    finally:
        caller.close()
    assert (refused.status, refused.fault_code) == (500, 20014)


def test_runs_as_a_non_root_user(container):
    container_id, _ = container
    uid = subprocess.run([*PODMAN, "exec", container_id, "id", "-u"], capture_output=True, text=True,
                         timeout=60, check=True).stdout.strip()
    assert uid == "10001"


def _container_check(*options: str) -> subprocess.CompletedProcess:
    reason = _skip_reason()
    if reason and os.environ.get("CI"):
        pytest.fail(f"CI must run the container suite: {reason}")
    if reason:
        pytest.skip(reason)
    run = subprocess.run([str(CONTAINER_CHECK), *options], cwd=REPO, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, f"container-check failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return run


def test_image_keeps_a_sqlite_database_in_data():
    # /data belongs to the image's user: the database can live there (a volume in docs/deployment.md)
    run = _container_check("-e", "MOCKMARKETO_DATABASE_URL=sqlite:////data/mockmarketo.db")
    assert "HEALTHCHECK: healthy" in run.stdout


@pytest.mark.postgres
def test_image_serves_from_postgresql_with_two_workers():
    # the compose.yaml setup, on the machine's PostgreSQL (host network: it listens on 127.0.0.1 only)
    url = databases.create_database()
    try:
        run = _container_check("--host-network", "--port-env", "MOCKMARKETO_PORT",
                               "-e", f"MOCKMARKETO_DATABASE_URL={url}", "-e", "MOCKMARKETO_WORKERS=2")
        assert "HEALTHCHECK: healthy" in run.stdout
        with databases.connect(url) as conn:
            version = conn.execute("SELECT version FROM mockmarketo_schema").fetchone()
        assert version == (SCHEMA_VERSION,)  # the container made the schema in the database it was given
    finally:
        databases.drop_database(url)


def test_stops_on_sigterm_within_three_seconds_with_exit_code_0(container):
    # last in the module: stops the container the fixture removes afterwards
    container_id, _ = container
    started = time.monotonic()
    subprocess.run([*PODMAN, "stop", "-t", "10", container_id], capture_output=True, timeout=60, check=True)
    elapsed = time.monotonic() - started
    exit_code = subprocess.run([*PODMAN, "inspect", "--format", "{{.State.ExitCode}}", container_id],
                               capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    assert exit_code == "0"
    assert elapsed < 3, f"podman stop took {elapsed:.1f}s: SIGTERM ignored?"
