"""mergeLeads (facts-more-ops §8, §13, §17.2): the winner keeps its id and its values, takes the values it
lacks and everything that belonged to the losers; the losers are deleted; a refused merge changes
nothing."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from tests import soap_messages as sm
from tests.activity_helpers import seed_activity, seed_lead
from tests.conftest import stored_lead

# facts-more-ops §8, Marketo's verbatim request
DOC_REQUEST = """<ns1:paramsMergeLeads>
      <winningLeadKeyList>
        <attribute><attrName>IDNUM</attrName><attrValue>2</attrValue></attribute>
      </winningLeadKeyList>
      <losingLeadKeyLists>
        <keyList><attribute><attrName>IDNUM</attrName><attrValue>15</attrValue></attribute></keyList>
        <keyList><attribute><attrName>IDNUM</attrName><attrValue>16</attrValue></attribute></keyList>
      </losingLeadKeyLists>
    </ns1:paramsMergeLeads>"""

# facts-more-ops §8, Marketo's verbatim response
DOC_RESPONSE = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successMergeLeads>
      <result>
        <mergeStatus>
          <winningLeadId>2</winningLeadId>
          <losingLeadIdList>
            <integerItem>15</integerItem>
            <integerItem>16</integerItem>
          </losingLeadIdList>
          <status>MERGED</status>
          <error xsi:nil="true" />
        </mergeStatus>
      </result>
    </ns1:successMergeLeads>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""


@pytest.fixture
def leads(app):
    """Leads 2 (winner of the doc sample), 15 and 16."""
    seed_lead(app, id=2, email="win@example.com", attributes={"FirstName": "Winner", "Company": ""},
              cookies=["cookie-2"])
    seed_lead(app, id=15, email="lose15@example.com", attributes={"FirstName": "Loser", "Company": "Acme",
                                                                  "Title": "CEO"},
              cookies=["cookie-15"], foreign_sys_person_id="00Q15", foreign_sys_type="SFDC")
    seed_lead(app, id=16, email="lose16@example.com", attributes={"Title": "CTO", "City": "Paris"})


def _merge(soap, winner, *losers, extra=""):
    return soap.call(sm.merge_leads_body(winner, *losers, extra=extra))


def _activities(app) -> list[dict]:
    return Client(app).get("/_mock/activities").json


def test_documented_request_answers_the_documented_response_byte_for_byte(leads, soap):
    response = soap.call(DOC_REQUEST)
    assert (response.status, response.content_type) == (200, "text/xml; charset=utf-8")
    assert sm.canonical(response.body) == sm.canonical(DOC_RESPONSE)


def test_winner_keeps_its_values_and_takes_the_first_non_empty_value_of_the_losers(app, leads, soap):
    soap.call(DOC_REQUEST)
    winner = stored_lead(app, 2)
    assert (winner.email, winner.attributes) == (
        "win@example.com", {"FirstName": "Winner", "Company": "Acme", "Title": "CEO", "City": "Paris"})


def test_winner_without_a_foreign_id_takes_the_losers(app, leads, soap):
    soap.call(DOC_REQUEST)
    winner = stored_lead(app, 2)
    assert (winner.foreign_sys_person_id, winner.foreign_sys_type) == ("00Q15", "SFDC")


def test_winner_takes_the_losers_cookies(app, leads, soap):
    soap.call(DOC_REQUEST)
    assert stored_lead(app, 2).cookies == ["cookie-15", "cookie-2"]


def test_losers_are_deleted_and_getlead_no_longer_finds_them(app, leads, soap):
    soap.call(DOC_REQUEST)
    assert (stored_lead(app, 15), stored_lead(app, 16), soap.get_lead("IDNUM", "15").fault_code) == (
        None, None, 20103)


def test_losers_activities_move_to_the_winner_and_a_merge_leads_activity_is_written(app, leads, soap):
    seed_activity(app, lead_id=15, type="VisitWebpage", at="2026-01-01T00:00:00Z")
    soap.call(DOC_REQUEST)
    visit, merge = _activities(app)
    assert (visit["type"], visit["lead_id"]) == ("Visit Webpage", 2)
    assert (merge["type"], merge["lead_id"], merge["asset_name"], merge["attributes"]) == (
        "Merge Leads", 2, "", [{"name": "Merge IDs", "value": "15, 16"},
                               {"name": "Merge Fields", "value": "ForeignSysPersonId, Company Name, Job Title, City"}])


def test_merged_activities_show_the_winner_in_getleadactivity(app, leads, soap):
    seed_activity(app, lead_id=15, type="OpenEmail")
    soap.call(DOC_REQUEST)
    response = soap.call(sm.get_lead_activity_body("IDNUM", "2"))
    record = "leadActivityList/activityRecordList/activityRecord"
    assert (response.all_text(f"{record}/activityType"), set(response.all_text(f"{record}/mktPersonId"))) == (
        ["Merge Leads", "Open Email"], {"2"})


def test_email_keys_name_the_leads(app, leads, soap):
    response = _merge(soap, ("EMAIL", "win@example.com"), ("EMAIL", "lose16@example.com"))
    assert response.all_text("result/mergeStatus/losingLeadIdList/integerItem") == ["16"]


def test_merge_in_sales_is_accepted_as_marketos_docs_spell_booleans(leads, soap):
    response = _merge(soap, ("IDNUM", "2"), ("IDNUM", "15"), extra="<mergeInSales>True</mergeInSales>")
    assert response.text("result/mergeStatus/status") == "MERGED"


def test_a_merged_leads_id_is_never_given_out_again(app, soap):
    soap.sync("a@example.com")
    soap.sync("b@example.com")
    _merge(soap, ("IDNUM", "1000001"), ("IDNUM", "1000002"))
    assert soap.sync("c@example.com").text("result/leadId") == "1000003"


# ---- refused merges change nothing ------------------------------------------------------------------

def _unchanged(app):
    return [stored_lead(app, lead_id) for lead_id in (2, 15, 16)], _activities(app)


@pytest.mark.parametrize(("losers", "code", "message"), [
    ((("IDNUM", "15"), ("IDNUM", "99")), 20103, "No lead found with IDNUM = 99 (20103)"),
    ((("IDNUM", "15"), ("IDNUM", "2")), 20110, "lead 2 is both the winning lead and a losing lead (20110)"),
    ((("IDNUM", "15"), ("EMAIL", "LOSE15@example.com")), 20110,
     "lead 15 is named twice among the losing leads (20110)"),
    ((("PANTS", "15"),), 20102, "LeadKeyType 'PANTS' is not valid (20102)"),
    ((), 20109, "losingLeadKeyLists needs at least one keyList (20109)"),
])
def test_refused_merge_is_a_fault_and_changes_nothing(app, leads, soap, losers, code, message):
    seed_activity(app, lead_id=15, type="OpenEmail")
    before = _unchanged(app)
    response = _merge(soap, ("IDNUM", "2"), *losers)
    assert (response.fault_code, response.fault_message) == (code, message)
    assert _unchanged(app) == before


def test_unknown_winner_is_fault_20103(leads, soap):
    assert _merge(soap, ("IDNUM", "3"), ("IDNUM", "15")).fault_message == "No lead found with IDNUM = 3 (20103)"


def test_more_than_25_losers_is_fault_20110(app, soap):
    for index in range(27):
        soap.sync(f"lead{index}@example.com")
    losers = [("IDNUM", str(1000002 + index)) for index in range(26)]
    response = _merge(soap, ("IDNUM", "1000001"), *losers)
    assert (response.fault_code, response.fault_message) == (
        20110, "losingLeadKeyLists holds 26 leads; at most 25 can be merged into one (20110)")
    assert stored_lead(app, 1000027) is not None


def test_key_list_of_two_attributes_is_fault_20110_saying_to_send_one_key_list_per_loser(leads, soap):
    body = DOC_REQUEST.replace(
        "<keyList><attribute><attrName>IDNUM</attrName><attrValue>15</attrValue></attribute></keyList>\n"
        "        <keyList><attribute><attrName>IDNUM</attrName><attrValue>16</attrValue></attribute></keyList>",
        "<keyList><attribute><attrName>IDNUM</attrName><attrValue>15</attrValue></attribute>"
        "<attribute><attrName>IDNUM</attrName><attrValue>16</attrValue></attribute></keyList>")
    response = soap.call(body)
    assert (response.fault_code, response.fault_message) == (
        20110, "losingLeadKeyLists/keyList[1] holds 2 attributes; a key list names one lead with one attribute "
               "(send one keyList per losing lead) (20110)")


def test_missing_winner_is_fault_20101(leads, soap):
    response = soap.call("<ns1:paramsMergeLeads><losingLeadKeyLists/></ns1:paramsMergeLeads>")
    assert response.fault_code == 20101



def test_losers_custom_objects_go_to_the_winner(app, leads, soap):
    """facts-more-ops §8: a merge combines what belongs to the leads; custom objects (§10) too."""
    client = Client(app)
    client.put("/_mock/config", json={"custom_objects": [
        {"name": "RoadShow", "link_field": "MKTOID", "dedupe_fields": ["MKTOID", "rid"],
         "fields": {"rid": "string", "city": "string"}}]})
    seeded = client.post("/_mock/custom-objects/RoadShow", json=[
        {"keys": {"MKTOID": 15, "rid": "r1"}, "attributes": {"city": "Paris"}}])
    assert seeded.status_code == 201, seeded.json
    assert _merge(soap, ("IDNUM", "2"), ("IDNUM", "15")).status == 200
    assert [(r["keys"]["MKTOID"], r["keys"]["rid"]) for r in client.get("/_mock/custom-objects/RoadShow").json] \
        == [(2, "r1")]
