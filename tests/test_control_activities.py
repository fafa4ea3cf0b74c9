"""/_mock/activities: reading the activity log, seeding any of the 57 activity types, clearing it; and
lead seeding's `"activity": true` (issue "The whole mktows API (1/3)", §2)."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from mockmarketo.domain.activities import ACTIVITY_TYPES
from tests import soap_messages as sm
from tests.conftest import make_app


def _seed(client, payload):
    return client.post("/_mock/activities", json=payload)


@pytest.fixture
def ann(client):
    response = client.post("/_mock/leads", json={"email": "ann@example.com"})
    assert response.status_code == 201
    return response.json["id"]


def test_seed_one_activity_answers_201_with_the_stored_activity(client, ann):
    response = _seed(client, {"email": "ann@example.com", "type": "Visit Webpage", "at": "2026-01-02T03:04:05Z",
                              "asset_name": "Pricing", "attributes": [{"name": "Webpage URL", "value": "/pricing"},
                                                                      {"name": "Webpage ID", "value": 2547}]})
    assert (response.status_code, response.json) == (201, {
        "id": 1, "lead_id": ann, "type": "Visit Webpage", "type_token": "VisitWebpage",
        "at": "2026-01-02T03:04:05Z", "asset_name": "Pricing", "campaign": None,
        "attributes": [{"name": "Webpage URL", "value": "/pricing"}, {"name": "Webpage ID", "value": "2547"}]})


def test_every_activity_type_can_be_seeded_by_token_and_read_back_over_soap(client, soap, ann):
    seeded = _seed(client, [{"lead_id": ann, "type": token, "at": f"2026-01-01T00:{minute:02d}:00Z"}
                            for minute, (token, _) in enumerate(ACTIVITY_TYPES)]).json
    response = soap.call(sm.get_lead_changes_body(sm.start_position(oldest="2026-01-01T00:00:00Z")))
    displays = [display for _, display in ACTIVITY_TYPES]
    assert ([activity["type"] for activity in seeded],
            response.all_text("result/leadChangeRecordList/leadChangeRecord/activityType")) == (displays, displays)


def test_seed_a_list_is_all_or_none(client, ann):
    response = _seed(client, [{"lead_id": ann, "type": "OpenEmail"}, {"lead_id": 42, "type": "OpenEmail"}])
    assert (response.status_code, response.json) == (
        400, {"error": "activity[1]: no lead with id 42 in this instance"})
    assert client.get("/_mock/activities").json == []


def test_seeded_activity_takes_the_next_id_of_the_instance_sequence(client, soap, ann):
    soap.sync("bob@example.com")
    assert _seed(client, {"lead_id": ann, "type": "ClickEmail"}).json["id"] == 2


def test_email_names_the_most_recently_created_lead_with_it(client, ann):
    newer = client.post("/_mock/leads", json={"email": "ANN@example.com"}).json["id"]
    assert _seed(client, {"email": "ann@example.com", "type": "OpenEmail"}).json["lead_id"] == newer


@pytest.mark.parametrize(("payload", "error"), [
    ({"type": "OpenEmail"}, "activity: name the lead with lead_id or email (one of them)"),
    ({"lead_id": 1, "email": "a@b.c", "type": "OpenEmail"}, "activity: name the lead with lead_id or email (one of them)"),
    ({"email": "ann@example.com", "type": "Pants"},
     "activity.type: expected a display name such as \"Visit Webpage\" or a WSDL token such as VisitWebpage, "
     "got 'Pants'"),
    ({"email": "ann@example.com", "type": "OpenEmail", "at": "yesterday"},
     "activity.at: expected an ISO 8601 date and time, got 'yesterday'"),
    ({"email": "ann@example.com", "type": "OpenEmail", "id": 7},
     "activity.id: unknown key (known: lead_id, email, type, at, asset_name, campaign, attributes)"),
    ({"email": "ann@example.com", "type": "OpenEmail", "attributes": {"Mailing ID": "1"}},
     'activity.attributes: expected a list of {"name": ..., "value": ...} objects'),
    ({"email": "ann@example.com", "type": "OpenEmail", "attributes": [{"name": "Lead ID", "value": "1"}]},
     "activity.attributes[0]: Lead ID is the activity's lead: give it as lead_id or email"),
    ({"email": "ann@example.com", "type": "OpenEmail", "attributes": [{"name": "Device", "value": None}]},
     "activity.attributes[0].value: expected a string or number, got None"),
    ({"email": "ann@example.com", "type": "OpenEmail", "campaign": "a\x00b"},
     "activity.campaign: character U+0000 cannot be sent in XML"),
    ({"email": "nobody@example.com", "type": "OpenEmail"}, "activity: no lead with email 'nobody@example.com' in this instance"),
])
def test_bad_activity_is_400_with_one_line_naming_the_key(client, ann, payload, error):
    assert (_seed(client, payload).status_code, _seed(client, payload).json) == (400, {"error": error})


def test_get_filters_by_lead_email_type_and_since(client, ann):
    bob = client.post("/_mock/leads", json={"email": "bob@example.com"}).json["id"]
    _seed(client, [{"lead_id": ann, "type": "OpenEmail", "at": "2026-01-01T00:00:00Z"},
                   {"lead_id": bob, "type": "OpenEmail", "at": "2026-01-02T00:00:00Z"},
                   {"lead_id": bob, "type": "ClickEmail", "at": "2026-01-03T00:00:00Z"}])

    def ids(**query):
        return [activity["id"] for activity in client.get("/_mock/activities", query_string=query).json]

    assert (ids(), ids(lead=ann), ids(email="BOB@example.com"), ids(type="Click Email"), ids(type="OpenEmail"),
            ids(since="2026-01-02T00:00:00Z"), ids(email="bob@example.com", type="OpenEmail")) == (
        [1, 2, 3], [1], [2, 3], [3], [1, 2], [2, 3], [2])


@pytest.mark.parametrize(("query", "error"), [
    ("type=Pants", "type: expected a display name such as \"Visit Webpage\" or a WSDL token such as VisitWebpage, "
                   "got 'Pants'"),
    ("since=soon", "since: expected an ISO 8601 date and time, got 'soon'"),
    ("lead=x", "lead: expected an integer, got 'x'"),
    ("colour=red", "unknown query parameter 'colour' (known: instance, lead, email, type, since)"),
])
def test_bad_query_is_400(client, query, error):
    response = client.get(f"/_mock/activities?{query}")
    assert (response.status_code, response.json) == (400, {"error": error})


def test_delete_clears_the_log_keeps_the_leads_and_never_reuses_ids(client, ann):
    _seed(client, {"lead_id": ann, "type": "OpenEmail"})
    assert client.delete("/_mock/activities").json == {"cleared": "activities"}
    assert (client.get("/_mock/activities").json, len(client.get("/_mock/leads").json)) == ([], 1)
    assert _seed(client, {"lead_id": ann, "type": "OpenEmail"}).json["id"] == 2


def test_reset_drops_the_activities_with_the_leads(client, ann):
    _seed(client, {"lead_id": ann, "type": "OpenEmail"})
    client.post("/_mock/reset")
    assert client.get("/_mock/activities").json == []


def test_seeded_lead_writes_no_activity_unless_asked(client):
    client.post("/_mock/leads", json=[{"email": "quiet@example.com"},
                                      {"email": "loud@example.com", "activity": True,
                                       "created_at": "2026-01-02T03:04:05Z"}])
    assert [(a["lead_id"], a["type"], a["at"], a["attributes"]) for a in client.get("/_mock/activities").json] == [
        (1000002, "New Lead", "2026-01-02T03:04:05Z",
         [{"name": "Source Type", "value": "Web service API"}, {"name": "Source Info", "value": "Web service API"},
          {"name": "Created Date", "value": "2026-01-02"}])]


def test_lead_activity_flag_must_be_a_boolean(client):
    response = client.post("/_mock/leads", json={"email": "a@example.com", "activity": "yes"})
    assert (response.status_code, response.json) == (400, {"error": "lead.activity: expected true or false, got 'yes'"})


def test_activities_route_works_with_several_workers_as_it_is_the_database(database_url):
    response = Client(make_app(database_url=database_url, workers=3)).get("/_mock/activities")
    assert (response.status_code, response.json) == (200, [])
