"""Unmodified real SOAP clients (../shared/clients: PHP SoapClient, Java JAX-WS, node-soap, zeep, suds)
against a live server started here. Marker `interop`: the first run installs the clients."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from mockmarketo.app import MockMarketoApp
from mockmarketo.config import Settings, workspace_setup
from mockmarketo.domain.auth import Credentials
from mockmarketo.server import HttpServer

pytestmark = pytest.mark.interop

CLIENTS = Path(__file__).resolve().parents[2] / "shared" / "clients"
MARKETO_WSDL = CLIENTS.parent / "reference" / "mktows-2_1.wsdl"
CLIENT_NAMES = ["php-soapclient", "java-jaxws", "node-soap", "python-zeep", "python-suds"]
USER = Credentials("mockuser_1", "secret123")


@pytest.fixture(scope="module")
def endpoint():
    if not CLIENTS.is_dir():
        pytest.fail(f"client scripts not found at {CLIENTS}: ../shared must sit beside the project")
    settings = Settings(users=[USER], workspaces=workspace_setup(
        {"enabled": True, "list": [{"name": "EMEA", "primary_partition": "EMEA Leads"}]}, {}))
    server = HttpServer(MockMarketoApp(settings), "127.0.0.1", 0)
    server.start_in_thread()
    yield f"{server.base_url}/soap/mktows/2_9"
    server.close()


def run_client(name: str, *args: str, env: dict | None = None) -> tuple[int, dict]:
    result = subprocess.run([str(CLIENTS / name), *args], capture_output=True, text=True, timeout=600,
                            env={**os.environ, **(env or {})})
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, f"{name} printed no result (exit {result.returncode}): {result.stdout}\n{result.stderr}"
    return result.returncode, json.loads(lines[-1])


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_client_syncs_a_lead_and_reads_the_returned_record(endpoint, client):
    code, result = run_client(client, "--return-lead", "--email", f"{client}@example.com", endpoint,
                              USER.user_id, USER.secret_key)
    assert (code, result["status"], result["lead_email"], result["fault_code"]) == (
        0, "CREATED", f"{client}@example.com", None)


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_client_reads_fault_20014_for_a_wrong_key(endpoint, client):
    code, result = run_client(client, endpoint, USER.user_id, "wrong-key")
    assert (code, str(result["fault_code"])) == (3, "20014")


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_client_sends_the_workspace_header(endpoint, client):
    code, result = run_client(client, "--workspace", "emea", "--email", f"ws-{client}@example.com", endpoint,
                              USER.user_id, USER.secret_key)
    assert (code, result["status"]) == (0, "CREATED")


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_client_gets_fault_20110_for_an_unknown_workspace(endpoint, client):
    code, result = run_client(client, "--workspace", "APAC", endpoint, USER.user_id, USER.secret_key)
    assert (code, str(result["fault_code"])) == (3, "20110")


def test_java_sample_with_qualified_lead_attribute_list(endpoint):
    code, result = run_client("java-jaxws", "--sample-qname", "--return-lead", "--email", "qname@example.com",
                              endpoint, USER.user_id, USER.secret_key)
    assert (code, result["lead_email"]) == (0, "qname@example.com")


def test_java_stubs_generated_from_marketos_own_wsdl(endpoint):
    code, result = run_client("java-jaxws", "--return-lead", "--email", "stubs@example.com", endpoint,
                              USER.user_id, USER.secret_key, env={"MKTO_STUBS_WSDL": str(MARKETO_WSDL)})
    assert (code, result["status"], result["lead_email"]) == (0, "CREATED", "stubs@example.com")
