"""The web console in a real headless Chromium (marker `browser`): what a developer whose integration
test failed does — open the overview, make calls with zeep, watch them arrive, read them, find the lead,
break the next call. Each step saves a screenshot to test-artifacts/console/ (printed at the end).

Needs Debian's `chromium` and `chromium-driver` and the `browser` extra (selenium).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import shutil
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest

from mockmarketo.config import DEFAULT_SECRET_KEY, DEFAULT_USER_ID, Settings
from mockmarketo.domain.activities import TOKEN_OF_DISPLAY_NAME
from mockmarketo.control.journal import iso
from tests.conftest import make_app

pytestmark = pytest.mark.browser

webdriver = pytest.importorskip("selenium.webdriver", reason="the browser tests need selenium (extra `browser`)")
zeep = pytest.importorskip("zeep")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "test-artifacts" / "console"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _activities_stand_in(control):
    """GET /_mock/activities?lead=ID in the JSON shape the activity-log work documents, for a server
    that does not have that route yet: the console's activity section is then tested on the real
    activities syncLead writes. Once the route exists, the real one is used."""
    def get_activities(request):
        control._args(request, ("lead",))
        state = control._state(request)
        lead_id = control._int("lead", request.args["lead"])
        with control.marketo.store.transaction(state.name, write=False) as repo:
            found = repo.activities.of_leads([lead_id])
        return 200, [{"id": a.id, "lead_id": a.lead_id, "type": a.type, "type_token": TOKEN_OF_DISPLAY_NAME[a.type],
                      "at": iso(a.at.replace(tzinfo=timezone.utc)), "asset_name": a.asset_name,
                      "campaign": a.campaign, "attributes": [{"name": n, "value": v} for n, v in a.attributes]}
                     for a in found]
    return {"GET": get_activities}


@pytest.fixture(scope="module")
def server():
    app = make_app(settings=Settings())
    if "activities" not in app.control._routes:
        app.control._routes["activities"] = _activities_stand_in(app.control)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join(10)
    app.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
        pytest.fail(f"no Chromium at {CHROMIUM} or driver at {CHROMEDRIVER}: apt-get install chromium "
                    "chromium-driver", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1400,1000",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=CHROMEDRIVER))
    driver.implicitly_wait(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()
    print(f"\nconsole screenshots: {SCREENSHOTS}")


@pytest.fixture(autouse=True)
def fresh_instance(server):
    app, _ = server
    app.instances.reset(app.instances.default)


def shot(driver, name: str) -> None:
    """A screenshot of the whole page, below the window's fold too."""
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    image = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
    (SCREENSHOTS / f"{name}.png").write_bytes(base64.b64decode(image["data"]))


def wait(driver, seconds: float = 10) -> WebDriverWait:
    return WebDriverWait(driver, seconds, poll_frequency=0.1)


def zeep_service(base_url: str, secret_key: str = DEFAULT_SECRET_KEY):
    """zeep on the server's WSDL, signing as the built-in user with `secret_key`."""
    endpoint = f"{base_url}/soap/mktows/2_9"
    client = zeep.Client(endpoint + "?WSDL")
    service = client.create_service("{http://www.marketo.com/mktows/}MktowsApiSoapBinding", endpoint)

    def headers():
        timestamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        signature = hmac.new(secret_key.encode(), (timestamp + DEFAULT_USER_ID).encode(), hashlib.sha1).hexdigest()
        return {"authentication": {"mktowsUserId": DEFAULT_USER_ID, "requestSignature": signature,
                                   "requestTimestamp": timestamp}}
    return service, headers


def sync_lead(base_url: str, email: str, first_name: str = "Ada", secret_key: str = DEFAULT_SECRET_KEY):
    service, headers = zeep_service(base_url, secret_key)
    lead = {"Email": email, "leadAttributeList": {"attribute": [{"attrName": "FirstName", "attrValue": first_name}]}}
    return service.syncLead(leadRecord=lead, returnLead=False, _soapheaders=headers())


def fault_code(fault) -> str | None:
    return fault.detail.find(".//code").text if fault.detail is not None else None


def test_overview_shows_the_endpoint_and_the_built_in_user(server, browser):
    _, base_url = server
    browser.get(base_url + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Overview"
    assert browser.find_element(By.ID, "endpoint-url").text == f"{base_url}/soap/mktows/2_9"
    assert browser.find_element(By.ID, "wsdl-url").text == f"{base_url}/soap/mktows/2_9?WSDL"
    assert browser.find_element(By.ID, "user-1").text == DEFAULT_USER_ID
    assert browser.find_element(By.ID, "secret-1").text == DEFAULT_SECRET_KEY
    shot(browser, "01-overview")


def test_zeep_call_appears_in_requests_without_reload(server, browser):
    _, base_url = server
    browser.get(base_url + "/_mock/ui/requests")
    wait(browser).until(ec.visibility_of_element_located((By.ID, "live")))
    browser.execute_script("window.notReloaded = true")
    sync_lead(base_url, "ada@example.com")
    row = wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#journal tr.call")))
    assert row.find_element(By.CSS_SELECTOR, "td.op").text.splitlines() == [
        "syncLead", "REST: POST /rest/v1/leads.json"]
    assert row.find_element(By.CSS_SELECTOR, ".badge").text == "success"
    assert browser.execute_script("return window.notReloaded") is True
    shot(browser, "02-requests-live")


def test_opened_call_shows_the_pretty_printed_response(server, browser):
    _, base_url = server
    sync_lead(base_url, "ada@example.com")
    browser.get(base_url + "/_mock/ui/requests")
    browser.find_element(By.CSS_SELECTOR, "#journal tr.call td.op").click()
    response = wait(browser).until(ec.presence_of_element_located((By.ID, "response-xml")))
    lines = response.text.splitlines()
    assert lines[0].startswith("<SOAP-ENV:Envelope")
    assert "    <ns1:successSyncLead>" in lines
    assert "          <leadId>1000001</leadId>" in lines
    assert browser.find_element(By.ID, "rest-call").text == "POST /rest/v1/leads.json"
    shot(browser, "03-request-detail")


def test_wrong_signature_call_shows_its_fault_and_reason(server, browser):
    app, base_url = server
    with pytest.raises(zeep.exceptions.Fault) as raised:
        sync_lead(base_url, "ada@example.com", secret_key="not-the-key")
    assert fault_code(raised.value) == "20014"
    [entry] = app.instances.get().journal.entries()
    browser.get(f"{base_url}/_mock/ui/requests/{entry.seq}")
    assert browser.find_element(By.ID, "fault").text == "20014 Authentication failed"
    reason = entry.to_json().get("reason")  # the journal's reason, where the server records one
    if reason is not None:
        assert browser.find_element(By.ID, "reason").text == f"Why authentication failed\n{reason}"
    else:
        assert browser.find_elements(By.ID, "reason") == []
    shot(browser, "04-auth-failure")


def test_lead_search_shows_its_fields_and_activity_log(server, browser):
    _, base_url = server
    sync_lead(base_url, "grace@example.com", first_name="Grace")
    browser.get(base_url + "/_mock/ui/leads")
    search = browser.find_element(By.NAME, "q")
    search.send_keys("GRACE@example.com")
    search.submit()
    found = wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#leads a")))
    shot(browser, "05-leads-search")
    found.click()
    fields = wait(browser).until(ec.presence_of_element_located((By.ID, "fields")))
    assert fields.text == "FirstName Grace"
    activities = browser.find_element(By.CSS_SELECTOR, "#activities table.activities tbody")
    assert "New Lead" in activities.text
    assert "Source Type Web service API" in activities.text
    shot(browser, "06-lead")


def test_fault_added_in_the_form_answers_the_next_call(server, browser):
    _, base_url = server
    browser.get(base_url + "/_mock/ui/faults")
    Select(browser.find_element(By.NAME, "operation")).select_by_visible_text("syncLead")
    Select(browser.find_element(By.NAME, "code")).select_by_value("20023")
    browser.find_element(By.NAME, "times").send_keys("1")
    browser.find_element(By.CSS_SELECTOR, "#add-fault button[type=submit]").click()
    row = wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#injections tr[data-injection]")))
    assert row.text.startswith("1 syncLead fault 20023 1")
    shot(browser, "07-faults")
    with pytest.raises(zeep.exceptions.Fault) as raised:
        sync_lead(base_url, "ada@example.com")
    assert fault_code(raised.value) == "20023"
    browser.get(base_url + "/_mock/ui/requests")
    badge = wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#journal tr.call .badge")))
    assert badge.text == "fault 20023"
    shot(browser, "08-requests-injected-fault")
    browser.get(base_url + "/_mock/ui/faults")
    assert browser.find_elements(By.CSS_SELECTOR, "#injections tr[data-injection]") == []


def test_copy_as_curl_puts_a_replayable_command_on_the_clipboard(server, browser):
    app, base_url = server
    sync_lead(base_url, "ada@example.com")
    [entry] = app.instances.get().journal.entries()
    browser.get(f"{base_url}/_mock/ui/requests/{entry.seq}")
    browser.execute_cdp_cmd("Browser.grantPermissions", {"origin": base_url,
                                                          "permissions": ["clipboardReadWrite"]})
    button = browser.find_element(By.CSS_SELECTOR, "button[data-copy-from=curl]")
    button.click()
    wait(browser).until(lambda driver: button.text == "Copied")
    copied = browser.execute_async_script("navigator.clipboard.readText().then(arguments[0])")
    assert copied.startswith(f"curl -sS -X POST '{base_url}/soap/mktows/2_9'")
    assert "ada@example.com" in copied
