"""The control API's routing, error shapes, bearer token and reset (issue 4, docs/control-api.md)."""

from __future__ import annotations

import pytest

from mockmarketo.config import settings_from
from tests.conftest import SoapCaller, make_app
from tests.control_helpers import control_app, json_client




def test_unknown_control_route_is_404_json(client):
    response = client.get("/_mock/nothing")
    assert response.status_code == 404
    assert response.content_type == "application/json"
    assert response.json == {"error": "no control route /_mock/nothing"}


@pytest.mark.parametrize("body", [b'{"instance": "nope"}', b"this is not json"])
def test_reset_refuses_a_body_rather_than_resetting_the_default_instance(client, body):
    client.post("/_mock/leads", json={"email": "kept@example.com"})
    response = client.post("/_mock/reset", data=body, content_type="application/json")
    assert (response.status_code, response.json) == (400, {
        "error": "POST /_mock/reset takes no request body (the instance and filters go in the query string, "
                 "e.g. ?instance=NAME)"})
    assert [lead["email"] for lead in client.get("/_mock/leads").json] == ["kept@example.com"]


@pytest.mark.parametrize("path", ["/_mock/requests", "/_mock/faults"])
def test_delete_refuses_a_body(client, path):
    response = client.delete(path, data=b"{{{", content_type="application/json")
    assert (response.status_code, response.json["error"]) == (
        400, f"DELETE {path} takes no request body (the instance and filters go in the query string, "
             "e.g. ?instance=NAME)")


def test_get_refuses_a_body(client):
    response = client.get("/_mock/leads", data=b'{"email": "a@example.com"}', content_type="application/json")
    assert response.status_code == 400


def test_an_empty_body_is_no_body(client):
    assert client.delete("/_mock/faults", data=b" \n", content_type="application/json").status_code == 200


@pytest.mark.parametrize("method,path", [("GET", "/_mock/instances"), ("GET", "/_mock/config"),
                                         ("DELETE", "/_mock/faults"), ("POST", "/_mock/reset")])
def test_an_unknown_instance_is_404_on_every_route_that_is_given_one(client, method, path):
    response = client.open(f"{path}?instance=nope", method=method)
    assert (response.status_code, response.json) == (404, {"error": "no instance 'nope'"})


def test_creating_an_instance_refuses_its_name_in_the_query_string(client):
    response = client.post("/_mock/instances?instance=mine")
    assert (response.status_code, response.json) == (400, {
        "error": 'POST /_mock/instances creates an instance: name it in the body, {"instance": "NAME"}, '
                 "not with ?instance="})


def test_a_query_parameter_given_twice_is_400(client):
    response = client.get("/_mock/leads?email=a@example.com&email=b@example.com")
    assert (response.status_code, response.json) == (400, {"error": "email: given 2 times; give it once"})


def test_an_empty_filter_is_400(client):
    response = client.get("/_mock/requests?operation=")
    assert (response.status_code, response.json) == (400, {"error": "operation: empty; leave it out to match "
                                                                    "everything"})


def test_wrong_method_is_405_json_with_allow_header(client):
    response = client.put("/_mock/requests")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, DELETE"
    assert response.json == {"error": "PUT is not allowed on /_mock/requests (allowed: GET, DELETE)"}


def test_malformed_json_body_is_400(client):
    response = client.post("/_mock/leads", data=b"{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"].startswith("request body is not valid JSON: ")


def test_empty_body_where_json_is_needed_is_400(client):
    response = client.post("/_mock/faults")
    assert response.status_code == 400
    assert response.json == {"error": "request body is empty; expected JSON"}


def test_unknown_query_parameter_is_400(client):
    response = client.get("/_mock/leads?mail=a@b.c")
    assert response.status_code == 400
    assert response.json == {"error": "unknown query parameter 'mail' (known: instance, email, id, partition, "
                                      "foreign_sys_person_id, after, limit)"}


def test_unknown_instance_is_404(client):
    response = client.get("/_mock/leads?instance=nope")
    assert response.status_code == 404
    assert response.json == {"error": "no instance 'nope'"}


def test_trailing_slash_reaches_the_route(client):
    assert client.get("/_mock/leads/").status_code == 200


def test_reset_drops_leads_journal_faults_and_counters(app, client):
    soap = SoapCaller(app)
    client.put("/_mock/config", json={"limits": {"enabled": True}})
    assert soap.sync("a@example.com").status == 200
    client.post("/_mock/faults", json={"code": 20011, "times": 5})
    response = client.post("/_mock/reset")
    assert response.status_code == 200
    assert response.json == {"reset": "default"}
    assert client.get("/_mock/leads").json == []
    assert client.get("/_mock/requests").json == []
    assert client.get("/_mock/faults").json == []
    assert client.get("/_mock/limits").json["calls_today"] == 0


def test_reset_keeps_the_config(client):
    client.put("/_mock/config", json={"fields": {"Shoe_Size__c": "integer"}})
    client.post("/_mock/reset")
    assert client.get("/_mock/config").json["fields"] == {"Shoe_Size__c": "integer"}


def test_reset_restarts_ids_at_first_id(app, client):
    soap = SoapCaller(app)
    soap.sync("a@example.com")
    client.post("/_mock/reset")
    soap.sync("b@example.com")
    assert [lead["id"] for lead in client.get("/_mock/leads").json] == [1000001]


def _token_app():
    return make_app(settings=settings_from({"control": {"token": "s3cret"}}, environ={}))


def test_token_required_when_configured():
    client = json_client(_token_app())
    response = client.get("/_mock/leads")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="mockmarketo"'
    assert response.json == {"error": "the control API needs the header Authorization: Bearer <token>"}


def test_wrong_token_is_401():
    client = json_client(_token_app())
    assert client.get("/_mock/leads", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_right_token_is_accepted():
    client = json_client(_token_app())
    response = client.get("/_mock/leads", headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 200
    assert response.json == []


def test_token_from_environment():
    app = make_app(settings=settings_from({}, environ={"MOCKMARKETO_CONTROL_TOKEN": "envtoken"}))
    client = json_client(app)
    assert client.get("/_mock/leads").status_code == 401
    assert client.get("/_mock/leads", headers={"Authorization": "Bearer envtoken"}).status_code == 200


def test_token_does_not_guard_the_soap_endpoint():
    app = _token_app()
    assert SoapCaller(app).sync("a@example.com").status == 200


def test_without_token_the_api_is_open(client):
    assert client.get("/_mock/config").json["control"]["token_required"] is False


def test_body_over_the_size_limit_is_413():
    app = control_app(max_request_bytes=1024)
    response = json_client(app).post("/_mock/leads", json=[{"email": f"{i}@example.com"} for i in range(100)])
    assert response.status_code == 413
    assert response.json == {"error": "request body is larger than 1024 bytes"}


def test_unexpected_error_is_500_json_not_a_traceback(app, client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("store on fire")

    monkeypatch.setattr(app.marketo, "leads", broken)
    response = client.get("/_mock/leads")
    assert response.status_code == 500
    assert response.json == {"error": "internal error: RuntimeError"}


def test_state_routes_refuse_a_server_of_several_workers():
    """docs/deployment.md: the control API's state lives in one process's memory."""
    client = json_client(make_app(workers=2))
    response = client.post("/_mock/faults", json={"code": 20023})
    assert response.status_code == 409
    assert response.json == {"error": "/_mock/faults needs a server of one process: this one runs 2 workers, "
                                      "each with its own state (use --workers 1 and more --threads)"}


def test_leads_routes_work_with_several_workers():
    client = json_client(make_app(workers=2))
    assert client.post("/_mock/leads", json={"email": "w@example.com"}).status_code == 201
    assert [lead["email"] for lead in client.get("/_mock/leads").json] == ["w@example.com"]
