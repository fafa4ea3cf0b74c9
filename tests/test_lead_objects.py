"""What belongs to a lead: its custom object records and opportunity roles go with the lead when it is
deleted, move to the winner of a merge (store.lead_objects.move_lead_objects, for mergeLeads), and go with
the instance on reset. Run on SQLite and, under -m postgres, PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from mockmarketo.domain.leads import Lead
from mockmarketo.store import tables as t
from mockmarketo.store.lead_objects import move_lead_objects
from tests.conftest import store_leads
from tests.object_messages import (  # noqa: F401 - objects_soap is a fixture
    custom_obj, get_custom_objects_body, get_mobjects_body, mobject, objects_soap, sync_custom_objects_body,
    sync_mobjects_body,
)

WINNER, LOSER_A, LOSER_B = 1000001, 1000002, 1000003


@pytest.fixture
def soap(objects_soap):
    store_leads(objects_soap.app, *(Lead(id=lead_id) for lead_id in (WINNER, LOSER_A, LOSER_B)))
    return objects_soap


def roadshows(soap, *objects: tuple[int, str, str]) -> None:
    body = sync_custom_objects_body("Roadshow", [custom_obj({"MKTOID": lead, "rid": rid}, {"city": city})
                                                 for lead, rid, city in objects])
    assert soap.call(body).all_text("result/syncCustomObjStatusList/syncCustomObjStatus/status") == [
        "CREATED"] * len(objects)


def roadshows_of(soap) -> list[tuple[str, str, str]]:
    response = soap.call(get_custom_objects_body("Roadshow"))
    return [(o.findtext("customObjKeyList/attribute[attrName='MKTOID']/attrValue"),
             o.findtext("customObjKeyList/attribute[attrName='rid']/attrValue"),
             o.findtext("customObjAttributeList/attribute[attrName='city']/attrValue"))
            for o in response.xml.iterfind(".//customObjList/customObj")]


def opportunity_with_roles(soap, *people: int) -> None:
    objects = [mobject("Opportunity", attributes={"Name": "Deal"})]
    objects += [mobject("OpportunityPersonRole", attributes={"OpportunityId": 1, "PersonId": p}) for p in people]
    soap.call(sync_mobjects_body(objects))


def role_people(soap) -> list[str]:
    return soap.call(get_mobjects_body("OpportunityPersonRole")).all_text(
        "result/mObjectList/mObject/attribList/attrib[name='PersonId']/value")


def delete_leads(soap, *lead_ids: int) -> None:
    with soap.app.marketo.store.transaction("default") as repo:
        repo.connection.execute(delete(t.leads).where(t.leads.c.instance == "default", t.leads.c.id.in_(lead_ids)))


def merge(soap, winner: int, *losers: int) -> None:
    """What mergeLeads does with them: move, then delete the losers."""
    with soap.app.marketo.store.transaction("default") as repo:
        move_lead_objects(repo, losers, winner)
    delete_leads(soap, *losers)


def test_deleting_a_lead_deletes_its_custom_objects_and_roles_but_not_the_opportunity(soap):
    roadshows(soap, (WINNER, "r1", "Paris"), (LOSER_A, "r1", "Rome"))
    opportunity_with_roles(soap, WINNER, LOSER_A)
    delete_leads(soap, LOSER_A)
    assert (roadshows_of(soap), role_people(soap)) == ([(str(WINNER), "r1", "Paris")], [str(WINNER)])
    assert soap.call(get_mobjects_body("Opportunity")).text("result/returnCount") == "1"


def test_a_merge_gives_the_losers_custom_objects_to_the_winner(soap):
    roadshows(soap, (LOSER_A, "r2", "Rome"), (LOSER_B, "r3", "Oslo"))
    merge(soap, WINNER, LOSER_A, LOSER_B)
    assert roadshows_of(soap) == [(str(WINNER), "r2", "Rome"), (str(WINNER), "r3", "Oslo")]


def test_in_a_merge_the_winners_object_of_a_key_wins(soap):
    roadshows(soap, (WINNER, "r1", "Paris"), (LOSER_A, "r1", "Rome"))
    merge(soap, WINNER, LOSER_A)
    assert roadshows_of(soap) == [(str(WINNER), "r1", "Paris")]


def test_in_a_merge_the_oldest_losers_object_of_a_key_moves(soap):
    roadshows(soap, (LOSER_B, "r2", "Oslo"))
    roadshows(soap, (LOSER_A, "r2", "Rome"))
    merge(soap, WINNER, LOSER_A, LOSER_B)
    assert roadshows_of(soap) == [(str(WINNER), "r2", "Oslo")]


def test_a_merge_moves_objects_not_keyed_by_their_lead_whatever_their_key(soap):
    body = sync_custom_objects_body("Visit", [custom_obj({"visitId": 7}, {"MKTOID": LOSER_A})])
    soap.call(body)
    merge(soap, WINNER, LOSER_A)
    response = soap.call(get_custom_objects_body("Visit", {"MKTOID": WINNER}))
    assert response.all_text("result/customObjList/customObj/customObjKeyList/attribute/attrValue") == [
        str(WINNER), "7"]


def test_a_merge_gives_the_losers_opportunity_roles_to_the_winner(soap):
    opportunity_with_roles(soap, LOSER_A, WINNER, LOSER_B)
    merge(soap, WINNER, LOSER_A, LOSER_B)
    assert role_people(soap) == [str(WINNER)] * 3


def test_a_merge_naming_the_winner_among_the_losers_moves_nothing_of_it(soap):
    roadshows(soap, (WINNER, "r1", "Paris"))
    with soap.app.marketo.store.transaction("default") as repo:
        move_lead_objects(repo, [WINNER], WINNER)
    assert roadshows_of(soap) == [(str(WINNER), "r1", "Paris")]


def test_reset_drops_custom_objects_and_mobjects_and_restarts_mobject_ids(soap):
    roadshows(soap, (WINNER, "r1", "Paris"))
    opportunity_with_roles(soap, WINNER)
    assert soap.client.post("/_mock/reset").status_code == 200
    store_leads(soap.app, Lead(id=WINNER))
    assert (roadshows_of(soap), role_people(soap)) == ([], [])
    created = soap.call(sync_mobjects_body([mobject("Opportunity", attributes={"Name": "Again"})]))
    assert created.text("result/mObjStatusList/mObjStatus/id") == "1"
