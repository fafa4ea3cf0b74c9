"""requestCampaign (facts-more-ops §5): both parameter sets and their faults, the observed leniencies,
100 lead keys, what a run does to each lead (the campaign's flow, recorded as Marketo records it, §13),
My Tokens, and runs made asynchronous by `[campaign_runs] delay_ms`."""

from __future__ import annotations

import time

import pytest

from tests import marketing_messages as mm
from tests import soap_messages as sm
from tests.conftest import SoapCaller
from tests.marketing_messages import FIRST, activities, members, runs

REASON = "Changed by Smart Campaign Webinar 2026.Send Confirmation action Change Data Value"
CAMPAIGN = "Webinar 2026.Send Confirmation"


@pytest.fixture
def app(database_url):
    return mm.marketing_app(database_url)


def fault(response: sm.SoapResponse) -> tuple[int, int | None, str | None]:
    return response.status, response.fault_code, response.fault_message


def ok(response: sm.SoapResponse) -> None:
    assert (response.status, response.text("result/success")) == (200, "true"), response.body


# Marketo's documented request (facts-more-ops §5) and response
DOC_REQUEST = """<ns1:paramsRequestCampaign>
      <source>MKTOWS</source>
      <campaignId>4496</campaignId>
      <leadList>
        <leadKey><keyType>EMAIL</keyType><keyValue>lead@company.com</keyValue></leadKey>
        <leadKey><keyType>EMAIL</keyType><keyValue>anotherlead@company.com</keyValue></leadKey>
      </leadList>
    </ns1:paramsRequestCampaign>"""
DOC_RESPONSE = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successRequestCampaign>
      <result>
        <success>true</success>
      </result>
    </ns1:successRequestCampaign>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""


def test_documented_request_answers_the_documented_response(soap, app):
    first, second = mm.sync(soap, "lead@company.com"), mm.sync(soap, "anotherlead@company.com")
    response = soap.call(DOC_REQUEST)
    assert (response.status, sm.canonical(response.body)) == (200, sm.canonical(DOC_RESPONSE))
    [run] = runs(app)
    assert (run.campaign_id, run.source, run.leads, run.status) == (4496, "request", [first, second], "done")


# ---- what a run does (facts-more-ops §13) ------------------------------------------------------------

def test_each_lead_gets_request_campaign_then_the_flow_steps_in_order(soap, app):
    lead = mm.sync(soap, "ann@example.com", LeadScore="5")
    ok(soap.call(mm.request_campaign([lead], campaign_id=4496)))
    written = [(a.type, a.asset_name, a.campaign, a.all_attributes()) for a in activities(app, lead)[1:]]
    assert written == [
        ("Request Campaign", CAMPAIGN, CAMPAIGN, [("Campaign ID", "4496"), ("Source", "Web Service API"),
                                                  ("Lead ID", str(lead))]),
        ("Change Data Value", "Lead Score", CAMPAIGN, [
            ("Attribute Name", "Lead Score"), ("Old Value", "5"), ("New Value", "15"), ("Reason", REASON),
            ("Step ID", "1"), ("Choice Number", "0"), ("Lead ID", str(lead))]),
        ("Add to List", "Newsletter", CAMPAIGN, [("List ID", "1001"), ("Campaign", CAMPAIGN), ("Lead ID", str(lead))]),
        ("Send Email", "Confirmation about Pricing", CAMPAIGN, [("Campaign Run ID", "1"), ("Step ID", "3"),
                                                                 ("Lead ID", str(lead))]),
    ]
    assert members(app, 1001) == [lead]
    assert soap.get_lead("IDNUM", str(lead)).text("result/leadRecordList/leadRecord/leadAttributeList/"
                                                  "attribute[attrName='LeadScore']/attrValue") == "15"


def test_tokens_of_the_call_override_the_programs_for_this_run_only(soap, app):
    """The blog variant (§5): campaignId with a programTokenList, answered success."""
    lead = mm.sync(soap, "ann@example.com")
    ok(soap.call(mm.request_campaign([lead], campaign_id=4496, tokens={"{{my.topic}}": "Support"})))
    ok(soap.call(mm.request_campaign([lead], campaign_id=4496)))
    emails = [a.asset_name for a in activities(app, lead) if a.type == "Send Email"]
    assert emails == ["Confirmation about Support", "Confirmation about Pricing"]
    assert [run.tokens for run in runs(app)] == [{"{{my.topic}}": "Support", "{{my.host}}": "Ann"},
                                                 {"{{my.topic}}": "Pricing", "{{my.host}}": "Ann"}]


def test_program_and_campaign_name_with_tokens_run_the_campaign(soap, app):
    lead = mm.sync(soap, "ann@example.com")
    ok(soap.call(mm.request_campaign([lead], program="webinar 2026", campaign="send confirmation",
                                     tokens={"{{my.topic}}": "AI"})))
    assert [(run.campaign_id, run.tokens["{{my.topic}}"]) for run in runs(app)] == [(4496, "AI")]


def test_empty_token_list_is_accepted_with_program_and_campaign_name(soap, app):
    lead = mm.sync(soap, "ann@example.com")
    ok(soap.call(mm.request_campaign([lead], program="Webinar 2026", campaign="Send Confirmation", tokens={})))
    assert len(runs(app)) == 1


def test_missing_source_is_taken_as_mktows(soap, app):
    """Marketo's Java MktowsClient never sends `source` (§5, §14)."""
    lead = mm.sync(soap, "ann@example.com")
    ok(soap.call(mm.request_campaign([lead], campaign_id=4496, source=None)))
    assert runs(app)[0].leads == [lead]


def test_sales_source_runs_a_campaign_requestable_from_sales_insight(soap, app):
    lead = mm.sync(soap, "ann@example.com")
    ok(soap.call(mm.request_campaign([lead], campaign_id=4498, source="SALES")))
    assert activities(app, lead)[-1].attributes == [("Campaign ID", "4498"), ("Source", "Sales Insight")]


def test_only_the_first_100_lead_keys_are_used(soap, app):
    """"Limit of 100 leadKey values per call. Additional keys are ignored." (§5)"""
    soap.sync_multiple([sm.lead_record(email=f"l{i}@example.com") for i in range(101)])
    ok(soap.call(mm.request_campaign(list(range(FIRST, FIRST + 101)), campaign_id=4496)))
    assert runs(app)[0].leads == list(range(FIRST, FIRST + 100))


def test_keys_that_name_no_lead_are_skipped(soap, app):
    lead = mm.sync(soap, "ann@example.com")
    ok(soap.call(mm.request_campaign([12345, lead, ("EMAIL", "nobody@example.com")], campaign_id=4496)))
    assert runs(app)[0].leads == [lead]


def test_a_lead_named_twice_runs_once(soap, app):
    lead = mm.sync(soap, "ann@example.com")
    ok(soap.call(mm.request_campaign([lead, ("EMAIL", "ann@example.com")], campaign_id=4496)))
    assert [a.type for a in activities(app, lead)].count("Send Email") == 1


def test_delete_lead_step_deletes_the_lead_and_its_memberships(soap, app, client):
    campaign = client.post("/_mock/campaigns", json={
        "name": "Forget Me", "requestable": True,
        "flow": [{"add_to_list": "Attendees"}, {"delete_lead": True}, {"send_email": "Never sent"}]}).json
    lead = mm.sync(soap, "ann@example.com")
    ok(soap.call(mm.request_campaign([lead], campaign_id=campaign["id"])))
    assert soap.get_lead("IDNUM", str(lead)).fault_code == 20103
    assert members(app, 1002) == []
    assert [a.type for a in activities(app, lead)] == ["New Lead", "Request Campaign", "Add to List", "Delete Lead"]


def test_step_that_cannot_apply_is_skipped_and_noted(soap, app, client):
    campaign = client.post("/_mock/campaigns", json={"name": "Bad Score", "requestable": True, "flow": [
        {"change_field": {"field": "LeadScore", "value": "lots"}}, {"send_email": "Still sent"}]}).json
    lead = mm.sync(soap, "ann@example.com")
    ok(soap.call(mm.request_campaign([lead], campaign_id=campaign["id"])))
    [run] = runs(app)
    assert (run.status, run.errors) == ("done", [
        f"lead {lead}, step 1 (change_field): Value 'lots' of field LeadScore is not an integer"])
    assert [a.type for a in activities(app, lead)] == ["New Lead", "Request Campaign", "Send Email"]


# ---- faults ----------------------------------------------------------------------------------------

def test_unknown_campaign_id_faults_20113(soap, app):
    lead = mm.sync(soap, "ann@example.com")
    assert fault(soap.call(mm.request_campaign([lead], campaign_id=9999))) == (
        500, 20113, "Campaign 9999 does not exist (20113)")
    assert runs(app) == []


def test_unknown_campaign_name_faults_20113(soap):
    response = soap.call(mm.request_campaign([FIRST], program="Webinar 2026", campaign="Nope"))
    assert fault(response) == (500, 20113, "Campaign 'Nope' does not exist in program 'Webinar 2026' (20113)")


def test_unknown_program_faults_20113(soap):
    response = soap.call(mm.request_campaign([FIRST], program="Nope", campaign="Send Confirmation"))
    assert fault(response) == (500, 20113, "Campaign 'Send Confirmation' does not exist: there is no program "
                                           "'Nope' (20113)")


def test_campaign_id_and_campaign_name_together_fault_20110(soap):
    """"A bad parameter error occurs if campaignID and campaignName are both passed" (§5)."""
    response = soap.call(mm.request_campaign([FIRST], campaign_id=4496, program="Webinar 2026",
                                             campaign="Send Confirmation"))
    assert fault(response) == (500, 20110, "Give campaignId or campaignName (with programName), not both (20110)")


def test_campaign_name_without_program_name_faults_20110(soap):
    response = soap.call(mm.request_campaign([FIRST], campaign="Send Confirmation"))
    assert fault(response) == (500, 20110, "campaignName needs the programName of its program (20110)")


def test_no_campaign_at_all_faults_20109(soap):
    response = soap.call(mm.request_campaign([FIRST], program="Webinar 2026"))
    assert fault(response) == (500, 20109, "campaignId, or programName and campaignName, is required (20109)")


def test_batch_campaign_cannot_be_requested_20110(soap):
    lead = mm.sync(soap, "ann@example.com")
    response = soap.call(mm.request_campaign([lead], campaign_id=4497))
    assert fault(response) == (500, 20110, "Campaign 4497 (Webinar 2026.Weekly Digest) cannot be requested from "
                                           "Web Service API: its trigger is not 'Campaign is Requested' with that "
                                           "source (20110)")


def test_campaign_requestable_from_sales_insight_only_cannot_be_requested_by_the_api_20110(soap):
    lead = mm.sync(soap, "ann@example.com")
    assert soap.call(mm.request_campaign([lead], campaign_id=4498)).fault_code == 20110


def test_unknown_source_faults_20110(soap):
    response = soap.call(mm.request_campaign([FIRST], campaign_id=4496, source="WEB"))
    assert fault(response) == (500, 20110, "source 'WEB' is not one of MKTOWS, SALES (20110)")


def test_missing_lead_list_faults_20101(soap):
    response = soap.call(mm.request_campaign(None, campaign_id=4496))
    assert fault(response) == (500, 20101, "LeadKey is required but was not provided: leadList holds no leadKey "
                                           "(20101)")


def test_bad_lead_key_type_faults_20102(soap):
    assert soap.call(mm.request_campaign([("NAME", "Ann")], campaign_id=4496)).fault_code == 20102


def test_token_name_not_written_as_a_my_token_faults_20110(soap):
    lead = mm.sync(soap, "ann@example.com")
    response = soap.call(mm.request_campaign([lead], campaign_id=4496, tokens={"topic": "AI"}))
    assert fault(response) == (500, 20110, "programTokenList: token name 'topic' is not of the form {{my.name}} "
                                           "(20110)")


def test_injected_fault_answers_before_the_campaign_runs(soap, app, client):
    lead = mm.sync(soap, "ann@example.com")
    client.post("/_mock/faults", json={"operation": "requestCampaign", "code": 20023})
    assert soap.call(mm.request_campaign([lead], campaign_id=4496)).fault_code == 20023
    assert runs(app) == []


def test_journal_names_the_call_and_the_emails_of_its_lead_keys(soap, client):
    soap.call(DOC_REQUEST)
    [entry] = client.get("/_mock/requests?email=anotherlead@company.com").json
    assert (entry["operation"], entry["params"]["campaignId"], len(entry["params"]["leadList"]["leadKey"])) == (
        "requestCampaign", "4496", 2)


# ---- asynchronous runs ([campaign_runs] delay_ms) ---------------------------------------------------

@pytest.fixture
def delayed_app(database_url):
    return mm.marketing_app(database_url, campaign_run_delay_ms=100)


def test_with_a_delay_the_call_answers_before_the_flow_runs(delayed_app):
    soap = SoapCaller(delayed_app)
    lead = mm.sync(soap, "ann@example.com")
    delayed_app.marketo.marketing.runner.close()  # so that nothing runs it behind the test's back
    ok(soap.call(mm.request_campaign([lead], campaign_id=4496)))
    assert [a.type for a in activities(delayed_app, lead)] == ["New Lead", "Request Campaign"]
    assert runs(delayed_app)[0].status == "pending"


def test_with_a_delay_the_background_runner_runs_the_flow(delayed_app):
    soap = SoapCaller(delayed_app)
    lead = mm.sync(soap, "ann@example.com")
    ok(soap.call(mm.request_campaign([lead], campaign_id=4496)))
    deadline = time.monotonic() + 10
    while runs(delayed_app)[0].status == "pending" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert runs(delayed_app)[0].status == "done"
    assert [a.type for a in activities(delayed_app, lead)][-1] == "Send Email"
