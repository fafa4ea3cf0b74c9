"""Everything about a call follows the one AuthenticationHeader that authenticates it (reliability issue,
item 8; headers facts §2.2, signature §4).

Probe: the journal, injections and limit counters took the first element named AuthenticationHeader
(any namespace) while authentication used the one in Marketo's namespace. With a foreign-namespace
header naming the victim's user id first, the attacker spent the victim's injected 20023, and its
successful call was journaled in the victim's journal.
"""

from __future__ import annotations

from werkzeug.test import Client

from mockmarketo.config import Settings
from mockmarketo.domain.auth import Credentials
from mockmarketo.domain.limits import LimitSettings
from tests import soap_messages as sm
from tests.conftest import SoapCaller, make_app

OWNER = Credentials("owner_user", "owner-key", "default")  # the first user: calls naming no one go here
VICTIM = Credentials("victim_user", "victim-key", "VVV-111")
ATTACKER = Credentials("attacker_user", "attacker-key", "AAA-222")


def app_of(**settings):
    return make_app(settings=Settings(users=[OWNER, VICTIM, ATTACKER], **settings))


def spoofed_header() -> str:
    """A foreign-namespace header naming the victim, then the attacker's own, valid one."""
    foreign = sm.auth_header(VICTIM.user_id, "guessed").replace(
        "<ns1:AuthenticationHeader>", '<x:AuthenticationHeader xmlns:x="urn:not-marketo">').replace(
        "</ns1:AuthenticationHeader>", "</x:AuthenticationHeader>")
    return foreign + sm.auth_header(ATTACKER.user_id, ATTACKER.secret_key)


def sync_with(soap: SoapCaller, header: str, email: str = "spoof@example.com") -> sm.SoapResponse:
    return soap.call(sm.sync_lead_body(sm.lead_record(email)), header=header)


def requests_of(client: Client, user: Credentials) -> list[dict]:
    return client.get("/_mock/requests", query_string={"instance": user.instance}).json


def test_a_foreign_namespace_header_cannot_spend_the_victims_injection():
    app = app_of()
    soap, client = SoapCaller(app), Client(app)
    client.post("/_mock/faults", query_string={"instance": VICTIM.instance}, json={"code": 20023})
    assert sync_with(soap, spoofed_header()).text("result/syncStatus/status") == "CREATED"
    [injection] = client.get("/_mock/faults", query_string={"instance": VICTIM.instance}).json
    assert injection["fired"] == 0
    assert sync_with(soap, sm.auth_header(VICTIM.user_id, VICTIM.secret_key)).fault_code == 20023


def test_the_call_is_journaled_in_the_instance_of_the_header_that_authenticated_it():
    app = app_of()
    soap, client = SoapCaller(app), Client(app)
    sync_with(soap, spoofed_header())
    assert requests_of(client, VICTIM) == []
    [entry] = requests_of(client, ATTACKER)
    assert (entry["user_id"], entry["outcome"]) == (ATTACKER.user_id, "success")


def test_a_call_that_does_not_authenticate_spends_no_instances_limits_or_injections():
    app = app_of(limits=LimitSettings(enabled=True, daily_quota=1))
    soap, client = SoapCaller(app), Client(app)
    client.post("/_mock/faults", query_string={"instance": VICTIM.instance}, json={"code": 20023})
    assert sync_with(soap, sm.auth_header(VICTIM.user_id, "a-wrong-key")).fault_code == 20014
    limits = client.get("/_mock/limits", query_string={"instance": VICTIM.instance}).json
    assert limits["calls_today"] == 0
    assert client.get("/_mock/faults", query_string={"instance": VICTIM.instance}).json[0]["fired"] == 0


def test_two_marketo_authentication_headers_are_refused_with_20012():
    """spyne would take the last of them: no call may leave that choice to a parser."""
    app = app_of()
    header = sm.auth_header(VICTIM.user_id, "guessed") + sm.auth_header(ATTACKER.user_id, ATTACKER.secret_key)
    response = sync_with(SoapCaller(app), header)
    assert (response.fault_code, response.fault_message) == (
        20012, "Request not understood: The Header must hold at most one AuthenticationHeader (20012)")
    client = Client(app)
    assert (requests_of(client, VICTIM), requests_of(client, ATTACKER)) == ([], [])
    assert [entry["fault_code"] for entry in requests_of(client, OWNER)] == [20012]
