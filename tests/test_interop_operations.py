"""All 23 operations of Marketo's WSDL through five real SOAP clients (zeep, suds, PHP SoapClient,
node-soap, JAX-WS stubs that wsimport made from Marketo's own WSDL) against a live server: each client
sends the representative request of tests/interop/cases.py (the docs' verbatim requests, facts-more-ops
and facts §3), and

- the server receives exactly that request: the journal's parsed params (and the xsi:type of a subtype)
  equal the case's;
- the client reads the outcome EXPECTED says: a success whose key values the case checks (every
  operation is emulated now; NOT_EMULATED stays for an operation a later WSDL version adds). Marker `interop`: the first run installs the clients
through ../shared/clients (see tests/interop/drivers.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from lxml import etree

from mockmarketo.soap.operations import OPERATIONS
from mockmarketo.testing import MockMarketo
from tests.interop.cases import CASES, DEVIATIONS, Setup, plain
from tests.interop.drivers import CLIENT_NAMES, CallRefused, Drivers
from tests.live_server import ServerProcess

pytestmark = pytest.mark.interop

SUCCESS = "success"
NOT_EMULATED = "20019 not emulated yet"

EXPECTED = {
    "syncLead": SUCCESS,
    "getLead": SUCCESS,
    "syncMultipleLeads": SUCCESS,
    "getMultipleLeads": SUCCESS,
    "getLeadActivity": SUCCESS,
    "getLeadChanges": SUCCESS,
    "mergeLeads": SUCCESS,
    "listOperation": SUCCESS,
    "requestCampaign": SUCCESS,
    "scheduleCampaign": SUCCESS,
    "getCampaignsForSource": SUCCESS,
    "importToList": SUCCESS,
    "getImportToListStatus": SUCCESS,
    "getChannels": SUCCESS,
    "getTags": SUCCESS,
    "syncCustomObjects": SUCCESS,
    "getCustomObjects": SUCCESS,
    "deleteCustomObjects": SUCCESS,
    "syncMObjects": SUCCESS,
    "getMObjects": SUCCESS,
    "deleteMObjects": SUCCESS,
    "describeMObject": SUCCESS,
    "listMObjects": SUCCESS,
}

MKTOWS = "http://www.marketo.com/mktows/"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


@dataclass
class Exchange:
    answer: dict      # the driver's answer: ok, fault_code, fault_string, response
    journal: list     # the journal entries the call left


@pytest.fixture(scope="module")
def marketo(tmp_path_factory):
    """A fresh instance on a live `mockmarketo serve` (SQLite)."""
    database = tmp_path_factory.mktemp("interop") / "mockmarketo.db"
    with ServerProcess(f"sqlite:///{database}") as server:
        yield MockMarketo(server.base_url).new_instance()


@pytest.fixture(scope="module")
def drivers(marketo):
    started = Drivers(marketo.endpoint, marketo.user_id, marketo.secret_key)
    yield started
    started.close()


@pytest.fixture(scope="module")
def exchange(marketo, drivers):
    """exchange(client, operation): the client's call of the operation's case, made once per module on
    a reset instance with the case's seed (for an operation expected to succeed)."""
    made: dict[tuple[str, str], Exchange] = {}

    def run(client: str, operation: str) -> Exchange:
        if (client, operation) not in made:
            driver = drivers[client]
            marketo.reset()
            if EXPECTED[operation] == SUCCESS:
                CASES[operation].seed(Setup(marketo))
            marketo.clear_requests()
            answer = driver.call(operation, request_for(client, operation).request)
            made[client, operation] = Exchange(answer, marketo.requests())
        return made[client, operation]

    return run


def request_for(client: str, operation: str):
    """The case's request and params, or what this client sends instead (cases.DEVIATIONS)."""
    return DEVIATIONS.get((client, operation), CASES[operation])


def subtypes(request_xml: str) -> dict:
    """element -> the mktows type its xsi:type names, for every element of the request that has one."""
    found = {}
    for element in etree.fromstring(request_xml.encode("utf-8")).iter():
        prefix, _, name = (element.get(XSI_TYPE) or "").rpartition(":")
        if name and element.nsmap.get(prefix or None) == MKTOWS:
            found[etree.QName(element).localname] = name
    return found


def test_expected_names_every_operation_of_the_wsdl():
    assert sorted(EXPECTED) == sorted(OPERATIONS) == sorted(CASES)


@pytest.mark.parametrize("client", CLIENT_NAMES)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_server_receives_the_request_marketos_docs_show(exchange, operation, client):
    [entry] = exchange(client, operation).journal
    assert (entry["operation"], entry["params"], subtypes(entry["request_xml"])) == (
        operation, request_for(client, operation).params, CASES[operation].subtypes)


@pytest.mark.parametrize("client", CLIENT_NAMES)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_client_reads_the_expected_outcome(exchange, operation, client):
    answer = exchange(client, operation).answer
    if EXPECTED[operation] == SUCCESS:
        assert (answer["ok"], answer["fault_code"], answer["fault_string"]) == (True, None, None)
        CASES[operation].check(plain(answer["response"]))
    else:
        assert (answer["ok"], answer["fault_code"], answer["fault_string"]) == (
            False, "20019", "20019 - Unsupported operation")


@pytest.mark.parametrize(("client", "operation"), sorted(DEVIATIONS))
def test_client_of_a_deviation_cannot_send_the_request_as_documented(marketo, drivers, client, operation):
    """Each entry of cases.DEVIATIONS is still needed: the case's own request fails in the client, or
    reaches the server otherwise than the docs show."""
    marketo.reset()
    try:
        drivers[client].call(operation, CASES[operation].request)
    except CallRefused:
        return
    [entry] = marketo.requests()
    assert entry["params"] != CASES[operation].params
