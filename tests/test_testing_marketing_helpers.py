"""mockmarketo.testing's helpers for marketing assets, list members and campaign runs, through the
`marketo` fixture (a fresh instance on the session's server)."""

from __future__ import annotations

import pytest

from mockmarketo.testing import ControlApiError
from tests import marketing_messages as mm
from tests import soap_messages as sm


def soap_of(marketo) -> sm.HttpSoapCaller:
    return sm.HttpSoapCaller(marketo.endpoint)


def signed(marketo, body: str) -> sm.SoapResponse:
    caller = soap_of(marketo)
    try:
        return caller.call(body, header=sm.auth_header(marketo.user_id, marketo.secret_key))
    finally:
        caller.close()


def test_added_assets_are_listed_by_their_helpers(marketo):
    marketo.add_program(name="Launch", channel="Webinar")
    marketo.add_list(name="VIP", program="Launch")
    marketo.add_campaign(name="Invite", program="Launch", smart_list="VIP")
    assert [p["name"] for p in marketo.programs()] == ["Launch"]
    assert [(item["id"], item["program"]) for item in marketo.lists()] == [(1001, "Launch")]
    assert [c["full_name"] for c in marketo.campaigns()] == ["Launch.Invite"]


def test_list_members_by_name_or_id_after_add_to_list(marketo):
    [lead] = marketo.seed(email="ann@example.com")
    list_id = marketo.add_list(name="VIP")["id"]
    assert marketo.add_to_list("vip", lead["id"]) == [lead["id"]]
    assert marketo.list_members("VIP") == marketo.list_members(list_id) == [lead["id"]]


def test_list_members_of_an_unknown_list_name_raise_404(marketo):
    with pytest.raises(ControlApiError) as raised:
        marketo.list_members("Nope")
    assert (raised.value.status, raised.value.message) == (404, "no static list named 'Nope'")


def test_run_pending_runs_a_scheduled_campaign_and_campaign_runs_show_it(marketo):
    [lead] = marketo.seed(email="ann@example.com")
    marketo.add_program(name="Launch")
    marketo.add_list(name="VIP")
    marketo.add_to_list("VIP", lead["id"])
    campaign = marketo.add_campaign(name="Invite", program="Launch", smart_list="VIP",
                                    flow=[{"send_email": "Invitation"}])
    response = signed(marketo, mm.schedule_campaign("Launch", "Invite", run_at="2099-01-01T00:00:00Z"))
    assert response.status == 200, response.body
    assert [r["outcome"] for r in marketo.campaign_runs(campaign=campaign["id"])] == ["pending"]
    ran = marketo.run_pending()["campaign_runs"]
    assert [(r["name"], r["outcome"], r["leads"]) for r in ran] == [("Launch.Invite", "done", [lead["id"]])]
    assert marketo.campaign_runs(lead=lead["id"])[0]["source"] == "schedule"


def test_reset_keeps_nothing_added(marketo):
    marketo.add_list(name="VIP")
    marketo.reset()
    assert marketo.lists() == []
