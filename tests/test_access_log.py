"""The access log (mockmarketo.access_log): a line per SOAP call, WSDL download, control call and unrouted
request; text or JSON; never a secret key or a signature."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys

import pytest

from mockmarketo import access_log
from mockmarketo.config import DEFAULT_SECRET_KEY, DEFAULT_USER_ID
from tests import soap_messages as sm
from tests.test_config_and_cli import REPO, free_port


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO, logger="mockmarketo.access")
    return lambda: [record.getMessage() for record in caplog.records if record.name == "mockmarketo.access"]


def without_ms(line: str) -> str:
    return re.sub(r" ms=[\d.]+$", "", line)


def test_a_soap_call_is_one_line_naming_instance_operation_user_outcome_and_leads(soap, lines):
    soap.sync("ada@example.com")
    assert [without_ms(line) for line in lines()] == [
        f"soap instance=default operation=syncLead user={DEFAULT_USER_ID} outcome=success statuses=CREATED "
        "leads=1000001"]
    assert re.search(r" ms=[\d.]+$", lines()[0])


def test_a_failed_authentication_names_the_fault_and_its_reason(soap, lines):
    soap.call(sm.sync_lead_body(sm.lead_record("a@example.com")), header=sm.auth_header(user_id="nobody"))
    assert without_ms(lines()[0]) == (
        "soap instance=default operation=syncLead user=nobody outcome=fault fault=20014 "
        f"reason=\"unknown user id 'nobody' (known: '{DEFAULT_USER_ID}')\"")


def test_no_line_holds_the_secret_key_or_a_signature(soap, lines):
    good = sm.auth_header(timestamp="2026-03-02T12:00:00Z")
    bad = sm.auth_header(timestamp="2026-03-02T12:00:00Z", secret_key="wrong")
    soap.call(sm.sync_lead_body(sm.lead_record("a@example.com")), header=good)
    soap.call(sm.sync_lead_body(sm.lead_record("a@example.com")), header=bad)
    signatures = [re.search(r"<requestSignature>(\w+)<", header).group(1) for header in (good, bad)]
    assert len(lines()) == 2
    assert [line for line in lines() for secret in (DEFAULT_SECRET_KEY, *signatures) if secret in line] == []


def test_a_batch_counts_its_statuses_and_names_at_most_ten_leads(soap, lines):
    soap.sync_multiple([sm.lead_record(f"{n}@example.com") for n in range(12)])
    assert without_ms(lines()[0]).endswith(
        "outcome=success statuses=CREATEDx12 leads=1000001,1000002,1000003,1000004,1000005,1000006,1000007,"
        "1000008,1000009,1000010 more_leads=2")


def test_a_value_that_could_break_the_line_is_quoted(soap, lines):
    soap.call(sm.sync_lead_body(sm.lead_record("a@example.com")), header=sm.auth_header(user_id="evil\nuser"))
    assert "user=\"evil\\nuser\"" in lines()[0]
    assert "\n" not in lines()[0]


def test_a_control_call_is_one_line_with_its_status(client, lines):
    client.get("/_mock/requests?operation=syncLead")
    client.get("/_mock/requests?operation=synclead")
    assert [without_ms(line) for line in lines()] == [
        "control method=GET path=/_mock/requests?operation=syncLead status=200",
        "control method=GET path=/_mock/requests?operation=synclead status=400 error=\"operation: 'synclead' is "
        "not an operation of Marketo's WSDL (did you mean 'syncLead'?)\""]


def test_a_wsdl_download_names_the_address_it_advertises(client, lines):
    client.get("/soap/mktows/2_9?WSDL", base_url="http://mock.test:8080")
    assert lines() == ["wsdl method=GET path=/soap/mktows/2_9 status=200 "
                       "address=http://mock.test:8080/soap/mktows/2_9"]


def test_a_request_no_route_answers_is_logged(client, lines):
    client.get("/soap/mktows/latest")
    assert lines() == ["http method=GET path=/soap/mktows/latest status=404"]


def test_health_checks_are_not_logged(client, lines):
    client.get("/health")
    assert lines() == []


def _configured(level: str, log_format: str) -> io.StringIO:
    stream = io.StringIO()
    access_log.configure(level, log_format, stream)
    return stream


@pytest.fixture
def restore_mockmarketo_logger():
    logger = logging.getLogger("mockmarketo")
    saved = (logger.level, logger.propagate, list(logger.handlers))
    yield
    logger.setLevel(saved[0])
    logger.propagate = saved[1]
    logger.handlers[:] = saved[2]


def test_text_lines_start_with_the_utc_time(client, restore_mockmarketo_logger):
    stream = _configured("info", "text")
    client.get("/_mock/leads")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z control method=GET path=/_mock/leads status=200 "
                        r"ms=[\d.]+\n", stream.getvalue())


def test_json_lines_hold_the_fields(soap, restore_mockmarketo_logger):
    stream = _configured("info", "json")
    soap.sync("ada@example.com")
    entry = json.loads(stream.getvalue())
    assert {key: entry[key] for key in ("level", "kind", "instance", "operation", "user", "outcome", "statuses",
                                        "leads")} == {
        "level": "info", "kind": "soap", "instance": "default", "operation": "syncLead", "user": DEFAULT_USER_ID,
        "outcome": "success", "statuses": "CREATED", "leads": "1000001"}


def test_level_warning_leaves_the_calls_out(soap, restore_mockmarketo_logger):
    stream = _configured("warning", "text")
    soap.sync("ada@example.com")
    assert stream.getvalue() == ""


def test_serve_logs_json_lines_to_standard_output():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mockmarketo", "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=REPO,
                               env={**os.environ, "PYTHONPATH": str(REPO), "MOCKMARKETO_LOG_FORMAT": "json"})
    try:
        while not process.stdout.readline().startswith("  log:"):
            pass
        caller = sm.HttpSoapCaller(f"http://127.0.0.1:{port}/soap/mktows/2_9")
        caller.sync("ada@example.com")
        caller.close()
        entry = json.loads(process.stdout.readline())
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
    assert (entry["kind"], entry["operation"], entry["outcome"]) == ("soap", "syncLead", "success")
