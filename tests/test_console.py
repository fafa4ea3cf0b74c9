"""The web console's pages, in process (werkzeug's test client): what each page shows, that it reads
the state through the control API, the token login, and that hostile values are escaped. The real
browser drives the same pages in test_console_browser.py (marker `browser`)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from werkzeug.test import Client

from mockmarketo.config import DEFAULT_SECRET_KEY, DEFAULT_USER_ID
from mockmarketo.config import Settings
from mockmarketo.console.app import TOKEN_COOKIE
from mockmarketo.domain.auth import Credentials
from mockmarketo.domain.limits import LimitSettings
from tests import soap_messages as sm
from tests.conftest import SoapCaller, make_app

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def inner_html(response, element_id: str) -> str:
    found = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', response.get_data(as_text=True), re.S)
    assert found is not None, f"no element #{element_id}"
    return found.group(2)


def text_of(response, element_id: str) -> str:
    """The text of the element with this id, as a reader sees it (whitespace collapsed)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", inner_html(response, element_id))).split())


def code_of(response, element_id: str) -> str:
    """The text of a <pre> with this id, as it is shown (highlighting spans dropped, lines kept)."""
    return unescape(re.sub(r"<[^>]+>", "", inner_html(response, element_id)))


def page(client: Client, path: str, **kwargs):
    response = client.get(path, headers=HTML, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


# -- where the console answers ---------------------------------------------------------------------------

def test_root_answers_the_console_to_a_browser(client):
    response = client.get("/", headers=HTML)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "<h1>Overview</h1>" in response.get_data(as_text=True)


def test_root_is_not_the_console_for_a_client_that_does_not_ask_for_html(client):
    response = client.get("/", headers={"Accept": "*/*"})
    assert response.mimetype == "application/json"


def test_ui_prefix_answers_the_overview(client):
    assert "<h1>Overview</h1>" in page(client, "/_mock/ui/").get_data(as_text=True)


def test_static_files_are_served_from_the_package(client):
    response = client.get("/_mock/ui/static/console.js")
    assert response.status_code == 200
    assert response.mimetype in ("text/javascript", "application/javascript")


def test_unknown_console_page_is_a_404_page(client):
    response = client.get("/_mock/ui/nothing", headers=HTML)
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_pages_load_nothing_from_elsewhere(client):
    html = page(client, "/_mock/ui/").get_data(as_text=True)
    assert re.findall(r'<(?:script|link|img)[^>]*(?:src|href)="(?:https?:)?//', html) == []


# -- overview --------------------------------------------------------------------------------------------

def test_overview_gives_endpoint_and_wsdl_for_the_browsers_host(client):
    response = page(client, "/_mock/ui/", base_url="http://mock.test:8080")
    assert text_of(response, "endpoint-url") == "http://mock.test:8080/soap/mktows/2_9"
    assert text_of(response, "wsdl-url") == "http://mock.test:8080/soap/mktows/2_9?WSDL"


def test_overview_shows_the_built_in_user_and_its_key(client):
    response = page(client, "/_mock/ui/")
    assert (text_of(response, "user-1"), text_of(response, "secret-1")) == (DEFAULT_USER_ID, DEFAULT_SECRET_KEY)


def test_overview_never_shows_a_configured_key():
    app = make_app(settings=Settings(users=[Credentials("ci_user", "s3cr3t-key", "default")]))
    html = page(Client(app), "/_mock/ui/").get_data(as_text=True)
    assert text_of(page(Client(app), "/_mock/ui/"), "user-1") == "ci_user"
    assert "s3cr3t-key" not in html


def test_overview_shows_the_limit_counters():
    app = make_app(settings=Settings(limits=LimitSettings(enabled=True)))
    SoapCaller(app).sync("a@example.com")
    assert text_of(page(Client(app), "/_mock/ui/"), "calls-today") == "1"


# -- requests --------------------------------------------------------------------------------------------

def test_requests_lists_calls_newest_first_with_their_rest_equivalent(soap, client):
    soap.sync("a@example.com")
    soap.get_lead("EMAIL", "nobody@example.com")
    html = page(client, "/_mock/ui/requests").get_data(as_text=True)
    assert re.findall(r'<tr class="call" data-seq="(\d+)"', html) == ["2", "1"]
    assert "REST: GET /rest/v1/leads.json" in html
    assert '<span class="badge fault">fault 20103</span>' in html


def test_requests_filter_by_outcome(soap, client):
    soap.sync("a@example.com")
    soap.get_lead("EMAIL", "nobody@example.com")
    html = page(client, "/_mock/ui/requests?outcome=success").get_data(as_text=True)
    assert re.findall(r'<tr class="call" data-seq="(\d+)"', html) == ["1"]


def test_requests_show_the_control_apis_error_for_a_bad_filter(client):
    response = page(client, "/_mock/ui/requests?fault_code=abc")
    assert "fault_code: expected an integer, got &#39;abc&#39;" in response.get_data(as_text=True)


def test_requests_page_older_calls(soap, client):
    for n in range(52):
        soap.get_lead("EMAIL", f"{n}@example.com")
    html = page(client, "/_mock/ui/requests").get_data(as_text=True)
    assert 'href="/_mock/ui/requests?before=3">Older calls' in html
    older = page(client, "/_mock/ui/requests?before=3").get_data(as_text=True)
    assert re.findall(r'<tr class="call" data-seq="(\d+)"', older) == ["2", "1"]


def test_live_rows_are_the_calls_after_a_seq(soap, client):
    soap.sync("a@example.com")
    soap.sync("b@example.com")
    response = client.get("/_mock/ui/requests/rows?after=1")
    assert re.findall(r'data-seq="(\d+)"', response.get_data(as_text=True)) == ["2"]
    assert response.headers["X-Last-Seq"] == "2"


def test_live_rows_without_new_calls_keep_the_seq(client):
    response = client.get("/_mock/ui/requests/rows?after=7")
    assert (response.get_data(as_text=True).strip(), response.headers["X-Last-Seq"]) == ("", "7")


def test_call_detail_shows_outcome_leads_and_rest_call(soap, client):
    soap.sync("a@example.com")
    response = page(client, "/_mock/ui/requests/1")
    html = response.get_data(as_text=True)
    assert text_of(response, "rest-call") == "POST /rest/v1/leads.json"
    assert "action=createOrUpdate, lookupField=email" in html
    assert '<a href="/_mock/ui/leads/1000001">1000001</a>' in html


def test_call_detail_pretty_prints_the_response(soap, client):
    soap.sync("a@example.com")
    lines = code_of(page(client, "/_mock/ui/requests/1"), "response-xml").splitlines()
    assert lines[0].startswith('<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"')
    assert "          <leadId>1000001</leadId>" in lines


def test_call_detail_escapes_what_the_client_sent(soap, client):
    soap.sync("<script>alert(1)</script>@example.com")
    html = page(client, "/_mock/ui/requests/1").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&amp;lt;script&amp;gt;alert(1)" in html


def test_call_detail_of_unparseable_request_shows_it_as_sent(soap, client):
    soap.post(b"<not-xml")
    assert code_of(page(client, "/_mock/ui/requests/1"), "request-xml") == "<not-xml"


def test_call_detail_of_a_20014_without_reason_says_what_to_check(app, soap, client):
    soap.call(sm.get_lead_body("EMAIL", "a@example.com"), header=sm.auth_header(DEFAULT_USER_ID, "wrong"))
    [entry] = app.instances.get().journal.entries()
    entry.reason = None  # a journal of a server from before reasons were kept
    response = page(client, "/_mock/ui/requests/1")
    assert text_of(response, "fault") == "20014 Authentication failed"
    assert "HMAC-SHA1 of requestTimestamp + mktowsUserId" in text_of(response, "auth-hint")


def test_call_detail_shows_the_journals_reason_when_it_has_one(app, soap, client):
    soap.call(sm.get_lead_body("EMAIL", "a@example.com"), header=sm.auth_header("nobody", "wrong"))
    [entry] = app.instances.get().journal.entries()
    entry.reason = "unknown user id 'nobody'"
    response = page(client, "/_mock/ui/requests/1")
    assert text_of(response, "reason") == "Why authentication failed unknown user id 'nobody'"


def test_call_detail_copies_as_curl(soap, client):
    soap.post(sm.envelope(sm.get_lead_body("EMAIL", "o'brien@example.com")), headers={"SOAPAction": '"x"'})
    curl = code_of(page(client, "/_mock/ui/requests/1", base_url="http://mock.test"), "curl")
    assert curl.startswith("curl -sS -X POST 'http://mock.test/soap/mktows/2_9' \\\n  -H 'Content-Type: text/xml;")
    assert "-H 'Soapaction: \"x\"'" in curl
    assert "o'\\''brien@example.com" in curl


def test_call_no_longer_in_the_journal_is_a_404_page(client):
    response = client.get("/_mock/ui/requests/9", headers=HTML)
    assert response.status_code == 404
    assert "Call 9 is not in this instance&#39;s journal" in response.get_data(as_text=True)


# -- leads -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["ADA@example.com", "1000001", "F-1"])
def test_lead_search_guesses_email_id_or_foreign_id(client, query):
    client.post("/_mock/leads", json={"email": "ada@example.com", "foreign_sys_person_id": "F-1",
                                      "foreign_sys_type": "CUSTOM"})
    html = page(client, "/_mock/ui/leads", query_string={"q": query}).get_data(as_text=True)
    assert re.findall(r'<a href="/_mock/ui/leads/(\d+)">', html) == ["1000001"]


def test_lead_search_without_match_says_so(client):
    html = page(client, "/_mock/ui/leads?q=nobody@example.com").get_data(as_text=True)
    assert "No lead matches “nobody@example.com”." in html


def test_leads_are_paged(client):
    client.post("/_mock/leads", json=[{"email": f"{n}@example.com"} for n in range(51)])
    html = page(client, "/_mock/ui/leads").get_data(as_text=True)
    assert 'href="/_mock/ui/leads?after=1000050">Next 50 leads' in html
    rest = page(client, "/_mock/ui/leads?after=1000050").get_data(as_text=True)
    assert re.findall(r'<a href="/_mock/ui/leads/(\d+)">', rest) == ["1000051"]


def test_lead_page_shows_fields_cookies_and_partition(client):
    client.post("/_mock/leads", json={"email": "ada@example.com", "cookies": ["id:1-A-2&token:_mch-x"],
                                      "attributes": {"FirstName": "Ada", "LastName": "Lovelace"}})
    response = page(client, "/_mock/ui/leads/1000001")
    assert text_of(response, "fields") == "FirstName Ada LastName Lovelace"
    assert "<code>id:1-A-2&amp;token:_mch-x</code>" in response.get_data(as_text=True)


def test_lead_page_says_when_this_server_lacks_a_sections_route(app, client):
    client.post("/_mock/leads", json={"email": "ada@example.com"})
    del app.control._routes["campaign-runs"]
    assert text_of(page(client, "/_mock/ui/leads/1000001"), "campaign-runs") == (
        "Campaign runs Not available on this server (it has no /_mock/campaign-runs route).")


def test_lead_page_shows_the_lists_the_lead_is_a_member_of(client):
    client.post("/_mock/leads", json={"email": "ada@example.com"})
    client.post("/_mock/programs", json={"name": "Webinar 2026"})
    client.post("/_mock/lists", json=[{"name": "Newsletter", "program": "Webinar 2026"},
                                      {"name": "VIP", "program": "Webinar 2026"}])
    client.post("/_mock/lists/1002/members", json=[1000001])
    assert text_of(page(client, "/_mock/ui/leads/1000001"), "lists") == (
        "List memberships id name program 1002 VIP Webinar 2026")


def test_lead_page_shows_none_for_sections_without_content(client):
    client.post("/_mock/leads", json={"email": "ada@example.com"})
    response = page(client, "/_mock/ui/leads/1000001")
    assert [text_of(response, key) for key in ("lists", "campaign-runs", "opportunity-roles")] == [
        "List memberships None.", "Campaign runs None.", "Opportunity roles None."]


def test_lead_page_shows_its_opportunity_roles(client):
    client.post("/_mock/leads", json=[{"email": "ada@example.com"}, {"email": "bob@example.com"}])
    client.post("/_mock/mobjects/Opportunity", json={"id": 1, "attributes": {"Name": "Big deal"}})
    client.post("/_mock/mobjects/OpportunityPersonRole",
                json=[{"id": 5, "attributes": {"OpportunityId": 1, "PersonId": 1000001, "Role": "Buyer"}},
                      {"id": 6, "attributes": {"OpportunityId": 1, "PersonId": 1000002, "Role": "Champion"}}])
    roles = inner_html(page(client, "/_mock/ui/leads/1000001"), "opportunity-roles")
    assert re.findall(r"<td>(\d+)</td>", roles) == ["5"]
    assert '"Role": "Buyer"' in roles


def test_lead_page_shows_its_records_of_each_custom_object_type(database_url):
    from tests.object_messages import objects_app
    client = Client(objects_app(database_url))
    client.post("/_mock/leads", json=[{"email": "ada@example.com"}, {"email": "bob@example.com"}])
    client.post("/_mock/custom-objects/Roadshow", json=[
        {"keys": {"MKTOID": 1000001, "rid": "r1"}, "attributes": {"city": "Paris"}},
        {"keys": {"MKTOID": 1000002, "rid": "r2"}, "attributes": {"city": "Oslo"}}])
    response = page(client, "/_mock/ui/leads/1000001")
    roadshows = inner_html(response, "custom-objects-Roadshow")
    assert "Custom objects: Roadshow" in roadshows
    assert '{"city": "Paris"}' in roadshows and "Oslo" not in roadshows
    assert text_of(response, "custom-objects-Visit") == "Custom objects: Visit None."


def test_lead_page_lists_the_calls_naming_its_email(soap, client):
    soap.sync("ada@example.com")
    html = page(client, "/_mock/ui/leads/1000001").get_data(as_text=True)
    assert '<a href="/_mock/ui/requests/1">#1</a>' in html


def test_unknown_lead_is_a_404_page(client):
    assert client.get("/_mock/ui/leads/5", headers=HTML).status_code == 404


def test_seed_form_stores_the_lead_and_opens_it(client):
    response = client.post("/_mock/ui/leads", data={
        "email": "ada@example.com", "first_name": "Ada", "foreign_sys_type": "CUSTOM",
        "attributes": '{"Company": "Acme"}'})
    assert (response.status_code, response.headers["Location"]) == (303, "/_mock/ui/leads/1000001?seeded=1")
    assert client.get("/_mock/leads").json[0]["attributes"] == {"Company": "Acme", "FirstName": "Ada"}


def test_seed_form_shows_the_control_apis_refusal(client):
    response = client.post("/_mock/ui/leads", data={"email": "ada@example.com", "attributes": '{"pants": "blue"}'})
    assert response.status_code == 400
    assert text_of(response, "seed-error") == "lead.attributes: unknown fields: pants"


def test_seed_form_refuses_attributes_that_are_not_json(client):
    response = client.post("/_mock/ui/leads", data={"email": "ada@example.com", "attributes": "Company=Acme"})
    assert response.status_code == 400
    assert text_of(response, "seed-error").startswith("attributes: not a JSON object")


# -- faults ----------------------------------------------------------------------------------------------

def test_fault_form_adds_an_injection(client):
    response = client.post("/_mock/ui/faults", data={"operation": "syncLead", "kind": "fault", "code": "20023",
                                                      "times": "2"})
    assert (response.status_code, response.headers["Location"]) == (303, "/_mock/ui/faults?added=1")
    [injection] = client.get("/_mock/faults").json
    assert (injection["operation"], injection["code"], injection["times"]) == ("syncLead", 20023, 2)


def test_fault_form_adds_a_delay_without_a_code(client):
    client.post("/_mock/ui/faults", data={"kind": "delay", "code": "20023", "delay_ms": "250"})
    [injection] = client.get("/_mock/faults").json
    assert (injection["kind"], injection["code"], injection["delay_ms"]) == ("delay", None, 250)


def test_fault_form_shows_the_control_apis_refusal(client):
    response = client.post("/_mock/ui/faults", data={"kind": "fault", "code": "20023", "probability": "2"})
    assert response.status_code == 400
    assert text_of(response, "fault-error") == "probability: expected from 0 to 1, got 2"


def test_faults_page_lists_injections_with_what_is_left(client):
    client.post("/_mock/faults", json={"operation": "getLead", "code": 20024, "times": 3})
    html = page(client, "/_mock/ui/faults").get_data(as_text=True)
    row = re.search(r'<tr data-injection="1">(.*?)</tr>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>|\s+", " ", row).split()[:5] == ["1", "getLead", "fault", "20024", "3"]


def test_remove_button_removes_one_injection(client):
    client.post("/_mock/faults", json={"code": 20023})
    client.post("/_mock/faults", json={"code": 20024})
    response = client.post("/_mock/ui/faults/1/remove")
    assert (response.status_code, response.headers["Location"]) == (303, "/_mock/ui/faults?removed=1")
    assert [injection["id"] for injection in client.get("/_mock/faults").json] == [2]


def test_form_posted_from_another_site_is_refused(client):
    response = client.post("/_mock/ui/faults", data={"code": "20023"}, headers={"Origin": "http://evil.test"})
    assert response.status_code == 403
    assert client.get("/_mock/faults").json == []


# -- instances -------------------------------------------------------------------------------------------

def test_pages_show_the_instance_named_in_the_url(client):
    created = client.post("/_mock/instances", json={"instance": "other"}).json
    SoapCaller(client.application).call(sm.get_lead_body("EMAIL", "a@example.com"),
                                        header=sm.auth_header(created["user_id"], created["secret_key"]))
    html = page(client, "/_mock/ui/requests?instance=other").get_data(as_text=True)
    assert re.findall(r'data-href="(/_mock/ui/requests/\d+\?instance=other)"', html) == [
        "/_mock/ui/requests/1?instance=other"]
    assert '<option value="other" selected>' in html


def test_unknown_instance_shows_the_control_apis_answer(client):
    html = page(client, "/_mock/ui/requests?instance=nope").get_data(as_text=True)
    assert "no instance &#39;nope&#39;" in html


def test_with_several_workers_the_journal_says_why_it_cannot_be_shown():
    app = make_app(settings=Settings(workers=2))
    html = page(Client(app), "/_mock/ui/requests").get_data(as_text=True)
    assert "needs a server of one process: this one runs 2 workers" in html


# -- the control token -----------------------------------------------------------------------------------

@pytest.fixture
def guarded():
    return Client(make_app(settings=Settings(control_token="t0ken")))


def test_with_a_token_pages_ask_for_it(guarded):
    response = guarded.get("/_mock/ui/requests?operation=syncLead", headers=HTML)
    assert response.status_code == 303
    assert response.headers["Location"] == "/_mock/ui/login?next=%2F_mock%2Fui%2Frequests%3Foperation%3DsyncLead"


def test_login_with_the_token_sets_a_strict_http_only_cookie(guarded):
    response = guarded.post("/_mock/ui/login", data={"token": "t0ken", "next": "/_mock/ui/faults"})
    assert (response.status_code, response.headers["Location"]) == (303, "/_mock/ui/faults")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{TOKEN_COOKIE}=t0ken;")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert guarded.get("/_mock/ui/faults", headers=HTML).status_code == 200


def test_login_with_a_wrong_token_is_refused(guarded):
    response = guarded.post("/_mock/ui/login", data={"token": "guess"})
    assert response.status_code == 401
    assert "That is not the control token of this server." in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_login_never_redirects_to_another_site(guarded):
    response = guarded.post("/_mock/ui/login", data={"token": "t0ken", "next": "//evil.test/"})
    assert response.headers["Location"] == "/_mock/ui/"


def test_live_rows_without_the_token_are_401(guarded):
    assert guarded.get("/_mock/ui/requests/rows?after=0").status_code == 401


def test_logout_forgets_the_token(guarded):
    guarded.post("/_mock/ui/login", data={"token": "t0ken"})
    guarded.post("/_mock/ui/logout")
    assert guarded.get("/_mock/ui/", headers=HTML).status_code == 303
