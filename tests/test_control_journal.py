"""GET and DELETE /_mock/requests: the request journal (issue 4)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mockmarketo.config import DEFAULT_SECRET_KEY, DEFAULT_USER_ID
from tests import soap_messages as sm
from tests.conftest import SoapCaller
from tests.control_helpers import FakeClock, control_app, json_client


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def app(clock):
    application = control_app(clock)
    yield application
    application.close()




def test_synclead_entry_holds_operation_user_params_and_outcome(soap, client):
    soap.sync("ada@example.com", return_lead="true", cookie="id:1-A-2&token:_mch-x",
              attributes={"FirstName": "Ada"}, workspace="Default")
    [entry] = client.get("/_mock/requests").json
    assert entry["seq"] == 1
    assert entry["time"] == "2026-03-02T12:00:00Z"
    assert entry["operation"] == "syncLead"
    assert entry["user_id"] == DEFAULT_USER_ID
    assert entry["workspace"] == "Default"
    assert entry["params"] == {
        "leadRecord": {"Email": "ada@example.com", "leadAttributeList": {"FirstName": "Ada"}},
        "returnLead": "true", "marketoCookie": "id:1-A-2&token:_mch-x"}
    assert (entry["outcome"], entry["http_status"], entry["statuses"]) == ("success", 200, ["CREATED"])
    assert (entry["fault_code"], entry["fault_message"], entry["injection"]) == (None, None, None)
    assert entry["duration_ms"] > 0


def test_entry_holds_the_ids_of_the_leads_a_sync_touched(soap, client):
    soap.sync("ada@example.com")
    soap.sync("ada@example.com")
    assert [entry["lead_ids"] for entry in client.get("/_mock/requests").json] == [[1000001], [1000001]]


def test_entry_holds_the_ids_of_the_leads_a_read_returned(soap, client):
    client.post("/_mock/leads", json=[{"email": "twin@example.com"}, {"email": "twin@example.com"}])
    soap.get_lead("EMAIL", "twin@example.com")
    assert client.get("/_mock/requests").json[0]["lead_ids"] == [1000002, 1000001]


def test_entry_of_a_fault_touched_no_lead(soap, client):
    soap.sync("ada@example.com", attributes={"pants": "blue"})
    assert client.get("/_mock/requests").json[0]["lead_ids"] == []


def test_entry_holds_raw_request_and_response_xml(soap, client):
    request = sm.envelope(sm.sync_lead_body(sm.lead_record("ada@example.com")))
    response = soap.post(request)
    [entry] = client.get("/_mock/requests").json
    assert entry["request_xml"] == request
    assert entry["response_xml"] == response.body.decode()


def test_fault_entry_holds_code_and_message(soap, client):
    soap.sync("ada@example.com", attributes={"pants": "blue"})
    [entry] = client.get("/_mock/requests").json
    assert (entry["outcome"], entry["http_status"], entry["fault_code"], entry["fault_message"]) == (
        "fault", 500, 20105, "syncLead operation failed: unknown fields for import: pants")


def test_authentication_failure_is_journaled_in_the_default_instance(soap, client):
    soap.call(sm.get_lead_body("EMAIL", "a@example.com"), header=sm.auth_header("nobody", "wrong"))
    [entry] = client.get("/_mock/requests").json
    assert (entry["user_id"], entry["fault_code"]) == ("nobody", 20014)


def test_unparseable_request_is_journaled_without_operation(soap, client):
    soap.post(b"<not-xml")
    [entry] = client.get("/_mock/requests").json
    assert (entry["operation"], entry["user_id"], entry["params"], entry["fault_code"]) == (None, None, None, 20012)
    assert entry["request_xml"] == "<not-xml"


def test_empty_request_is_journaled_without_request_xml(soap, client):
    soap.post(b"")
    [entry] = client.get("/_mock/requests").json
    assert (entry["request_xml"], entry["fault_code"]) == (None, 20012)


def test_entries_newest_last(soap, client):
    soap.sync("a@example.com")
    soap.get_lead("EMAIL", "a@example.com")
    assert [e["operation"] for e in client.get("/_mock/requests").json] == ["syncLead", "getLead"]


def test_filter_by_operation(soap, client):
    soap.sync("a@example.com")
    soap.get_lead("EMAIL", "a@example.com")
    assert [e["operation"] for e in client.get("/_mock/requests?operation=getLead").json] == ["getLead"]


def test_filter_by_email_matches_key_attribute_and_lead_key(soap, client):
    soap.sync("a@example.com")
    soap.sync(None, id=1000001, attributes={"Email": "B@example.com"})
    soap.get_lead("EMAIL", "b@example.com")
    soap.sync("c@example.com")
    found = client.get("/_mock/requests?email=b@EXAMPLE.com").json
    assert [e["seq"] for e in found] == [2, 3]


def test_filter_by_fault_code(soap, client):
    soap.sync("a@example.com")
    soap.get_lead("EMAIL", "nobody@example.com")
    assert [e["operation"] for e in client.get("/_mock/requests?fault_code=20103").json] == ["getLead"]


def test_filter_by_fault_code_not_a_number_is_400(client):
    response = client.get("/_mock/requests?fault_code=x")
    assert response.status_code == 400
    assert response.json == {"error": "fault_code: expected an integer, got 'x'"}


def test_filter_by_an_operation_in_the_wrong_case_is_400_naming_the_operation(client):
    """A typo must not read as "no call was made"."""
    response = client.get("/_mock/requests?operation=synclead")
    assert (response.status_code, response.json) == (400, {
        "error": "operation: 'synclead' is not an operation of Marketo's WSDL (did you mean 'syncLead'?)"})


def test_filter_by_a_misspelt_operation_is_400_naming_the_likely_one(client):
    response = client.get("/_mock/requests?operation=getLeads")
    assert response.json["error"].startswith("operation: 'getLeads' is not an operation of Marketo's WSDL "
                                              "(did you mean 'getLead'")


def test_filter_by_a_fault_code_marketo_does_not_have_is_400(client):
    response = client.get("/_mock/requests?fault_code=20020")
    assert response.status_code == 400
    assert response.json["error"].startswith("fault_code: 20020 is not a Marketo error code (known: 10001, ")


def test_filter_since(soap, client, clock):
    soap.sync("a@example.com")
    clock.advance(60)
    soap.sync("b@example.com")
    found = client.get("/_mock/requests", query_string={"since": "2026-03-02T12:00:30+00:00"}).json
    assert [e["params"]["leadRecord"]["Email"] for e in found] == ["b@example.com"]


def test_filter_since_bad_time_is_400(client):
    response = client.get("/_mock/requests?since=noon")
    assert response.status_code == 400
    assert response.json == {"error": "since: expected an ISO 8601 date and time, got 'noon'"}


def test_delete_clears_the_journal(soap, client):
    soap.sync("a@example.com")
    assert client.delete("/_mock/requests").json == {"cleared": "requests"}
    assert client.get("/_mock/requests").json == []


def test_journal_keeps_the_newest_entries_up_to_its_size(soap, client):
    client.put("/_mock/config", json={"control": {"journal_size": 2}})
    for email in ("a@example.com", "b@example.com", "c@example.com"):
        soap.sync(email)
    assert [e["seq"] for e in client.get("/_mock/requests").json] == [2, 3]


def test_journal_size_from_settings():
    app = control_app(journal_size=1)
    soap = SoapCaller(app)
    soap.sync("a@example.com")
    soap.sync("b@example.com")
    assert [e["seq"] for e in json_client(app).get("/_mock/requests").json] == [2]


def test_journal_never_holds_the_secret_key(soap, client):
    soap.sync("a@example.com")
    client.get("/_mock/config")
    assert DEFAULT_SECRET_KEY not in client.get("/_mock/requests").get_data(as_text=True)


def test_wsdl_and_control_calls_are_not_journaled(soap, client):
    client.get("/soap/mktows/2_9?WSDL")
    client.get("/_mock/leads")
    assert client.get("/_mock/requests").json == []


def test_time_uses_the_clock(soap, client, clock):
    clock.advance(timedelta(hours=1).total_seconds())
    soap.sync("a@example.com")
    assert client.get("/_mock/requests").json[0]["time"] == "2026-03-02T13:00:00Z"


def test_journal_keeps_the_first_64_kib_of_a_large_request_and_4096_characters_of_a_long_value(soap, client):
    """docs/control-api.md: raw XML is capped per entry; each long value in params is cut, marked."""
    long_name = "N" * 100_000
    soap.sync("big@example.com", attributes={"LastName": long_name})
    [entry] = client.get("/_mock/requests").json
    assert len(entry["request_xml"].encode()) < 64 * 1024 + 64
    assert entry["request_xml"].endswith(" more bytes not kept]")
    assert entry["params"]["leadRecord"]["leadAttributeList"] == {
        "LastName": "N" * 4096 + "... [95904 more characters not kept]"}


def test_filter_by_outcome(soap, client):
    soap.sync("a@example.com")
    soap.get_lead("EMAIL", "nobody@example.com")
    assert [e["operation"] for e in client.get("/_mock/requests?outcome=fault").json] == ["getLead"]


def test_filter_by_unknown_outcome_is_400(client):
    response = client.get("/_mock/requests?outcome=failed")
    assert response.status_code == 400
    assert response.json == {"error": "outcome: 'failed' is not an outcome of a call (known: success, fault, "
                                      "http500, malformed, drop)"}


def test_limit_keeps_the_newest_entries(soap, client):
    for email in ("a@example.com", "b@example.com", "c@example.com"):
        soap.sync(email)
    assert [e["seq"] for e in client.get("/_mock/requests?limit=2").json] == [2, 3]


def test_after_and_before_bound_the_seq_exclusively(soap, client):
    for email in ("a@example.com", "b@example.com", "c@example.com", "d@example.com"):
        soap.sync(email)
    assert [e["seq"] for e in client.get("/_mock/requests?after=1&before=4").json] == [2, 3]


def test_limit_of_zero_is_400(client):
    response = client.get("/_mock/requests?limit=0")
    assert response.status_code == 400
    assert response.json == {"error": "limit: expected 1 or more, got 0"}


def test_entry_holds_the_path_and_request_headers(soap, client):
    soap.post(sm.envelope(sm.get_lead_body("EMAIL", "a@example.com")), headers={"SOAPAction": '"getLead"'})
    [entry] = client.get("/_mock/requests").json
    assert entry["path"] == "/soap/mktows/2_9"
    assert entry["request_headers"]["Content-Type"] == "text/xml; charset=utf-8"
    assert entry["request_headers"]["Soapaction"] == '"getLead"'


def test_entry_masks_http_credentials(soap, client):
    soap.post(sm.envelope(sm.get_lead_body("EMAIL", "a@example.com")), headers={"Authorization": "Basic eDp5"})
    [entry] = client.get("/_mock/requests").json
    assert entry["request_headers"]["Authorization"] == "********"


def test_entry_holds_the_response_headers(soap, client):
    response = soap.sync("a@example.com")
    [entry] = client.get("/_mock/requests").json
    assert entry["response_headers"] == {"Content-Type": "text/xml; charset=utf-8",
                                         "Content-Length": str(len(response.body))}


def test_entry_names_the_leads_a_sync_touched(soap, client):
    soap.sync("a@example.com")
    soap.sync_multiple([sm.lead_record("b@example.com"), sm.lead_record("c@example.com")])
    assert [e["lead_ids"] for e in client.get("/_mock/requests").json] == [[1000001], [1000002, 1000003]]


def test_entry_names_the_leads_getlead_answered(soap, client):
    soap.sync("a@example.com")
    soap.get_lead("EMAIL", "a@example.com")
    assert client.get("/_mock/requests?operation=getLead").json[0]["lead_ids"] == [1000001]


def test_fault_entry_names_no_lead(soap, client):
    soap.get_lead("EMAIL", "nobody@example.com")
    [entry] = client.get("/_mock/requests").json
    assert entry["lead_ids"] == []


def test_entry_of_a_batch_names_only_the_leads_it_synced(soap, client):
    soap.sync_multiple([sm.lead_record("a@example.com"), sm.lead_record(id=4242),
                        sm.lead_record("b@example.com")])
    assert client.get("/_mock/requests").json[0]["lead_ids"] == [1000001, 1000002]


def test_entry_of_an_internal_error_names_what_was_raised(app, soap, client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("store on fire")

    monkeypatch.setattr(app.marketo, "sync_lead", broken)
    assert soap.sync("ada@example.com").fault_code == 10001
    assert client.get("/_mock/requests").json[0]["reason"] == "internal error: RuntimeError: store on fire"
