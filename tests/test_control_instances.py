"""Isolated instances: /_mock/instances and ?instance= on every route (issue 4)."""

from __future__ import annotations

import re

import pytest

from mockmarketo.domain.auth import Credentials
from tests.control_helpers import control_app, get_lead_as, sync_as

USERS = [Credentials("user_a", "key-a", "AAA-111"), Credentials("user_b", "key-b", "BBB-222")]


@pytest.fixture
def app():
    application = control_app(users=USERS)
    yield application
    application.close()




def test_create_instance_answers_fresh_credentials(client):
    response = client.post("/_mock/instances")
    assert response.status_code == 201
    assert sorted(response.json) == ["instance", "secret_key", "user_id"]
    assert re.fullmatch(r"\d{3}-[A-Z]{3}-\d{3}", response.json["instance"])
    assert response.json["user_id"].startswith("mockmarketo_")
    assert len(response.json["secret_key"]) == 40


def test_created_credentials_can_call_the_soap_endpoint(soap, client):
    created = client.post("/_mock/instances").json
    assert sync_as(soap, created["user_id"], created["secret_key"], "a@example.com").status == 200
    leads = client.get("/_mock/leads", query_string={"instance": created["instance"]}).json
    assert [lead["email"] for lead in leads] == ["a@example.com"]


def test_create_instance_with_a_name(client):
    response = client.post("/_mock/instances", json={"instance": "my-test"})
    assert response.json["instance"] == "my-test"


def test_create_instance_with_a_taken_name_is_409(client):
    response = client.post("/_mock/instances", json={"instance": "AAA-111"})
    assert response.status_code == 409
    assert response.json == {"error": "instance 'AAA-111' exists already"}


def test_create_instance_with_a_bad_body_is_400(client):
    response = client.post("/_mock/instances", json={"name": "x"})
    assert response.status_code == 400
    assert response.json == {"error": 'expected no body or {"instance": "<name>"}'}


def test_list_instances(client):
    client.post("/_mock/instances", json={"instance": "CCC-333"})
    assert client.get("/_mock/instances").json == [
        {"instance": "AAA-111", "created_at_run_time": False, "default": True},
        {"instance": "BBB-222", "created_at_run_time": False, "default": False},
        {"instance": "CCC-333", "created_at_run_time": True, "default": False}]


def test_default_instance_is_the_first_users(soap, client):
    sync_as(soap, "user_a", "key-a", "a@example.com")
    assert [lead["email"] for lead in client.get("/_mock/leads").json] == ["a@example.com"]


def test_two_instances_never_see_each_others_leads(soap, client):
    sync_as(soap, "user_a", "key-a", "a@example.com")
    sync_as(soap, "user_b", "key-b", "b@example.com")
    assert [lead["email"] for lead in client.get("/_mock/leads?instance=AAA-111").json] == ["a@example.com"]
    assert [lead["email"] for lead in client.get("/_mock/leads?instance=BBB-222").json] == ["b@example.com"]
    assert get_lead_as(soap, "user_b", "key-b", "a@example.com").fault_code == 20103


def test_each_instance_numbers_its_own_leads(soap, client):
    sync_as(soap, "user_a", "key-a", "a@example.com")
    sync_as(soap, "user_b", "key-b", "b@example.com")
    ids = [client.get(f"/_mock/leads?instance={name}").json[0]["id"] for name in ("AAA-111", "BBB-222")]
    assert ids == [1000001, 1000001]


def test_two_instances_never_see_each_others_journal(soap, client):
    sync_as(soap, "user_a", "key-a", "a@example.com")
    sync_as(soap, "user_b", "key-b", "b@example.com")
    assert [e["user_id"] for e in client.get("/_mock/requests?instance=AAA-111").json] == ["user_a"]
    assert [e["user_id"] for e in client.get("/_mock/requests?instance=BBB-222").json] == ["user_b"]


def test_faults_hit_only_their_instance(soap, client):
    client.post("/_mock/faults?instance=BBB-222", json={"code": 20023, "times": 5})
    assert sync_as(soap, "user_a", "key-a", "a@example.com").status == 200
    assert sync_as(soap, "user_b", "key-b", "b@example.com").fault_code == 20023


def test_seeding_goes_to_the_named_instance(soap, client):
    client.post("/_mock/leads?instance=BBB-222", json={"email": "seed@example.com"})
    assert get_lead_as(soap, "user_a", "key-a", "seed@example.com").fault_code == 20103
    assert get_lead_as(soap, "user_b", "key-b", "seed@example.com").status == 200


def test_reset_of_one_instance_spares_the_other(soap, client):
    sync_as(soap, "user_a", "key-a", "a@example.com")
    sync_as(soap, "user_b", "key-b", "b@example.com")
    client.post("/_mock/reset?instance=BBB-222")
    assert len(client.get("/_mock/leads?instance=AAA-111").json) == 1
    assert len(client.get("/_mock/requests?instance=AAA-111").json) == 1
    assert client.get("/_mock/leads?instance=BBB-222").json == []


def test_limit_counters_are_per_instance(soap, client):
    client.put("/_mock/config", json={"limits": {"enabled": True, "daily_quota": 1}})
    assert sync_as(soap, "user_a", "key-a", "a@example.com").status == 200
    assert sync_as(soap, "user_a", "key-a", "a@example.com").fault_code == 20015
    assert sync_as(soap, "user_b", "key-b", "b@example.com").status == 200


def test_delete_a_run_time_instance(soap, client):
    created = client.post("/_mock/instances").json
    sync_as(soap, created["user_id"], created["secret_key"], "a@example.com")
    response = client.delete("/_mock/instances", query_string={"instance": created["instance"]})
    assert response.json == {"deleted": created["instance"]}
    assert client.get("/_mock/leads", query_string={"instance": created["instance"]}).status_code == 404
    assert sync_as(soap, created["user_id"], created["secret_key"], "a@example.com").fault_code == 20014


def test_delete_a_configured_instance_is_409(client):
    response = client.delete("/_mock/instances?instance=AAA-111")
    assert response.status_code == 409
    assert response.json == {"error": "instance 'AAA-111' is configured, not created at run time; "
                                      "it cannot be deleted"}


def test_delete_an_unknown_instance_is_404(client):
    assert client.delete("/_mock/instances?instance=nope").status_code == 404


def test_delete_without_a_name_is_400(client):
    assert client.delete("/_mock/instances").json == {"error": "instance: name the instance to delete with ?instance="}
