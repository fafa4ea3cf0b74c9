"""The pytest plugin: `marketo` gives each test a fresh, isolated Marketo on one session server
(issue 4, "pytest plugin"); `--marketo-url` points the same fixtures at an external server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mockmarketo.app import MockMarketoApp
from mockmarketo.config import Settings
from mockmarketo.server import HttpServer
from mockmarketo.testing import ControlApiError, MockMarketo

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _subprocesses_import_this_checkout(monkeypatch):
    """pytester's subprocesses would import the installed mockmarketo, which may be another checkout's."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))

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


# a signed syncLead in a test file, with the standard library only
SIGNED_SYNC = """
import urllib.request

def sync(marketo, email):
    envelope = ('<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" '
                'xmlns:ns1="http://www.marketo.com/mktows/"><SOAP-ENV:Header>' + marketo.auth_header().xml +
                '</SOAP-ENV:Header><SOAP-ENV:Body><ns1:paramsSyncLead><leadRecord><Email>' + email +
                '</Email></leadRecord><returnLead>false</returnLead></ns1:paramsSyncLead></SOAP-ENV:Body>'
                '</SOAP-ENV:Envelope>')
    request = urllib.request.Request(marketo.endpoint, envelope.encode(), {"Content-Type": "text/xml"})
    with urllib.request.urlopen(request) as response:
        return response.read()
"""


def test_a_project_that_turns_warnings_into_errors_can_use_the_plugin(pytester):
    """spyne warns on import ('cgi' is deprecated on 3.11): those warnings must not reach the user's run."""
    pytester.makeini("[pytest]\nfilterwarnings = error\n")
    pytester.makepyfile(SIGNED_SYNC + """
def test_sync(marketo):
    assert b"<status>CREATED</status>" in sync(marketo, "w@example.com")
""")
    # (pytest-benchmark, where installed, warns under xdist: not this test's business)
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:benchmark").assert_outcomes(passed=1)


def test_auth_header_is_the_hmac_sha1_of_timestamp_plus_user_id(marketo):
    import hashlib
    import hmac
    header = marketo.auth_header("2026-03-02T12:00:00+00:00")
    expected = hmac.new(marketo.secret_key.encode(), f"2026-03-02T12:00:00+00:00{marketo.user_id}".encode(),
                        hashlib.sha1).hexdigest()
    assert header.values == {"mktowsUserId": marketo.user_id, "requestSignature": expected,
                             "requestTimestamp": "2026-03-02T12:00:00+00:00"}


def test_auth_header_xml_is_the_element_a_soap_header_holds(marketo):
    from lxml import etree
    element = etree.fromstring(marketo.auth_header("2026-03-02T12:00:00Z").xml)
    assert (element.tag, [child.tag for child in element]) == (
        "{http://www.marketo.com/mktows/}AuthenticationHeader",
        ["mktowsUserId", "requestSignature", "requestTimestamp"])


def test_zeep_client_calls_the_instance_with_every_call_signed(marketo):
    service = marketo.zeep_client().service
    first = service.syncLead(leadRecord={"Email": "zeep@example.com"}, returnLead=False)
    second = service.syncLead(leadRecord={"Email": "zeep@example.com"}, returnLead=False)
    assert (first.syncStatus.status, second.syncStatus.status) == ("CREATED", "UPDATED")
    assert [call["user_id"] for call in marketo.requests()] == [marketo.user_id, marketo.user_id]


def closed_port() -> int:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_marketo_url_stops_the_run_with_one_error_naming_url_and_variable(pytester, monkeypatch):
    url = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("MOCKMARKETO_URL", url)
    pytester.makepyfile("""
import pytest

@pytest.mark.parametrize("n", range(20))
def test_uses_it(marketo, n):
    pass
""")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:benchmark")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert [line for line in result.errlines if line.strip()] == [
        f"ERROR: mockmarketo: cannot reach mockmarketo at {url}: [Errno 111] Connection refused "
        "(the URL comes from MOCKMARKETO_URL)"]
    assert "URLError" not in result.stdout.str()


@pytest.fixture
def server_with_token():
    from mockmarketo.config import settings_from
    server = HttpServer(MockMarketoApp(settings_from({"control": {"token": "s3cret"}}, environ={})), "127.0.0.1", 0)
    server.start_in_thread()
    yield server
    server.close()


def test_a_server_that_wants_a_token_names_mockmarketo_control_token(pytester, server_with_token, monkeypatch):
    monkeypatch.delenv("MOCKMARKETO_CONTROL_TOKEN", raising=False)
    pytester.makepyfile("def test_uses_it(marketo):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:benchmark", "--marketo-url",
                                           server_with_token.base_url)
    assert (result.ret, [line for line in result.errlines if line.strip()]) == (pytest.ExitCode.USAGE_ERROR, [
        f"ERROR: mockmarketo: the server at {server_with_token.base_url} (from --marketo-url) wants a control "
        "token: give the server's control token: MOCKMARKETO_CONTROL_TOKEN for the pytest plugin, "
        "MockMarketo(url, token=...) otherwise"])


def test_the_token_from_mockmarketo_control_token_opens_the_server(pytester, server_with_token, monkeypatch):
    monkeypatch.setenv("MOCKMARKETO_CONTROL_TOKEN", "s3cret")
    pytester.makepyfile("def test_uses_it(marketo):\n    marketo.seed(email='t@example.com')\n")
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "--marketo-url",
                                  server_with_token.base_url).assert_outcomes(passed=1)


def test_a_control_client_names_the_server_it_cannot_reach():
    from mockmarketo.testing import ServerUnreachable
    url = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(ServerUnreachable) as caught:
        MockMarketo(url).new_instance()
    assert str(caught.value) == f"cannot reach mockmarketo at {url}: [Errno 111] Connection refused"


FAILING_SYNC = SIGNED_SYNC + """
def test_sync_fails(marketo):
    sync(marketo, "log@example.com")
    assert False, "look at the log"
"""


def test_marketo_log_shows_the_servers_calls_with_a_failing_test(pytester):
    pytester.makepyfile(FAILING_SYNC)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--marketo-log")
    result.stdout.re_match_lines([r".*soap instance=\S+ operation=syncLead user=mockmarketo_\w+ outcome=success "
                                  r"statuses=CREATED leads=1000001 ms=\S+$"], consecutive=False)


def test_the_servers_calls_are_not_logged_unless_asked(pytester):
    pytester.makeini("[pytest]\nlog_level = INFO\n")
    pytester.makepyfile(FAILING_SYNC)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert "operation=syncLead" not in result.stdout.str()
