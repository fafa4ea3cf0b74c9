"""GET and PUT /_mock/config: the run-time config, checked as the config file is (issue 4)."""

from __future__ import annotations

import pytest

from mockmarketo.domain.auth import Credentials
from tests import soap_messages as sm
from tests.control_helpers import control_app, get_lead_as, json_client, sync_as


@pytest.fixture
def app():
    application = control_app(users=[Credentials("user_a", "key-a-secret", "default")])
    yield application
    application.close()




def test_get_masks_secret_keys(client):
    config = client.get("/_mock/config").json
    assert config["auth"]["users"] == [{"user_id": "user_a", "secret_key": "********", "instance": "default",
                                        "origin": "configured"}]
    assert "key-a-secret" not in client.get("/_mock/config").get_data(as_text=True)


def test_get_shows_every_runtime_section(client):
    assert sorted(client.get("/_mock/config").json) == [
        "assignment_rules", "auth", "campaign_runs", "control", "custom_objects", "fields", "imports", "instance",
        "limits", "workspaces"]


def test_put_users_takes_effect_without_restart(soap, client):
    response = client.put("/_mock/config", json={"auth": {"users": [
        {"user_id": "user_b", "secret_key": "key-b"}]}})
    assert response.status_code == 200
    assert sync_as(soap, "user_b", "key-b", "a@example.com").status == 200
    assert sync_as(soap, "user_a", "key-a-secret", "a@example.com").fault_code == 20014


def test_put_keeps_keys_not_given(client):
    client.put("/_mock/config", json={"auth": {"max_clock_skew_seconds": 60}})
    config = client.get("/_mock/config").json
    assert config["auth"]["max_clock_skew_seconds"] == 60
    assert [u["user_id"] for u in config["auth"]["users"]] == ["user_a"]


def test_put_clock_skew_takes_effect(soap, client):
    client.put("/_mock/config", json={"auth": {"max_clock_skew_seconds": 60}})
    header = sm.auth_header("user_a", "key-a-secret", timestamp="2020-01-01T00:00:00+00:00")
    assert soap.call(sm.get_lead_body("EMAIL", "a@example.com"), header=header).fault_code == 20016


def test_put_custom_fields_takes_effect(soap, client):
    assert sync_as(soap, "user_a", "key-a-secret", "a@example.com",
                   attributes={"Shoe_Size__c": "42"}).fault_code == 20105
    client.put("/_mock/config", json={"fields": {"Shoe_Size__c": "integer"}})
    assert sync_as(soap, "user_a", "key-a-secret", "a@example.com",
                   attributes={"Shoe_Size__c": "42"}).status == 200


def test_put_fields_replaces_every_custom_field(client):
    client.put("/_mock/config", json={"fields": {"A__c": "string"}})
    client.put("/_mock/config", json={"fields": {"B__c": "string"}})
    assert client.get("/_mock/config").json["fields"] == {"B__c": "string"}


def test_put_workspaces_and_rules_take_effect(soap, client):
    client.put("/_mock/config", json={
        "workspaces": {"enabled": True, "list": [{"name": "Europe", "primary_partition": "EU",
                                                  "partitions": ["EU"]}]},
        "assignment_rules": {"field": "Country", "partitions": {"France": "EU"}}})
    sync_as(soap, "user_a", "key-a-secret", "a@example.com", attributes={"Country": "France"})
    assert client.get("/_mock/leads").json[0]["partition"] == "EU"


def test_put_journal_size_resizes_existing_journals(soap, client):
    for email in ("a@example.com", "b@example.com", "c@example.com"):
        sync_as(soap, "user_a", "key-a-secret", email)
    client.put("/_mock/config", json={"control": {"journal_size": 1}})
    assert [e["seq"] for e in client.get("/_mock/requests").json] == [3]


def test_put_limits(client):
    response = client.put("/_mock/config", json={"limits": {"enabled": True, "rate_max_calls": 5}})
    assert response.json["limits"] == {"enabled": True, "daily_quota": 10000, "rate_max_calls": 5,
                                       "rate_window_seconds": 20, "max_concurrent": 10}


def test_put_answers_the_new_config(client):
    response = client.put("/_mock/config", json={"auth": {"max_clock_skew_seconds": 5}})
    assert response.json == client.get("/_mock/config").json


@pytest.mark.parametrize(("payload", "error"), [
    ({"server": {"port": 1}}, "server: cannot be changed at run time"),
    ({"leads": {"first_id": 5}}, "leads: cannot be changed at run time"),
    ({"control": {"token": "x"}}, "control.token: cannot be changed at run time"),
    ({"nonsense": {}}, "nonsense: unknown key"),
    ({"auth": {"colour": 1}}, "auth.colour: unknown key"),
    ({"auth": {"max_clock_skew_seconds": "60"}}, "auth.max_clock_skew_seconds: expected an integer, got '60'"),
    ({"auth": {"max_clock_skew_seconds": -1}}, "auth.max_clock_skew_seconds: expected 0 or more"),
    ({"auth": {"users": [{"user_id": "x"}]}}, "auth.users[0].secret_key: required"),
    ({"auth": {"users": [{"user_id": "x", "secret_key": "k"}, {"user_id": "x", "secret_key": "k"}]}},
     "auth.users: user_id 'x' is listed twice"),
    ({"fields": {"FirstName": "string"}}, "fields.FirstName: is a standard field already"),
    ({"fields": {"X__c": "colour"}}, "fields.X__c: expected one of "),
    ({"workspaces": {"enabled": "yes"}}, "workspaces.enabled: expected true or false, got 'yes'"),
    ({"assignment_rules": {"field": "Country", "partitions": {"France": "EU"}}},
     "assignment_rules.partitions: 'France' names unknown partition 'EU'"),
    ({"limits": {"enabled": 1}}, "limits.enabled: expected true or false, got 1"),
    ({"limits": {"daily_quota": 0}}, "limits.daily_quota: expected 1 or more, got 0"),
    ({"control": {"journal_size": 0}}, "control.journal_size: expected 1 or more, got 0"),
    ([], "config: expected a table, got []"),
    ({"auth": []}, "auth: expected a table, got []"),
])
def test_put_invalid_config_is_400_with_the_loader_message(client, payload, error):
    response = client.put("/_mock/config", json=payload)
    assert response.status_code == 400
    assert response.json["error"].startswith(error)


def test_invalid_put_changes_nothing(soap, client):
    before = client.get("/_mock/config").json
    client.put("/_mock/config", json={"auth": {"max_clock_skew_seconds": 5}, "limits": {"daily_quota": 0}})
    assert client.get("/_mock/config").json == before


def test_put_users_keeps_run_time_instances(soap, client):
    created = client.post("/_mock/instances").json
    client.put("/_mock/config", json={"auth": {"users": [{"user_id": "user_b", "secret_key": "key-b"}]}})
    assert get_lead_as(soap, created["user_id"], created["secret_key"], "a@example.com").fault_code == 20103


def test_put_with_the_masked_secret_key_is_400(client):
    users = client.get("/_mock/config").json["auth"]["users"]
    response = client.put("/_mock/config", json={"auth": {"users": users}})
    assert response.status_code == 400
    assert response.json == {"error": "auth.users[0].secret_key: give the real secret key, not the mask GET shows"}


def test_get_shows_the_built_in_default_user_when_none_is_configured():
    """A user of the default credentials read `"users": []` and could not tell which user works."""
    client = json_client(control_app())
    assert client.get("/_mock/config").json["auth"]["users"] == [
        {"user_id": "mockmarketo_1_DEFAULT0000000000000", "secret_key": "********", "instance": "default",
         "origin": "default"}]


def test_get_shows_users_of_instances_made_at_run_time_after_the_configured_ones(client):
    created = client.post("/_mock/instances", json={"instance": "extra"}).json
    assert client.get("/_mock/config").json["auth"]["users"] == [
        {"user_id": "user_a", "secret_key": "********", "instance": "default", "origin": "configured"},
        {"user_id": created["user_id"], "secret_key": "********", "instance": "extra", "origin": "run_time"}]
