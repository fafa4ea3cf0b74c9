"""The static-list functions other operations use: list_member_ids (getMultipleLeads' and getLeadChanges'
StaticListSelector) and move_list_memberships (mergeLeads); and a deleted lead leaving its lists."""

from __future__ import annotations

import pytest

from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.static_lists import list_member_ids, move_list_memberships
from tests import marketing_messages as mm


@pytest.fixture
def app(database_url):
    return mm.marketing_app(database_url)


def seeded(soap, client, memberships: dict[int, list[int]], count: int) -> list[int]:
    """`count` leads; then list id -> indexes of the leads put in it."""
    leads = [mm.sync(soap, f"l{i}@example.com") for i in range(count)]
    for list_id, indexes in memberships.items():
        client.post(f"/_mock/lists/{list_id}/members", json=[leads[i] for i in indexes])
    return leads


def test_list_member_ids_by_name_in_any_case_or_by_id(soap, client, app):
    leads = seeded(soap, client, {1001: [2, 0]}, 3)
    with app.marketo.store.transaction("default", write=False) as repo:
        by_name = list_member_ids(repo, app.marketo.settings.assets, name="NEWSLETTER")
        by_id = list_member_ids(repo, app.marketo.settings.assets, list_id=1001)
    assert by_name == by_id == [leads[0], leads[2]]


def test_list_member_ids_of_an_unknown_list_raise_20111(app):
    with app.marketo.store.transaction("default", write=False) as repo, pytest.raises(MarketoError) as raised:
        list_member_ids(repo, app.marketo.settings.assets, name="Nope")
    assert raised.value.code == 20111


def test_list_member_ids_see_lists_added_at_run_time(soap, client, app):
    list_id = client.post("/_mock/lists", json={"name": "VIP"}).json["id"]
    [lead] = seeded(soap, client, {list_id: [0]}, 1)
    with app.marketo.store.transaction("default", write=False) as repo:
        assert list_member_ids(repo, app.marketo.settings.assets, name="VIP") == [lead]


def test_move_list_memberships_gives_the_winner_the_losers_lists(soap, client, app):
    winner, loser, other_loser = seeded(soap, client, {1001: [1, 2], 1002: [0, 2]}, 3)
    with app.marketo.store.transaction("default") as repo:
        move_list_memberships(repo, [loser, other_loser], winner)
    assert (mm.members(app, 1001), mm.members(app, 1002)) == ([winner], [winner])


def test_move_list_memberships_writes_no_activity(soap, client, app):
    winner, loser = seeded(soap, client, {1001: [1]}, 2)
    with app.marketo.store.transaction("default") as repo:
        move_list_memberships(repo, [loser], winner)
    assert [a.type for a in mm.activities(app, winner, loser)] == ["New Lead", "New Lead"]


def test_deleted_lead_leaves_its_lists(soap, client, app):
    kept, deleted = seeded(soap, client, {1001: [0, 1], 1002: [1]}, 2)
    with app.marketo.store.transaction("default") as repo:
        repo.delete([deleted])
    assert (mm.members(app, 1001), mm.members(app, 1002)) == ([kept], [])
