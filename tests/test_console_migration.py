"""The console's migration hint: each SOAP operation's Marketo REST equivalent, refined by the request,
and the table of docs/console.md in step with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mockmarketo.console.rest_equivalents import REST_CALLS, rest_equivalent
from mockmarketo.soap.operations import OPERATIONS

DOCS = Path(__file__).resolve().parents[1] / "docs" / "console.md"


def test_every_soap_operation_has_a_rest_equivalent():
    assert sorted(REST_CALLS) == sorted(OPERATIONS)


def test_docs_table_lists_every_operations_rest_call():
    rows = dict(re.findall(r"^\| `(\w+)` \| `([A-Z]+ \S+)` \|", DOCS.read_text(), re.M))
    assert rows == {operation: f"{call.method} {call.path}" for operation, call in REST_CALLS.items()}


def test_request_without_an_operation_has_no_equivalent():
    assert rest_equivalent(None, None) is None


@pytest.mark.parametrize(("record", "lookup"), [
    ({"Id": "1000001", "Email": "a@example.com"}, "lookupField=id"),
    ({"ForeignSysPersonId": "F1", "Email": "a@example.com"}, "lookupField=a dedupe field holding ForeignSysPersonId"),
    ({"Email": "a@example.com"}, "lookupField=email"),
])
def test_sync_lead_lookup_field_follows_the_records_key(record, lookup):
    call = rest_equivalent("syncLead", {"leadRecord": record, "returnLead": "false"})
    assert (call.method, call.path) == ("POST", "/rest/v1/leads.json")
    assert call.note.startswith(f"action=createOrUpdate, {lookup}")


def test_sync_lead_with_a_cookie_adds_the_associate_call():
    call = rest_equivalent("syncLead", {"leadRecord": {"Email": "a@example.com"}, "marketoCookie": "id:1&token:x"})
    assert call.note.endswith("then POST /rest/v1/leads/{id}/associate.json?cookie=the marketoCookie")


def test_sync_multiple_leads_without_dedup_creates_duplicates():
    call = rest_equivalent("syncMultipleLeads", {"leadRecordList": [{"Email": "a@example.com"}], "dedupEnabled": "false"})
    assert call.note == "up to 300 leads; action=createDuplicate, lookupField=email"


def test_sync_multiple_leads_of_mixed_keys_needs_one_call_per_key():
    call = rest_equivalent("syncMultipleLeads", {"leadRecordList": [{"Id": "1"}, {"Email": "a@example.com"}]})
    assert call.note == "up to 300 leads; action=createOrUpdate, one call per key: lookupField=email; lookupField=id"


@pytest.mark.parametrize(("key_type", "filter_type"), [("IDNUM", "id"), ("EMAIL", "email"), ("COOKIE", "cookies"),
                                                       ("SFDCLEADID", "sfdcLeadId")])
def test_get_lead_filter_type_follows_the_key_type(key_type, filter_type):
    call = rest_equivalent("getLead", {"leadKey": {"keyType": key_type, "keyValue": "x"}})
    assert str(call) == f"GET /rest/v1/leads.json (filterType={filter_type}&filterValues=the key)"


def test_get_multiple_leads_of_a_static_list_reads_the_list():
    call = rest_equivalent("getMultipleLeads", {"leadSelector": {"staticListName": "Newsletter"}})
    assert (call.method, call.path) == ("GET", "/rest/v1/lists/{listId}/leads.json")


@pytest.mark.parametrize(("operation", "method", "path"), [
    ("ADDTOLIST", "POST", "/rest/v1/lists/{listId}/leads.json"),
    ("REMOVEFROMLIST", "DELETE", "/rest/v1/lists/{listId}/leads.json"),
    ("ISMEMBEROFLIST", "GET", "/rest/v1/lists/{listId}/leads/ismember.json"),
])
def test_list_operation_method_follows_the_operation(operation, method, path):
    call = rest_equivalent("listOperation", {"listOperation": operation})
    assert (call.method, call.path) == (method, path)


def test_custom_objects_name_the_object_type():
    call = rest_equivalent("syncCustomObjects", {"objTypeName": "RoadShow", "operation": "INSERT"})
    assert str(call) == "POST /rest/v1/customobjects/RoadShow.json (action=createOnly, dedupeBy=dedupeFields)"


def test_mobjects_of_a_role_use_the_roles_path():
    call = rest_equivalent("syncMObjects", {"mObjectList": {"mObject": [{"type": "OpportunityPersonRole"}]},
                                            "operation": "UPSERT"})
    assert str(call) == "POST /rest/v1/opportunities/roles.json (action=createOrUpdate)"


def test_describe_of_the_lead_record_describes_leads():
    assert rest_equivalent("describeMObject", {"objectName": "LeadRecord"}).path == "/rest/v1/leads/describe2.json"


def test_params_of_an_unexpected_shape_give_the_general_call():
    assert rest_equivalent("getLead", "not an object").path == "/rest/v1/leads.json"
