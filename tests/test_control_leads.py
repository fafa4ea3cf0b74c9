"""GET and POST /_mock/leads: reading an instance's leads and seeding them (issue 4)."""

from __future__ import annotations

import pytest

from tests.conftest import SoapCaller
from tests.control_helpers import control_app, json_client


@pytest.fixture
def app():
    application = control_app(custom_fields={"Shoe_Size__c": "integer"})
    yield application
    application.close()



def test_seed_one_lead_answers_201_with_the_stored_lead(client):
    response = client.post("/_mock/leads", json={
        "email": "ada@example.com", "attributes": {"FirstName": "Ada"},
        "created_at": "2026-01-02T03:04:05Z"})
    assert response.status_code == 201
    assert response.json == {
        "id": 1000001, "email": "ada@example.com", "foreign_sys_person_id": None, "foreign_sys_type": None,
        "cookies": [], "partition": "Default", "attributes": {"FirstName": "Ada"},
        "created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-02T03:04:05Z"}


def test_seed_a_list_answers_a_list(client):
    response = client.post("/_mock/leads", json=[{"email": "a@example.com"}, {"email": "b@example.com"}])
    assert response.status_code == 201
    assert [(lead["id"], lead["email"]) for lead in response.json] == [
        (1000001, "a@example.com"), (1000002, "b@example.com")]


def test_seeded_lead_is_found_by_getlead(app, client):
    client.post("/_mock/leads", json={"email": "ada@example.com", "attributes": {"LastName": "Lovelace"}})
    response = SoapCaller(app).get_lead("EMAIL", "ada@example.com")
    assert response.status == 200
    assert response.text("result/count") == "1"
    assert response.all_text("result/leadRecordList/leadRecord/leadAttributeList/attribute/attrValue") == [
        "Lovelace"]


def test_explicit_id_advances_the_id_sequence(app, client):
    client.post("/_mock/leads", json={"id": 2000000, "email": "seeded@example.com"})
    response = SoapCaller(app).sync("new@example.com")
    assert response.text("result/leadId") == "2000001"


def test_duplicate_id_is_409(client):
    client.post("/_mock/leads", json={"id": 7, "email": "a@example.com"})
    response = client.post("/_mock/leads", json={"id": 7, "email": "b@example.com"})
    assert response.status_code == 409
    assert response.json == {"error": "lead id 7 is taken"}


def test_duplicate_foreign_id_is_409(client):
    client.post("/_mock/leads", json={"foreign_sys_person_id": "SF-1", "foreign_sys_type": "SFDC"})
    response = client.post("/_mock/leads", json={"foreign_sys_person_id": "SF-1", "foreign_sys_type": "SFDC"})
    assert response.status_code == 409
    assert response.json == {"error": "foreign_sys_person_id 'SF-1' belongs to lead 1000001"}


def test_conflict_inside_a_list_stores_nothing(client):
    response = client.post("/_mock/leads", json=[{"id": 5, "email": "a@example.com"},
                                                 {"id": 5, "email": "b@example.com"}])
    assert response.status_code == 409
    assert client.get("/_mock/leads").json == []


def test_taken_cookie_is_409(client):
    client.post("/_mock/leads", json={"cookies": ["id:561-HYG-937&token:_mch-a"]})
    response = client.post("/_mock/leads", json={"email": "x@example.com", "cookies": ["id:561-HYG-937&token:_mch-a"]})
    assert response.status_code == 409
    assert response.json == {"error": "cookie 'id:561-HYG-937&token:_mch-a' belongs to lead 1000001"}


def test_unknown_field_is_400_naming_it(client):
    response = client.post("/_mock/leads", json={"email": "a@example.com", "attributes": {"pants": "blue"}})
    assert response.status_code == 400
    assert response.json == {"error": "lead.attributes: unknown fields: pants"}


def test_custom_field_is_accepted_and_normalised(client):
    response = client.post("/_mock/leads", json={"email": "a@example.com", "attributes": {"Shoe_Size__c": 42}})
    assert response.json["attributes"] == {"Shoe_Size__c": "42"}


def test_boolean_attribute_is_stored_as_1_or_0(client):
    response = client.post("/_mock/leads", json={"email": "a@example.com", "attributes": {"DoNotCall": True}})
    assert response.json["attributes"] == {"DoNotCall": "1"}


def test_bad_value_for_field_type_is_400(client):
    response = client.post("/_mock/leads", json={"email": "a@example.com", "attributes": {"LeadScore": "lots"}})
    assert response.status_code == 400
    assert response.json == {"error": "lead.attributes.LeadScore: Value 'lots' of field LeadScore is not an integer"}


def test_lead_without_any_key_is_400(client):
    response = client.post("/_mock/leads", json={"attributes": {"FirstName": "Ada"}})
    assert response.status_code == 400
    assert response.json == {"error": "lead: needs an id, email, foreign_sys_person_id or cookie"}


def test_unknown_lead_key_is_400(client):
    response = client.post("/_mock/leads", json={"email": "a@example.com", "Email": "b@example.com"})
    assert response.status_code == 400
    assert response.json["error"].startswith("lead.Email: unknown key")


def test_error_in_a_list_names_the_index(client):
    response = client.post("/_mock/leads", json=[{"email": "a@example.com"}, {"id": "x"}])
    assert response.status_code == 400
    assert response.json == {"error": "lead[1].id: expected a positive integer, got 'x'"}


def test_foreign_id_needs_a_valid_type(client):
    response = client.post("/_mock/leads", json={"foreign_sys_person_id": "F1", "foreign_sys_type": "ORACLE"})
    assert response.status_code == 400
    assert response.json == {"error": "lead.foreign_sys_type: expected one of CUSTOM, SFDC, NETSUITE with "
                                      "foreign_sys_person_id, got 'ORACLE'"}


def test_unknown_partition_is_400(client):
    response = client.post("/_mock/leads", json={"email": "a@example.com", "partition": "Europe"})
    assert response.status_code == 400
    assert response.json == {"error": "lead.partition: unknown partition 'Europe' (known: Default)"}


def test_bad_timestamp_is_400(client):
    response = client.post("/_mock/leads", json={"email": "a@example.com", "created_at": "yesterday"})
    assert response.status_code == 400
    assert response.json == {"error": "lead.created_at: expected an ISO 8601 date and time, got 'yesterday'"}


def test_email_attribute_is_refused_in_favour_of_email(client):
    response = client.post("/_mock/leads", json={"id": 1, "attributes": {"Email": "a@example.com"}})
    assert response.status_code == 400
    assert response.json == {"error": 'lead.attributes.Email: give the email as the lead\'s "email"'}


def test_list_leads_oldest_id_first(app, client):
    soap = SoapCaller(app)
    soap.sync("b@example.com")
    client.post("/_mock/leads", json={"id": 5, "email": "a@example.com"})
    assert [lead["id"] for lead in client.get("/_mock/leads").json] == [5, 1000001]


def test_filter_by_email_ignores_case(client):
    client.post("/_mock/leads", json=[{"email": "Ada@Example.com"}, {"email": "bob@example.com"}])
    assert [lead["email"] for lead in client.get("/_mock/leads?email=ada@example.COM").json] == ["Ada@Example.com"]


def test_filter_by_id(client):
    client.post("/_mock/leads", json=[{"email": "a@example.com"}, {"email": "b@example.com"}])
    assert [lead["email"] for lead in client.get("/_mock/leads?id=1000002").json] == ["b@example.com"]


def test_filter_by_id_not_a_number_is_400(client):
    response = client.get("/_mock/leads?id=abc")
    assert response.status_code == 400
    assert response.json == {"error": "id: expected an integer, got 'abc'"}


def test_filter_by_partition():
    app = control_app()
    client = json_client(app)
    client.put("/_mock/config", json={"workspaces": {"enabled": True, "list": [
        {"name": "Europe", "primary_partition": "EU", "partitions": ["EU"]}]}})
    client.post("/_mock/leads", json=[{"email": "a@example.com", "partition": "EU"}, {"email": "b@example.com"}])
    assert [lead["email"] for lead in client.get("/_mock/leads?partition=EU").json] == ["a@example.com"]


def test_filter_by_an_id_no_lead_can_have_is_400(client):
    response = client.get("/_mock/leads?id=0")
    assert (response.status_code, response.json) == (400, {"error": "id: expected a lead id, 1 to 2147483647, "
                                                                    "got 0"})


def test_filter_by_an_unknown_partition_is_400(client):
    response = client.get("/_mock/leads?partition=default")
    assert (response.status_code, response.json) == (400, {
        "error": "partition: 'default' is not a partition of the configured workspaces (did you mean "
                 "'Default'?)"})


def test_filters_combine(client):
    client.post("/_mock/leads", json=[{"email": "a@example.com"}, {"email": "a@example.com"}])
    assert client.get("/_mock/leads?email=a@example.com&id=1000002").json[0]["id"] == 1000002
    assert client.get("/_mock/leads?email=b@example.com&id=1000002").json == []


def test_leads_show_sync_changes(app, client):
    SoapCaller(app).sync("a@example.com", attributes={"FirstName": "Ada"}, cookie="id:1-A-2&token:_mch-x")
    lead = client.get("/_mock/leads").json[0]
    assert (lead["email"], lead["attributes"], lead["cookies"]) == (
        "a@example.com", {"FirstName": "Ada"}, ["id:1-A-2&token:_mch-x"])


def test_filter_by_foreign_id(client):
    client.post("/_mock/leads", json=[
        {"email": "a@example.com", "foreign_sys_person_id": "F1", "foreign_sys_type": "CUSTOM"},
        {"email": "b@example.com", "foreign_sys_person_id": "F2", "foreign_sys_type": "SFDC"}])
    assert [lead["email"] for lead in client.get("/_mock/leads?foreign_sys_person_id=F2").json] == ["b@example.com"]


def test_page_of_leads_after_an_id(client):
    client.post("/_mock/leads", json=[{"email": f"{n}@example.com"} for n in range(5)])
    page = client.get("/_mock/leads?after=1000002&limit=2").json
    assert [lead["id"] for lead in page] == [1000003, 1000004]


def test_limit_applies_to_a_filtered_search(client):
    client.post("/_mock/leads", json=[{"email": "same@example.com"}, {"email": "same@example.com"}])
    assert [lead["id"] for lead in client.get("/_mock/leads?email=same@example.com&limit=1").json] == [1000001]


def test_negative_after_is_400(client):
    response = client.get("/_mock/leads?after=-1")
    assert response.status_code == 400
    assert response.json == {"error": "after: expected 0 or more, got -1"}
