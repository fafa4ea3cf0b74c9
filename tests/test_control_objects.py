"""The control API's custom object and MObject routes: /_mock/custom-objects/<type> and /_mock/mobjects/<type>
(docs/control-api.md). Run on SQLite and, under -m postgres, PostgreSQL."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from mockmarketo.domain.leads import Lead
from tests.conftest import make_app, store_leads
from tests.control_helpers import json_client
from tests.object_messages import (  # noqa: F401 - objects_soap is a fixture
    get_custom_objects_body, get_mobjects_body, objects_soap,
)

ANN, BOB = 1000001, 1000002
ROADSHOWS = "/_mock/custom-objects/Roadshow"
OPPORTUNITIES = "/_mock/mobjects/Opportunity"
ROLES = "/_mock/mobjects/OpportunityPersonRole"


@pytest.fixture
def soap(objects_soap):
    store_leads(objects_soap.app, Lead(id=ANN, email="ann@example.com"), Lead(id=BOB))
    return objects_soap


@pytest.fixture
def client(soap) -> Client:
    return soap.client


def without_times(records: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in ("created_at", "updated_at")} for r in records]


# ---- custom objects --------------------------------------------------------------------------------------

def test_seeded_records_are_answered_by_get_custom_objects(soap, client):
    response = client.post(ROADSHOWS, json={"keys": {"MKTOID": ANN, "rid": "r1"}, "attributes": {"city": "Paris"}})
    assert response.status_code == 201
    assert without_times([response.json]) == [{"keys": {"MKTOID": ANN, "rid": "r1"}, "attributes": {"city": "Paris"}}]
    answer = soap.call(get_custom_objects_body("Roadshow", {"MKTOID": ANN}))
    assert answer.all_text("result/customObjList/customObj/customObjAttributeList/attribute/attrValue") == ["Paris"]


def test_get_lists_the_records_in_key_order_with_their_times(client):
    client.post(ROADSHOWS, json=[{"keys": {"MKTOID": BOB, "rid": "a"}},
                                 {"keys": {"MKTOID": ANN, "rid": "b"}, "created_at": "2026-01-02T03:04:05Z"}])
    records = client.get(ROADSHOWS).json
    assert [(r["keys"], r["created_at"]) for r in records] == [
        ({"MKTOID": ANN, "rid": "b"}, "2026-01-02T03:04:05Z"), ({"MKTOID": BOB, "rid": "a"}, records[1]["created_at"])]


def test_get_filters_by_lead(client):
    client.post(ROADSHOWS, json=[{"keys": {"MKTOID": BOB, "rid": "a"}}, {"keys": {"MKTOID": ANN, "rid": "b"}}])
    assert [r["keys"]["rid"] for r in client.get(f"{ROADSHOWS}?lead_id={BOB}").json] == ["a"]


def test_the_type_in_the_path_is_matched_without_regard_to_case(client):
    client.post(ROADSHOWS, json={"keys": {"MKTOID": ANN, "rid": "r1"}})
    assert len(client.get("/_mock/custom-objects/ROADSHOW").json) == 1


def test_values_may_be_numbers_and_booleans_and_are_checked_by_type(client):
    response = client.post("/_mock/custom-objects/Visit", json={"keys": {"visitId": 7},
                                                               "attributes": {"MKTOID": ANN, "score": 3}})
    assert without_times([response.json]) == [{"keys": {"MKTOID": ANN, "visitId": "7"}, "attributes": {"score": "3"}}]
    response = client.post("/_mock/custom-objects/Visit", json={"keys": {"visitId": 8},
                                                               "attributes": {"MKTOID": ANN, "score": "high"}})
    assert (response.status_code, response.json) == (400, {"error": "Visit: Value 'high' of field score is not an "
                                                                    "integer"})


def test_an_unknown_type_is_404(client):
    response = client.get("/_mock/custom-objects/Nope")
    assert (response.status_code, response.json) == (404, {"error": "no custom object type 'Nope' (known: Roadshow, "
                                                                    "Visit)"})


@pytest.mark.parametrize("record,message", [
    ({"keys": {"MKTOID": ANN}}, "Roadshow: Missing key attribute: rid"),
    ({"keys": {"MKTOID": 999, "rid": "r"}}, "Roadshow: No lead found with MKTOID = 999"),
    ({"keys": {"MKTOID": ANN, "rid": "r"}, "attributes": {"size": "L"}}, "Roadshow: Unknown name attribute list: size"),
    ({"keys": {"MKTOID": ANN, "rid": "r"}, "colour": 1}, "Roadshow.colour: unknown key (known: keys, attributes, "
                                                         "created_at, updated_at)"),
    ({"keys": ["MKTOID"]}, "Roadshow.keys: expected an object of field names and values"),
    ({"keys": {"MKTOID": ANN, "rid": ["r"]}}, "Roadshow.keys.rid: expected a string, number or boolean, got ['r']"),
    ({"keys": {"MKTOID": ANN, "rid": "r"}, "created_at": "yesterday"},
     "Roadshow.created_at: expected an ISO 8601 date and time, got 'yesterday'"),
    ("r1", "Roadshow: expected a JSON object, got 'r1'"),
])
def test_a_bad_record_is_400_with_one_line(client, record, message):
    response = client.post(ROADSHOWS, json=record)
    assert (response.status_code, response.json) == (400, {"error": message})


def test_a_taken_key_is_409_and_nothing_of_the_list_is_stored(client):
    client.post(ROADSHOWS, json={"keys": {"MKTOID": ANN, "rid": "r1"}})
    response = client.post(ROADSHOWS, json=[{"keys": {"MKTOID": ANN, "rid": "r2"}},
                                            {"keys": {"MKTOID": ANN, "rid": "r1"}}])
    assert (response.status_code, response.json) == (
        409, {"error": "Roadshow[1]: Roadshow object with MKTOID = 1000001, rid = r1 already exists"})
    assert [r["keys"]["rid"] for r in client.get(ROADSHOWS).json] == ["r1"]


def test_delete_removes_every_record_of_the_type(client):
    client.post(ROADSHOWS, json=[{"keys": {"MKTOID": ANN, "rid": "a"}}, {"keys": {"MKTOID": BOB, "rid": "b"}}])
    assert client.delete(ROADSHOWS).json == {"deleted": 2}
    assert client.get(ROADSHOWS).json == []


def test_the_bare_route_is_404(client):
    assert client.get("/_mock/custom-objects").status_code == 404


def test_an_unknown_query_parameter_is_400(client):
    response = client.get(f"{ROADSHOWS}?lead={ANN}")
    assert (response.status_code, response.json) == (
        400, {"error": "unknown query parameter 'lead' (known: instance, lead_id)"})


# ---- MObjects --------------------------------------------------------------------------------------------

def test_a_seeded_opportunity_and_role_are_answered_by_get_mobjects(soap, client):
    opportunity = client.post(OPPORTUNITIES, json={
        "id": 40, "external_key": {"name": "opportunityId", "value": "Opportunity_4"},
        "attributes": {"Name": "Big deal", "Amount": 501, "IsWon": True},
        "associations": [{"type": "Company", "external_key": {"name": "cAccountFSID", "value": "C123"}}]})
    role = client.post(ROLES, json={"attributes": {"Role": "Buyer"}, "associations": [
        {"type": "Lead", "id": ANN}, {"type": "Opportunity", "external_key": {"name": "opportunityId",
                                                                             "value": "Opportunity_4"}}]})
    assert (opportunity.status_code, role.status_code) == (201, 201)
    assert without_times([opportunity.json, role.json]) == [
        {"id": 40, "external_key": {"name": "opportunityId", "value": "Opportunity_4"},
         "attributes": {"Amount": "501", "IsWon": "1", "Name": "Big deal"},
         "associations": [{"type": "Company", "id": None,
                           "external_key": {"name": "cAccountFSID", "value": "C123"}}]},
        {"id": 1, "external_key": None, "attributes": {"OpportunityId": "40", "PersonId": str(ANN), "Role": "Buyer"},
         "associations": []}]
    response = soap.call(get_mobjects_body("OpportunityPersonRole", associations=[
        "<mObjAssociation><mObjType>Lead</mObjType><id>1000001</id></mObjAssociation>"]))
    assert response.all_text("result/mObjectList/mObject/id") == ["1"]


def test_an_explicit_id_moves_the_id_sequence_past_it(client):
    client.post(OPPORTUNITIES, json={"id": 40, "attributes": {"Name": "A"}})
    assert client.post(OPPORTUNITIES, json={"attributes": {"Name": "B"}}).json["id"] == 41


def test_get_lists_the_objects_by_id(client):
    client.post(OPPORTUNITIES, json=[{"id": 5, "attributes": {"Name": "B"}}, {"id": 2, "attributes": {"Name": "A"}}])
    assert [o["id"] for o in client.get(OPPORTUNITIES).json] == [2, 5]


def test_a_taken_id_is_409(client):
    client.post(OPPORTUNITIES, json={"id": 5})
    response = client.post(OPPORTUNITIES, json={"id": 5})
    assert (response.status_code, response.json) == (409, {"error": "Opportunity: Opportunity id 5 is taken"})


@pytest.mark.parametrize("item,message", [
    ({"attributes": {"Colour": "red"}}, "Opportunity: Unknown attribute of Opportunity: Colour (known: Amount, "
                                        "CloseDate, Description, ExpectedRevenue, ExternalCreatedDate, Fiscal, "
                                        "FiscalQuarter, FiscalYear, ForecastCategoryName, IsClosed, IsWon, "
                                        "LastActivityDate, LeadSource, Name, NextStep, Probability, Quantity, "
                                        "Stage, Type)"),
    ({"id": 0}, "Opportunity.id: expected an id from 1 to 2147483647, got 0"),
    ({"external_key": {"name": "k"}}, 'Opportunity.external_key: expected {"name": "...", "value": "..."} with '
                                      "non-empty strings"),
    ({"associations": [{"type": "Lead", "id": 1}]}, "Opportunity: Opportunity takes no Lead association (it takes: "
                                                    "Company)"),
    ({"associations": {"type": "Company"}}, "Opportunity.associations: expected a list"),
    ({"colour": 1}, "Opportunity.colour: unknown key (known: id, external_key, attributes, associations, "
                    "created_at, updated_at)"),
])
def test_a_bad_opportunity_is_400_with_one_line(client, item, message):
    response = client.post(OPPORTUNITIES, json=item)
    assert (response.status_code, response.json) == (400, {"error": message})


def test_a_role_of_no_lead_is_400(client):
    client.post(OPPORTUNITIES, json={"id": 1})
    response = client.post(ROLES, json=[{"attributes": {"OpportunityId": 1, "PersonId": 999}}])
    assert (response.status_code, response.json) == (400, {"error": "OpportunityPersonRole[0]: No lead found with "
                                                                    "PersonId = 999"})


def test_deleting_the_opportunities_deletes_their_roles(client):
    client.post(OPPORTUNITIES, json={"id": 1})
    client.post(ROLES, json={"attributes": {"OpportunityId": 1, "PersonId": ANN}})
    assert client.delete(OPPORTUNITIES).json == {"deleted": 1}
    assert client.get(ROLES).json == []


def test_roles_filtered_by_lead_id_are_that_leads_roles(client):
    client.post(OPPORTUNITIES, json={"id": 1})
    client.post(ROLES, json=[{"attributes": {"OpportunityId": 1, "PersonId": ANN, "Role": "Buyer"}},
                             {"attributes": {"OpportunityId": 1, "PersonId": BOB, "Role": "Champion"}}])
    assert [role["attributes"]["Role"] for role in client.get(f"{ROLES}?lead_id={BOB}").json] == ["Champion"]


def test_lead_id_filter_on_opportunities_is_400(client):
    response = client.get(f"{OPPORTUNITIES}?lead_id={ANN}")
    assert (response.status_code, response.json) == (400, {"error": "lead_id: Opportunity objects do not name a lead"})


@pytest.mark.parametrize("path", ["/_mock/mobjects/Program", "/_mock/mobjects/Lead"])
def test_a_type_that_is_not_stored_is_404(client, path):
    response = client.get(path)
    assert (response.status_code, response.json["error"]) == (
        404, f"no MObject type {path.rsplit('/', 1)[1]!r} (known: Opportunity, OpportunityPersonRole)")


# ---- several workers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/_mock/custom-objects/Roadshow", "/_mock/mobjects/Opportunity"])
def test_object_routes_work_with_several_workers(path):
    from mockmarketo.config import custom_object_types
    from tests.object_messages import ROADSHOW
    client = json_client(make_app(workers=2, custom_objects=custom_object_types([ROADSHOW])))
    assert (client.get(path).status_code, client.get(path).json) == (200, [])
