"""The control API's marketing routes (docs/control-api.md): programs, lists and their members,
campaigns, campaign runs and run-pending; per instance, gone with the instance's reset."""

from __future__ import annotations

import pytest

from tests import marketing_messages as mm
from tests.marketing_messages import FIRST


@pytest.fixture
def app(database_url):
    return mm.marketing_app(database_url)


def error(response) -> tuple[int, str]:
    return response.status_code, response.json["error"]


# ---- programs, lists, campaigns ----------------------------------------------------------------------

def test_programs_lists_the_configured_programs_with_the_config_files_keys(client):
    [program] = client.get("/_mock/programs").json
    assert {k: v for k, v in program.items() if k not in ("created_at", "updated_at")} == {
        "id": 1001, "name": "Webinar 2026", "description": "", "type": "Marketing Program", "channel": "Webinar",
        "tags": {"Region": "EMEA"}, "tokens": {"{{my.topic}}": "Pricing", "{{my.host}}": "Ann"}, "costs": [],
        "workspace": "Default"}


def test_added_program_is_answered_201_and_listed_after_the_configured_ones(client):
    response = client.post("/_mock/programs", json={"name": "Spring Launch", "channel": "Blog",
                                                    "costs": [{"month": "2026-04", "amount": 1500, "note": "Ads"}]})
    assert response.status_code == 201
    assert (response.json["id"], response.json["costs"]) == (
        1002, [{"id": 0, "month": "2026-04", "amount": "1500", "note": "Ads"}])
    assert [p["name"] for p in client.get("/_mock/programs").json] == ["Webinar 2026", "Spring Launch"]


def test_a_list_of_assets_is_added_all_or_none(client):
    response = client.post("/_mock/lists", json=[{"name": "VIP"}, {"name": "newsletter"}])
    assert error(response) == (409, "list[1].name: 'newsletter' is taken by list 1001")
    assert [item["name"] for item in client.get("/_mock/lists").json] == ["Newsletter", "Attendees"]


def test_added_list_answers_its_id(client):
    assert client.post("/_mock/lists", json={"name": "VIP", "program": "Webinar 2026"}).json == {
        "id": 1003, "name": "VIP", "program": "Webinar 2026"}


def test_taken_id_is_409(client):
    assert error(client.post("/_mock/campaigns", json={"id": 4496, "name": "Again"})) == (
        409, "campaign.id: 4496 is taken by campaign 'Send Confirmation'")


def test_reference_to_a_missing_asset_is_400(client):
    assert error(client.post("/_mock/campaigns", json={"name": "C", "flow": [{"remove_from_list": "VIP"}]})) == (
        400, "campaign.flow[0].remove_from_list: no static list 'VIP'")


def test_unknown_key_is_400(client):
    assert error(client.post("/_mock/lists", json={"name": "VIP", "size": 3})) == (
        400, "list.size: unknown key")


def test_campaigns_answer_their_full_name_and_flow(client):
    campaign = client.get("/_mock/campaigns").json[0]
    assert (campaign["full_name"], campaign["requestable"], campaign["source"], campaign["flow"]) == (
        "Webinar 2026.Send Confirmation", True, ["MKTOWS"],
        [{"change_field": {"field": "LeadScore", "value": "+10"}}, {"add_to_list": "Newsletter"},
         {"send_email": "Confirmation about {{my.topic}}"}])


def test_assets_are_per_instance(client):
    created = client.post("/_mock/instances").json["instance"]
    client.post(f"/_mock/lists?instance={created}", json={"name": "Theirs"})
    assert [item["name"] for item in client.get("/_mock/lists").json] == ["Newsletter", "Attendees"]
    assert [item["name"] for item in client.get(f"/_mock/lists?instance={created}").json] == [
        "Newsletter", "Attendees", "Theirs"]


def test_reset_drops_added_assets_members_and_runs_but_keeps_the_configured(soap, client):
    client.post("/_mock/lists", json={"name": "VIP"})
    lead = mm.sync(soap, "ann@example.com")
    soap.call(mm.request_campaign([lead], campaign_id=4496))
    client.post("/_mock/reset")
    assert [item["name"] for item in client.get("/_mock/lists").json] == ["Newsletter", "Attendees"]
    assert (client.get("/_mock/lists/1001/members").json, client.get("/_mock/campaign-runs").json) == ([], [])


# ---- list members ----------------------------------------------------------------------------------

def test_members_are_the_ids_of_the_lists_leads_ascending(soap, client):
    first, second = mm.sync(soap, "a@example.com"), mm.sync(soap, "b@example.com")
    soap.call(mm.list_operation("ADDTOLIST", "Attendees", [second, first]))
    assert client.get("/_mock/lists/1002/members").json == [first, second]


def test_members_can_be_seeded_without_activities(soap, client, app):
    lead = mm.sync(soap, "a@example.com")
    assert client.post("/_mock/lists/1002/members", json=[lead, lead]).json == {"added": [lead]}
    assert client.post("/_mock/lists/1002/members", json=[lead]).json == {"added": []}
    assert [a.type for a in mm.activities(app, lead)] == ["New Lead"]


def test_lists_filtered_by_lead_are_the_lists_it_is_a_member_of(soap, client):
    lead = mm.sync(soap, "a@example.com")
    client.post("/_mock/lists/1002/members", json=[lead])
    assert [(item["id"], item["name"]) for item in client.get(f"/_mock/lists?lead={lead}").json] == [
        (1002, "Attendees")]


def test_lists_filtered_by_a_lead_in_no_list_are_empty(soap, client):
    lead = mm.sync(soap, "a@example.com")
    assert client.get(f"/_mock/lists?lead={lead}").json == []


def test_lists_lead_filter_must_be_an_integer(client):
    assert error(client.get("/_mock/lists?lead=ann")) == (400, "lead: expected an integer, got 'ann'")


def test_members_of_an_unknown_list_are_404(client):
    assert error(client.get("/_mock/lists/99/members")) == (404, "no static list 99")


def test_seeding_an_unknown_lead_is_400(client):
    assert error(client.post("/_mock/lists/1002/members", json=[12345])) == (400, "no lead 12345")


@pytest.mark.parametrize("body", [{"ids": [1]}, ["1"], [True], [2**31]])
def test_seeding_members_needs_a_list_of_lead_ids(client, body):
    assert error(client.post("/_mock/lists/1002/members", json=body))[0] == 400


def test_members_route_takes_get_and_post_only(client):
    response = client.delete("/_mock/lists/1002/members")
    assert (response.status_code, response.headers["Allow"]) == (405, "GET, POST")


# ---- campaign runs ---------------------------------------------------------------------------------

def test_campaign_runs_tell_campaign_program_source_leads_tokens_time_and_outcome(soap, client):
    lead = mm.sync(soap, "ann@example.com")
    soap.call(mm.request_campaign([lead], campaign_id=4496, tokens={"{{my.topic}}": "AI"}))
    [run] = client.get("/_mock/campaign-runs").json
    assert {k: v for k, v in run.items() if k not in ("at", "created_at")} == {
        "id": 1, "campaign": 4496, "name": "Webinar 2026.Send Confirmation", "program": "Webinar 2026",
        "source": "request", "leads": [lead], "tokens": {"{{my.topic}}": "AI", "{{my.host}}": "Ann"},
        "outcome": "done", "errors": []}
    assert run["at"] >= run["created_at"]


def test_campaign_runs_filter_by_campaign_and_lead(soap, client):
    first, second = mm.sync(soap, "a@example.com"), mm.sync(soap, "b@example.com")
    soap.call(mm.request_campaign([first], campaign_id=4496))
    soap.call(mm.request_campaign([second], campaign_id=4496))
    soap.call(mm.schedule_campaign("Webinar 2026", "Weekly Digest"))
    assert [r["id"] for r in client.get(f"/_mock/campaign-runs?lead={second}").json] == [2, 3]
    assert [r["id"] for r in client.get("/_mock/campaign-runs?campaign=4497").json] == [3]
    assert [r["id"] for r in client.get(f"/_mock/campaign-runs?campaign=4496&lead={first}").json] == [1]


def test_campaign_runs_filter_must_be_an_integer(client):
    assert error(client.get("/_mock/campaign-runs?lead=ann")) == (400, "lead: expected an integer, got 'ann'")


def test_run_pending_with_nothing_pending_runs_nothing(client):
    assert client.post("/_mock/run-pending").json == {"campaign_runs": [], "imports": []}


def test_lead_with_a_campaign_run_is_found_in_the_journal_too(soap, client):
    lead = mm.sync(soap, "ann@example.com")
    soap.call(mm.request_campaign([("EMAIL", "ann@example.com")], campaign_id=4496))
    assert [r["operation"] for r in client.get("/_mock/requests?email=ann@example.com").json] == [
        "syncLead", "requestCampaign"]
    assert client.get(f"/_mock/campaign-runs?lead={lead}").json[0]["leads"] == [FIRST]


def test_responses_are_json_errors_never_tracebacks_for_unknown_sub_routes(client):
    assert error(client.get("/_mock/lists/abc/members")) == (404, "no control route /_mock/lists/abc/members")
