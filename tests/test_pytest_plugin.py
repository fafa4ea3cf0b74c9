"""The pytest plugin: `marketo` gives each test a fresh, isolated Marketo on one session server
(issue 4, "pytest plugin"); `--marketo-url` points the same fixtures at an external server."""

from __future__ import annotations

import pytest

from mockmarketo.app import MockMarketoApp
from mockmarketo.config import Settings
from mockmarketo.server import HttpServer
from mockmarketo.testing import ControlApiError, MockMarketo

pytest_plugins = ["pytester"]

ISOLATION_TESTS = """
import json, pathlib

def test_one(marketo):
    marketo.seed(email="same@example.com", attributes={"FirstName": "One"})
    assert [l["attributes"] for l in marketo.leads()] == [{"FirstName": "One"}]
    pathlib.Path("one.json").write_text(json.dumps([marketo.name, marketo.user_id, marketo.endpoint]))

def test_two(marketo):
    marketo.seed(email="same@example.com", attributes={"FirstName": "Two"})
    assert [l["attributes"] for l in marketo.leads()] == [{"FirstName": "Two"}]
    pathlib.Path("two.json").write_text(json.dumps([marketo.name, marketo.user_id, marketo.endpoint]))
"""


def test_each_test_gets_its_own_instance_on_one_server(pytester):
    pytester.makepyfile(ISOLATION_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    import json
    one = json.loads((pytester.path / "one.json").read_text())
    two = json.loads((pytester.path / "two.json").read_text())
    assert one[0] != two[0] and one[1] != two[1]
    assert one[2] == two[2] and one[2].endswith("/soap/mktows/2_9")


def test_tests_in_parallel_under_xdist_never_see_each_others_leads(pytester):
    pytester.makepyfile(ISOLATION_TESTS)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider", "-p", "no:benchmark")
    result.assert_outcomes(passed=2)


@pytest.fixture
def external_server():
    server = HttpServer(MockMarketoApp(Settings()), "127.0.0.1", 0)
    server.start_in_thread()
    yield server
    server.close()


def test_marketo_url_points_the_fixtures_at_an_external_server(pytester, external_server):
    pytester.makepyfile(f"""
def test_uses_external(marketo):
    assert marketo.endpoint == "{external_server.base_url}/soap/mktows/2_9"
    marketo.seed(email="ext@example.com")
""")
    result = pytester.runpytest_subprocess("--marketo-url", external_server.base_url, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    server = MockMarketo(external_server.base_url)
    # the test's instance was deleted when it ended; nothing leaked into the default instance
    assert [i["instance"] for i in server.request("GET", "/_mock/instances")] == ["default"]
    assert server.request("GET", "/_mock/leads") == []


def test_marketo_url_from_the_environment(pytester, external_server, monkeypatch):
    monkeypatch.setenv("MOCKMARKETO_URL", external_server.base_url)
    pytester.makepyfile(f"""
def test_uses_external(marketo):
    assert marketo.endpoint.startswith("{external_server.base_url}/")
""")
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_helpers_seed_inspect_fail_and_configure(marketo):
    marketo.seed({"email": "b@example.com", "id": 5000}, {"email": "a@example.com"})
    assert [lead["id"] for lead in marketo.leads()] == [5000, 1000001]
    assert marketo.lead(id=5000)["email"] == "b@example.com"
    assert marketo.lead(email="nobody@example.com") is None
    injected = marketo.fail_next(20023, operation="syncLead")
    assert (injected["code"], injected["times"]) == (20023, 1)
    assert len(marketo.faults()) == 1
    marketo.clear_faults()
    assert marketo.faults() == []
    assert marketo.config(auth={"max_clock_skew_seconds": 60})["auth"]["max_clock_skew_seconds"] == 60


def test_activity_helpers_seed_read_and_clear_the_activity_log(marketo):
    [lead] = marketo.seed(email="ann@example.com", activity=True)
    seeded = marketo.seed_activity(email="ann@example.com", type="Visit Webpage", asset_name="Pricing",
                                   attributes={"Webpage URL": "/pricing", "Webpage ID": 7})
    assert (seeded["lead_id"], seeded["type_token"], seeded["attributes"]) == (
        lead["id"], "VisitWebpage", [{"name": "Webpage URL", "value": "/pricing"}, {"name": "Webpage ID", "value": "7"}])
    assert [a["type"] for a in marketo.activities()] == ["New Lead", "Visit Webpage"]
    assert [a["id"] for a in marketo.activities(type="VisitWebpage", email="ann@example.com")] == [seeded["id"]]
    marketo.clear_activities()
    assert marketo.activities() == []


def test_control_api_errors_raise_control_api_error(marketo):
    with pytest.raises(ControlApiError) as caught:
        marketo.seed(email="x@example.com", attributes={"pants": "x"})
    assert (caught.value.status, caught.value.message) == (400, "lead.attributes: unknown fields: pants")


def test_config_changes_are_undone_when_the_test_ends(marketo_server):
    instance = marketo_server.new_instance()
    before = instance.config()["limits"]
    instance.config(limits={"enabled": True, "rate_max_calls": 5})
    instance.restore_config()
    assert instance.config()["limits"] == before
    instance.delete()


def test_wsdl_url_serves_the_wsdl(marketo):
    import urllib.request
    with urllib.request.urlopen(marketo.wsdl_url) as response:
        assert b'<wsdl:service name="MktMktowsApiService">' in response.read()
