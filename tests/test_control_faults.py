"""POST, GET and DELETE /_mock/faults: fault injection (issue 4; fault shape facts §5)."""

from __future__ import annotations

import time

import pytest

from mockmarketo.config import DEFAULT_USER_ID
from mockmarketo.control.faults import DropConnection
from mockmarketo.soap.faults import fault_xml
from mockmarketo.domain.errors import MarketoError
from tests import soap_messages as sm
from tests.conftest import SoapCaller
from tests.control_helpers import control_app, json_client





def test_injected_fault_answers_the_marketo_fault(soap, client):
    client.post("/_mock/faults", json={"operation": "syncLead", "code": 20023})
    response = soap.sync("a@example.com")
    assert response.status == 500
    assert response.content_type == "text/xml; charset=utf-8"
    assert response.body == fault_xml(MarketoError(20023))


def test_injected_fault_with_message(soap, client):
    client.post("/_mock/faults", json={"code": 20011, "message": "API service failure"})
    response = soap.sync("a@example.com")
    assert (response.fault_code, response.fault_message) == (20011, "API service failure (20011)")


def test_injected_fault_stores_nothing(soap, client):
    client.post("/_mock/faults", json={"code": 20023})
    soap.sync("a@example.com")
    assert client.get("/_mock/leads").json == []


def test_fault_fires_times_then_calls_succeed(soap, client):
    client.post("/_mock/faults", json={"code": 20023, "times": 2})
    assert [soap.sync("a@example.com").status for _ in range(3)] == [500, 500, 200]


def test_fault_for_one_operation_spares_the_others(soap, client):
    client.post("/_mock/faults", json={"operation": "getLead", "code": 20011})
    assert soap.sync("a@example.com").status == 200
    assert soap.get_lead("EMAIL", "a@example.com").fault_code == 20011


def test_post_answers_201_with_the_injection(client):
    response = client.post("/_mock/faults", json={"operation": "syncLead", "code": 20023, "times": 3})
    assert response.status_code == 201
    assert response.json == {"id": 1, "kind": "fault", "operation": "syncLead", "code": 20023, "message": None,
                             "times": 3, "probability": None, "seed": None, "delay_ms": 0, "fired": 0}


def test_get_lists_active_injections_with_what_is_left(soap, client):
    client.post("/_mock/faults", json={"code": 20023, "times": 3})
    soap.sync("a@example.com")
    [injection] = client.get("/_mock/faults").json
    assert (injection["times"], injection["fired"]) == (2, 1)


def test_spent_injection_leaves_the_list(soap, client):
    client.post("/_mock/faults", json={"code": 20023})
    soap.sync("a@example.com")
    assert client.get("/_mock/faults").json == []


def test_delete_clears_injections(soap, client):
    client.post("/_mock/faults", json={"code": 20023, "times": 5})
    assert client.delete("/_mock/faults").json == {"cleared": "faults"}
    assert soap.sync("a@example.com").status == 200


def test_journal_marks_the_injection(soap, client):
    client.post("/_mock/faults", json={"code": 20023})
    soap.sync("a@example.com")
    [entry] = client.get("/_mock/requests").json
    assert (entry["outcome"], entry["fault_code"], entry["injection"]) == ("fault", 20023, 1)


def test_http500_kind_answers_plain_text_500(soap, client):
    client.post("/_mock/faults", json={"kind": "http500"})
    response = soap.sync("a@example.com")
    assert (response.status, response.content_type, response.body) == (
        500, "text/plain; charset=utf-8", b"Internal Server Error\n")
    assert client.get("/_mock/requests").json[0]["outcome"] == "http500"


def test_malformed_kind_answers_200_with_broken_xml(soap, client):
    client.post("/_mock/faults", json={"kind": "malformed"})
    response = soap.sync("a@example.com")
    assert response.status == 200
    assert response.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope')
    with pytest.raises(Exception, match="Premature end of data|expected|not closed|Opening and ending"):
        response.xml
    assert client.get("/_mock/requests").json[0]["outcome"] == "malformed"


def test_drop_kind_raises_drop_connection_in_process(soap, client):
    client.post("/_mock/faults", json={"kind": "drop"})
    with pytest.raises(DropConnection):
        soap.sync("a@example.com")
    [entry] = client.get("/_mock/requests").json
    assert (entry["outcome"], entry["http_status"], entry["response_xml"]) == ("drop", None, None)


def test_delay_kind_waits_then_answers_normally(soap, client):
    client.post("/_mock/faults", json={"delay_ms": 50})
    started = time.perf_counter()
    response = soap.sync("a@example.com")
    assert time.perf_counter() - started >= 0.05
    assert response.status == 200
    assert len(client.get("/_mock/leads").json) == 1


def test_delay_before_a_fault(soap, client):
    client.post("/_mock/faults", json={"code": 20011, "delay_ms": 30})
    started = time.perf_counter()
    assert soap.sync("a@example.com").fault_code == 20011
    assert time.perf_counter() - started >= 0.03


def _pattern(seed):
    app = control_app()
    soap, client = SoapCaller(app), json_client(app)
    client.post("/_mock/faults", json={"code": 20023, "probability": 0.5, "seed": seed})
    return [soap.sync("a@example.com").status for _ in range(12)]


def test_probability_with_seed_is_deterministic():
    assert _pattern(7) == _pattern(7)


def test_probability_with_seed_fails_some_calls_and_spares_others():
    pattern = _pattern(7)
    assert 500 in pattern and 200 in pattern


def test_probability_one_always_fires(soap, client):
    client.post("/_mock/faults", json={"operation": "getLead", "code": 20011, "probability": 1, "seed": 1})
    assert [soap.sync("a@example.com").status for _ in range(3)] == [200, 200, 200]
    assert [soap.get_lead("EMAIL", "a@example.com").fault_code for _ in range(3)] == [20011, 20011, 20011]


def test_probability_with_times_stops_after_times_fired(soap, client):
    client.post("/_mock/faults", json={"code": 20011, "probability": 1, "seed": 1, "times": 2})
    assert [soap.sync("a@example.com").status for _ in range(3)] == [500, 500, 200]


def test_injections_are_tried_in_order(soap, client):
    client.post("/_mock/faults", json={"code": 20011})
    client.post("/_mock/faults", json={"code": 20023})
    assert [soap.sync("a@example.com").fault_code for _ in range(2)] == [20011, 20023]


@pytest.mark.parametrize(("payload", "error"), [
    ({"code": 99999}, "code: 99999 is not a Marketo error code (known: "),
    ({"operation": "syncLeads", "code": 20023}, "operation: 'syncLeads' is not an operation of Marketo's WSDL"),
    ({"kind": "explode"}, "kind: expected one of fault, http500, malformed, drop, delay, got 'explode'"),
    ({}, "kind: expected one of fault, http500, malformed, drop, delay, got None"),
    ({"kind": "fault"}, "code: a fault needs a Marketo error code, got None"),
    ({"kind": "http500", "code": 20023}, "code: only a fault has a code, not kind 'http500'"),
    ({"code": 20023, "times": 0}, "times: expected 1 or more, got 0"),
    ({"code": 20023, "probability": 1.5}, "probability: expected from 0 to 1, got 1.5"),
    ({"code": 20023, "seed": 3}, "seed: only a probability needs a seed"),
    ({"code": 20023, "delay_ms": 60001}, "delay_ms: expected from 0 to 60000, got 60001"),
    ({"kind": "delay", "delay_ms": 0}, "delay_ms: a delay needs delay_ms of 1 or more"),
    ({"code": 20023, "colour": "red"}, "colour: unknown key (known: "),
    ([1], "expected a JSON object, got [1]"),
])
def test_bad_injection_is_400(client, payload, error):
    response = client.post("/_mock/faults", json=payload)
    assert response.status_code == 400
    assert response.json["error"].startswith(error)


def test_delayed_call_is_journaled_as_a_success_with_its_injection(soap, client):
    client.post("/_mock/faults", json={"delay_ms": 1})
    soap.sync("a@example.com")
    [entry] = client.get("/_mock/requests").json
    assert (entry["outcome"], entry["statuses"], entry["injection"]) == ("success", ["CREATED"], 1)


def test_injection_spares_requests_that_do_not_authenticate(soap, client):
    """An injection fires only on a call that authenticates as a user of its instance (issue: a call
    naming someone else's user id could spend that instance's injections)."""
    client.post("/_mock/faults", json={"kind": "http500"})
    assert soap.post(b"<broken").fault_code == 20012
    assert soap.call(sm.get_lead_body("EMAIL", "a@example.com"),
                     header=sm.auth_header(DEFAULT_USER_ID, "wrong-key")).fault_code == 20014
    assert [entry["outcome"] for entry in client.get("/_mock/requests").json] == ["fault", "fault"]
    assert client.get("/_mock/faults").json[0]["fired"] == 0


def test_delete_with_id_removes_that_injection_only(client):
    client.post("/_mock/faults", json={"operation": "syncLead", "code": 20023})
    client.post("/_mock/faults", json={"operation": "getLead", "code": 20024})
    assert client.delete("/_mock/faults?id=1").json == {"removed": 1}
    assert [injection["id"] for injection in client.get("/_mock/faults").json] == [2]


def test_delete_of_an_unknown_injection_is_404(client):
    response = client.delete("/_mock/faults?id=7")
    assert response.status_code == 404
    assert response.json == {"error": "no active fault injection 7"}


def test_injection_ids_run_on_without_gaps_after_refused_requests(client):
    ids = []
    for payload in ({"code": 20023}, {"code": 99999}, {"code": 20011}, {"kind": "nope"}, {"code": 20024}):
        response = client.post("/_mock/faults", json=payload)
        if response.status_code == 201:
            ids.append(response.json["id"])
    assert ids == [1, 2, 3]
