"""What a browser or curl user finds at `/`, `/_mock/` and `/docs/`, and the URLs the server hands out
(the WSDL's SOAP address) when the client's Host header has no port."""

from __future__ import annotations

import http.client
from pathlib import Path

import pytest
from werkzeug.test import Client

from mockmarketo.app import MockMarketoApp
from mockmarketo.config import Settings, settings_from
from mockmarketo.server import HttpServer
from tests.conftest import make_app

REPO = Path(__file__).resolve().parents[1]
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def web():
    return Client(make_app())


def test_control_index_says_what_runs_and_where(web):
    index = web.get("/_mock", base_url="http://mock.test:8080").json
    assert {key: index[key] for key in ("name", "version", "endpoint", "wsdl", "health")} == {
        "name": "mockmarketo", "version": "0.1.0", "endpoint": "http://mock.test:8080/soap/mktows/2_9",
        "wsdl": "http://mock.test:8080/soap/mktows/2_9?WSDL", "health": "http://mock.test:8080/health"}


def test_control_index_lists_every_control_route_with_its_methods(web):
    routes = web.get("/_mock/").json["control"]["routes"]
    assert (routes["/_mock/leads"], routes["/_mock/faults"], routes["/_mock/reset"]) == (
        ["GET", "POST"], ["GET", "POST", "DELETE"], ["POST"])


def test_control_index_links_the_docs_the_server_serves(web):
    docs = web.get("/_mock/", base_url="http://mock.test:8080").json["docs"]
    assert docs["control-api.md"] == "http://mock.test:8080/docs/control-api.md"
    assert {name: web.get(url).status_code for name, url in docs.items()} == {name: 200 for name in docs}


def test_a_doc_is_served_as_the_repository_holds_it(web):
    response = web.get("/docs/control-api.md")
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.get_data() == (REPO / "docs" / "control-api.md").read_bytes()


def test_an_unknown_doc_is_404_json(web):
    response = web.get("/docs/secrets.md")
    assert (response.status_code, response.json["error"]) == (
        404, "no doc 'secrets.md' (docs: README.md, behaviour.md, control-api.md, deployment.md)")


def test_root_answers_curl_with_the_json_index(web):
    response = web.get("/", headers={"Accept": "*/*"})
    assert (response.status_code, response.content_type) == (200, "application/json")
    assert response.json == web.get("/_mock/").json


def test_root_answers_a_browser_with_the_console_showing_the_endpoint(web):
    response = web.get("/", headers={"Accept": BROWSER_ACCEPT}, base_url="http://mock.test:8080")
    assert response.content_type == "text/html; charset=utf-8"
    assert "http://mock.test:8080/soap/mktows/2_9" in response.get_data(as_text=True)


def test_root_is_open_and_says_the_control_api_needs_a_token_when_one_is_set():
    web = Client(make_app(settings=settings_from({"control": {"token": "s3cret"}}, environ={})))
    assert web.get("/").json["control"]["token_required"] is True
    assert web.get("/_mock/").status_code == 401


def test_wsdl_address_gets_the_port_the_request_came_to_when_the_host_header_has_none(web):
    """node-soap 0.2.7 sends `Host: 127.0.0.1` and then posts to the WSDL's address."""
    response = web.get("/soap/mktows/1_7?WSDL", headers={"Host": "127.0.0.1"},
                       environ_overrides={"SERVER_PORT": "8123"})
    assert b'<soap:address location="http://127.0.0.1:8123/soap/mktows/1_7"/>' in response.get_data()


def test_wsdl_address_keeps_the_port_the_host_header_names(web):
    response = web.get("/soap/mktows/2_9?WSDL", headers={"Host": "[::1]:9000"},
                       environ_overrides={"SERVER_PORT": "8123"})
    assert b'<soap:address location="http://[::1]:9000/soap/mktows/2_9"/>' in response.get_data()


def test_wsdl_address_over_http_with_a_host_header_without_port():
    server = HttpServer(MockMarketoApp(Settings()), "127.0.0.1", 0)
    server.start_in_thread()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        connection.putrequest("GET", "/soap/mktows/1_7?WSDL", skip_host=True)
        connection.putheader("Host", "127.0.0.1")
        connection.endheaders()
        body = connection.getresponse().read()
        connection.close()
    finally:
        server.close()
    assert f'<soap:address location="http://127.0.0.1:{server.port}/soap/mktows/1_7"/>'.encode() in body
