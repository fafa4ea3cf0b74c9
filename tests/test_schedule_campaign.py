"""scheduleCampaign (facts-more-ops §6): a batch campaign of a program, now or at campaignRunAt, over its
smart list, with My Tokens for the run and cloneToProgramName; due runs execute when the mock's clock
reaches them (the background runner, or POST /_mock/run-pending at once)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from tests import marketing_messages as mm
from tests import soap_messages as sm
from tests.conftest import SoapCaller
from tests.control_helpers import FakeClock
from tests.marketing_messages import activities, runs

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)  # FakeClock's start


@pytest.fixture
def clock():
    return FakeClock(NOW)


@pytest.fixture
def app(database_url, clock):
    return mm.marketing_app(database_url, clock=clock)


def ok(response: sm.SoapResponse) -> None:
    assert (response.status, response.text("result/success")) == (200, "true"), response.body


def fault(response: sm.SoapResponse) -> tuple[int, int | None, str | None]:
    return response.status, response.fault_code, response.fault_message


def reader(soap, email: str) -> int:
    """A lead in the Newsletter list, the Weekly Digest's smart list."""
    lead = mm.sync(soap, email)
    ok(soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [lead])))
    return lead


def title(soap, lead: int) -> str | None:
    return soap.get_lead("IDNUM", str(lead)).text(
        "result/leadRecordList/leadRecord/leadAttributeList/attribute[attrName='Title']/attrValue")


# Marketo's documented request (facts-more-ops §6): cloneToProgramName after campaignRunAt
DOC_REQUEST = """<ns1:paramsScheduleCampaign>
      <programName>Webinar 2026</programName>
      <campaignName>Weekly Digest</campaignName>
      <campaignRunAt>2013-08-03T21:39:34-07:00</campaignRunAt>
      <cloneToProgramName>TestProgramCloneFromSOAP</cloneToProgramName>
      <programTokenList>
        <attrib><name>{{my.topic}}</name><value>Updated message</value></attrib>
        <attrib><name>{{my.other token}}</name><value>Value for other token</value></attrib>
      </programTokenList>
    </ns1:paramsScheduleCampaign>"""
DOC_RESPONSE = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body><ns1:successScheduleCampaign><result><success>true</success></result></ns1:successScheduleCampaign></SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""


def test_documented_request_answers_the_documented_response_and_runs_the_clone(soap, app, client):
    lead = reader(soap, "ann@example.com")
    response = soap.call(DOC_REQUEST)
    assert sm.canonical(response.body) == sm.canonical(DOC_RESPONSE)
    [run] = runs(app)
    assert (run.campaign, run.source, run.leads, run.status) == (
        "TestProgramCloneFromSOAP.Weekly Digest", "schedule", [lead], "done")
    assert title(soap, lead) == "Reader of Updated message"
    assert [p["name"] for p in client.get("/_mock/programs").json] == ["Webinar 2026", "TestProgramCloneFromSOAP"]


def test_without_run_time_the_campaign_runs_now_over_its_smart_list(soap, app):
    member, outsider = reader(soap, "ann@example.com"), mm.sync(soap, "bob@example.com")
    ok(soap.call(mm.schedule_campaign("Webinar 2026", "Weekly Digest")))
    assert (title(soap, member), title(soap, outsider)) == ("Reader of Pricing", None)
    change = activities(app, member)[-1]
    assert (change.type, change.campaign, change.attributes[3]) == (
        "Change Data Value", "Webinar 2026.Weekly Digest",
        ("Reason", "Changed by Smart Campaign Webinar 2026.Weekly Digest action Change Data Value"))


def test_campaign_without_smart_list_runs_over_every_lead(soap, app, client):
    client.post("/_mock/campaigns", json={"name": "Everyone", "program": "Webinar 2026",
                                          "flow": [{"send_email": "Hello"}]})
    first, second = mm.sync(soap, "a@example.com"), mm.sync(soap, "b@example.com")
    ok(soap.call(mm.schedule_campaign("Webinar 2026", "Everyone")))
    assert runs(app)[0].leads == [first, second]


def test_run_at_a_future_time_waits_for_the_clock(soap, app, client, clock):
    lead = reader(soap, "ann@example.com")
    app.marketo.marketing.runner.close()  # the test moves time and runs what is due itself
    ok(soap.call(mm.schedule_campaign("Webinar 2026", "Weekly Digest", run_at="2026-03-02T13:00:00Z")))
    assert (runs(app)[0].status, title(soap, lead)) == ("pending", None)
    clock.advance(3600)
    [run] = client.get("/_mock/campaign-runs").json
    assert (run["outcome"], run["at"], run["leads"]) == ("done", "2026-03-02T13:00:00Z", [lead])
    assert title(soap, lead) == "Reader of Pricing"


def test_background_runner_runs_a_scheduled_run_once_the_clock_reaches_it(soap, app, clock):
    lead = reader(soap, "ann@example.com")
    ok(soap.call(mm.schedule_campaign("Webinar 2026", "Weekly Digest", run_at="2026-03-02T07:30:00-05:00")))
    time.sleep(0.2)
    assert runs(app)[0].status == "pending"
    clock.advance(1800)
    deadline = time.monotonic() + 10
    while runs(app)[0].status == "pending" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert (runs(app)[0].status, title(soap, lead)) == ("done", "Reader of Pricing")


def test_run_pending_runs_a_scheduled_run_before_its_time(soap, app, client):
    lead = reader(soap, "ann@example.com")
    ok(soap.call(mm.schedule_campaign("Webinar 2026", "Weekly Digest", run_at="2027-01-01T00:00:00Z")))
    answer = client.post("/_mock/run-pending").json
    assert [(r["name"], r["outcome"], r["leads"]) for r in answer["campaign_runs"]] == [
        ("Webinar 2026.Weekly Digest", "done", [lead])]
    assert client.post("/_mock/run-pending").json == {"campaign_runs": [], "imports": []}


def test_run_time_in_the_past_runs_now(soap, app):
    lead = reader(soap, "ann@example.com")
    ok(soap.call(mm.schedule_campaign("Webinar 2026", "Weekly Digest", run_at="2013-08-03T21:39:34-07:00")))
    assert (runs(app)[0].status, title(soap, lead)) == ("done", "Reader of Pricing")


def test_tokens_of_the_call_override_the_programs(soap, app):
    lead = reader(soap, "ann@example.com")
    ok(soap.call(mm.schedule_campaign("Webinar 2026", "Weekly Digest", tokens={"{{My.Topic}}": "Security"})))
    assert title(soap, lead) == "Reader of Security"


def test_clone_keeps_the_original_program(soap, app, client):
    ok(soap.call(mm.schedule_campaign("Webinar 2026", "Weekly Digest", clone_to="Webinar 2027")))
    campaigns = [(c["full_name"], c["smart_list"]) for c in client.get("/_mock/campaigns").json]
    assert campaigns == [("Webinar 2026.Send Confirmation", None), ("Webinar 2026.Weekly Digest", "Newsletter"),
                         ("Sales Follow-up", None), ("Webinar 2027.Send Confirmation", None),
                         ("Webinar 2027.Weekly Digest", "Newsletter")]
    clone = client.get("/_mock/programs").json[1]
    assert (clone["name"], clone["channel"], clone["tokens"]) == (
        "Webinar 2027", "Webinar", {"{{my.topic}}": "Pricing", "{{my.host}}": "Ann"})


def test_clone_to_a_taken_program_name_faults_20110(soap):
    response = soap.call(mm.schedule_campaign("Webinar 2026", "Weekly Digest", clone_to="webinar 2026"))
    assert fault(response) == (500, 20110, "cloneToProgramName 'webinar 2026': name: 'webinar 2026' is taken by "
                                           "program 1001 (20110)")


def test_trigger_campaign_cannot_be_scheduled_20110(soap, app):
    response = soap.call(mm.schedule_campaign("Webinar 2026", "Send Confirmation"))
    assert fault(response) == (500, 20110, "Campaign Webinar 2026.Send Confirmation is a trigger campaign "
                                           "('Campaign is Requested'); scheduleCampaign runs batch campaigns (20110)")
    assert runs(app) == []


def test_unknown_campaign_faults_20113(soap):
    response = soap.call(mm.schedule_campaign("Webinar 2026", "Nope"))
    assert fault(response) == (500, 20113, "Campaign 'Nope' does not exist in program 'Webinar 2026' (20113)")


def test_unknown_program_faults_20113(soap):
    assert soap.call(mm.schedule_campaign("Nope", "Weekly Digest")).fault_code == 20113


@pytest.mark.parametrize(("program", "campaign"), [(None, "Weekly Digest"), ("Webinar 2026", None), ("", " ")])
def test_missing_program_or_campaign_name_faults_20109(soap, program, campaign):
    response = soap.call(mm.schedule_campaign(program, campaign))
    assert fault(response) == (500, 20109, "programName and campaignName are required (20109)")


def test_run_of_a_campaign_removed_by_a_reset_is_gone_with_it(soap, app, client):
    client.post("/_mock/campaigns", json={"name": "Later", "program": "Webinar 2026"})
    ok(soap.call(mm.schedule_campaign("Webinar 2026", "Later", run_at="2027-01-01T00:00:00Z")))
    client.post("/_mock/reset")
    assert client.get("/_mock/campaign-runs").json == []


def test_scheduled_run_waits_while_the_real_clock_has_not_reached_it(database_url):
    app = mm.marketing_app(database_url)
    soap = SoapCaller(app)
    later = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    ok(soap.call(mm.schedule_campaign("Webinar 2026", "Weekly Digest", run_at=later)))
    time.sleep(0.2)
    assert runs(app)[0].status == "pending"
