"""The request journal's byte budget (reliability issue, item 1): all journals together stay within
`[control] journal_max_bytes`, the fullest gives up its oldest entries first, long values are cut, the
journal is streamed out, and its memory is given back.

Probe: 1,000 syncLead calls with one 1.9 MB attribute value and an unknown user id took the server from
55 to 2,045 MiB; GET /_mock/requests answered 1,967 MB (3,943 MiB); after DELETE it stayed at 3,551.
"""

from __future__ import annotations

import http.client
import time

import pytest
from werkzeug.test import Client

from mockmarketo.config import Settings
from mockmarketo.domain.auth import Credentials
from tests import soap_messages as sm
from tests.conftest import SoapCaller, make_app
from tests.live_server import ServerProcess

USER = Credentials("user_a", "key-a", "AAA-111")
VALUE = "v" * 20_000  # each call: ~21 KB of raw request kept, a 4,096-character value in params


def app_with_budget(max_bytes: int):
    return make_app(settings=Settings(users=[USER], journal_max_bytes=max_bytes))


def big_sync(soap: SoapCaller, email: str, user: Credentials | None = USER) -> None:
    header = sm.auth_header(user.user_id, user.secret_key) if user else sm.auth_header("nobody", "nothing")
    soap.call(sm.sync_lead_body(sm.lead_record(email, attributes={"LastName": VALUE})), header=header)


def journal(client: Client, instance: str = "AAA-111") -> list[dict]:
    return client.get("/_mock/requests", query_string={"instance": instance}).json


def test_the_journals_together_stay_within_their_byte_budget():
    app = app_with_budget(200_000)
    soap = SoapCaller(app)
    for n in range(40):
        big_sync(soap, f"a{n}@example.com")
    entries = journal(Client(app))
    assert app.instances.journal_budget.total <= 200_000
    assert 5 < len(entries) < 40
    assert [entry["seq"] for entry in entries] == list(range(41 - len(entries), 41))  # the newest, in order


def test_a_flood_from_an_unknown_user_takes_its_room_from_its_own_journal_not_from_others():
    """Unknown user ids land in the default instance's journal; the fullest journal gives way first."""
    victim = Credentials("victim", "key-v", "VVV-999")
    app = make_app(settings=Settings(users=[USER, victim], journal_max_bytes=300_000))
    soap, client = SoapCaller(app), Client(app)
    for n in range(3):
        big_sync(soap, f"v{n}@example.com", victim)
    for n in range(60):
        big_sync(soap, f"flood{n}@example.com", user=None)
    assert [entry["params"]["leadRecord"]["Email"] for entry in journal(client, "VVV-999")] == [
        "v0@example.com", "v1@example.com", "v2@example.com"]
    assert len(journal(client)) < 60
    assert app.instances.journal_budget.total <= 300_000


def test_the_newest_entry_stays_even_when_it_alone_is_over_the_budget():
    app = app_with_budget(1_000)
    soap = SoapCaller(app)
    big_sync(soap, "first@example.com")
    big_sync(soap, "second@example.com")
    assert [entry["params"]["leadRecord"]["Email"] for entry in journal(Client(app))] == ["second@example.com"]


def test_every_text_the_client_chose_is_cut_in_the_journal():
    app = app_with_budget(10_000_000)
    long_user = "u" * 10_000
    SoapCaller(app).call(sm.sync_lead_body(sm.lead_record("a@example.com")), header=sm.auth_header(long_user, "k"))
    [entry] = Client(app).get("/_mock/requests").json  # an unknown user: the default instance
    assert entry["user_id"] == "u" * 4096 + "... [5904 more characters not kept]"


def test_clearing_a_journal_and_deleting_an_instance_give_their_bytes_back():
    app = app_with_budget(10_000_000)
    soap, client = SoapCaller(app), Client(app)
    created = client.post("/_mock/instances").json
    big_sync(soap, "a@example.com")
    big_sync(soap, "b@example.com", Credentials(created["user_id"], created["secret_key"], created["instance"]))
    budget = app.instances.journal_budget
    assert budget.total > 40_000
    client.delete("/_mock/requests", query_string={"instance": "AAA-111"})
    client.delete("/_mock/instances", query_string={"instance": created["instance"]})
    assert budget.total == 0


def test_the_journal_is_streamed_out_not_built_whole():
    app = app_with_budget(10_000_000)
    soap = SoapCaller(app)
    for n in range(5):
        big_sync(soap, f"s{n}@example.com")
    response = Client(app).get("/_mock/requests", query_string={"instance": "AAA-111"})
    assert "Content-Length" not in response.headers and response.is_streamed
    assert [entry["seq"] for entry in response.json] == [1, 2, 3, 4, 5]


def rss_mib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS:"))


@pytest.mark.slow
def test_a_server_flooded_with_megabyte_values_by_an_unknown_user_keeps_its_memory_bounded(tmp_path):
    """The probe's flood, 400 calls of it (the probe's 1,000 took the server past 2 GiB)."""
    body = sm.envelope(sm.sync_lead_body(sm.lead_record("big@example.com", attributes={"LastName": "x" * 1_945_000})),
                       header=sm.auth_header("nobody-at-all", "wrong")).encode()
    with ServerProcess("sqlite://") as server:
        host, port = server.base_url.removeprefix("http://").rsplit(":", 1)
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            started = rss_mib(server.process.pid)
            for _ in range(400):
                connection.request("POST", "/soap/mktows/2_9", body=body, headers={"Content-Type": "text/xml"})
                assert connection.getresponse().read().count(b"<code>20014</code>") == 1
            after_calls = rss_mib(server.process.pid)
            connection.request("GET", "/_mock/requests")
            response, size, peak = connection.getresponse(), 0, 0
            while chunk := response.read(1 << 20):
                size, peak = size + len(chunk), max(peak, rss_mib(server.process.pid))
            connection.request("DELETE", "/_mock/requests")
            connection.getresponse().read()
            time.sleep(0.2)
            after_delete = rss_mib(server.process.pid)
        finally:
            connection.close()
    assert after_calls - started < 250, (started, after_calls)
    assert size < 70 * 1024 * 1024 and peak < after_calls + 100, (size, peak)
    assert after_delete <= after_calls, (after_calls, after_delete)
