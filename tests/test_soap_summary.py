"""soap.summary: the JSON view of requests and responses that the journal shows."""

from __future__ import annotations

from mockmarketo.domain.errors import MarketoError
from mockmarketo.soap.faults import fault_xml
from mockmarketo.soap.summary import summarize_request, summarize_response
from tests import soap_messages as sm


def test_nil_element_is_none():
    body = sm.envelope('<ns1:paramsSyncLead><leadRecord><Email>a@example.com</Email></leadRecord>'
                       '<returnLead>false</returnLead><marketoCookie xsi:nil="true"/></ns1:paramsSyncLead>')
    assert summarize_request(body.encode()).params["marketoCookie"] is None


def test_record_lists_are_always_lists():
    body = sm.envelope('<ns1:paramsSyncMultipleLeads><leadRecordList>'
                       '<leadRecord><Email>a@example.com</Email></leadRecord>'
                       '</leadRecordList><dedupEnabled>true</dedupEnabled></ns1:paramsSyncMultipleLeads>')
    summary = summarize_request(body.encode())
    assert summary.operation == "syncMultipleLeads"
    assert summary.params == {"leadRecordList": [{"Email": "a@example.com"}], "dedupEnabled": "true"}


def test_activity_filters_and_merge_key_lists_are_always_lists():
    changes = sm.envelope(sm.get_lead_changes_body(sm.start_position(offset="ID:1"), names=["New Lead"],
                                                   activity_filter=sm.activity_filter(exclude=["VisitWebpage"])))
    merge = sm.envelope(sm.merge_leads_body(("IDNUM", "2"), ("IDNUM", "15")))
    assert (summarize_request(changes.encode()).params, summarize_request(merge.encode()).params) == (
        {"startPosition": {"offset": "ID:1"}, "activityFilter": {"excludeTypes": ["VisitWebpage"]},
         "activityNameFilter": ["New Lead"]},
        {"winningLeadKeyList": {"IDNUM": "2"}, "losingLeadKeyLists": [{"IDNUM": "15"}]})


def test_repeated_elements_become_a_list():
    body = sm.envelope("<ns1:paramsGetLead><leadKey><keyType>EMAIL</keyType><keyValue>a@example.com</keyValue>"
                       "</leadKey><leadKey><keyType>IDNUM</keyType><keyValue>1</keyValue></leadKey>"
                       "</ns1:paramsGetLead>")
    params = summarize_request(body.encode()).params
    assert params == {"leadKey": [{"keyType": "EMAIL", "keyValue": "a@example.com"},
                                  {"keyType": "IDNUM", "keyValue": "1"}]}


def test_emails_of_a_multi_key_selector():
    body = sm.envelope('<ns1:paramsGetMultipleLeads><leadSelector xsi:type="ns1:LeadKeySelector">'
                       "<keyType>EMAIL</keyType><keyValues><stringItem>a@example.com</stringItem>"
                       "<stringItem>b@example.com</stringItem></keyValues></leadSelector>"
                       "</ns1:paramsGetMultipleLeads>")
    assert summarize_request(body.encode()).emails == ["a@example.com", "b@example.com"]


def test_unknown_body_element_has_no_operation():
    summary = summarize_request(sm.envelope("<ns1:paramsFrobnicate/>").encode())
    assert (summary.operation, summary.params) == (None, {})


def test_not_an_envelope_gives_nothing():
    summary = summarize_request(b"<a><b/></a>")
    assert (summary.operation, summary.user_id, summary.params) == (None, None, None)


def test_fault_response_gives_code_and_message_without_the_code_suffix():
    summary = summarize_response(fault_xml(MarketoError(20103, "No lead found with EMAIL = x")))
    assert (summary.fault_code, summary.fault_message, summary.statuses) == (
        20103, "No lead found with EMAIL = x", [])
