"""Custom object records over SOAP (facts-more-ops §10; the FAILED texts and the choices for the open
questions of §17.7 are documented in docs/objects.md). Run on SQLite and, under -m postgres, PostgreSQL."""

from __future__ import annotations

import pytest

from mockmarketo.domain.leads import Lead
from tests import soap_messages as sm
from tests.conftest import store_leads
from tests.object_messages import (  # noqa: F401 - objects_soap is a fixture
    custom_obj, delete_custom_objects_body, get_custom_objects_body, objects_soap, sync_custom_objects_body,
)

ANN, BOB = 1000001, 1000002
STATUS = "result/syncCustomObjStatusList/syncCustomObjStatus/"


@pytest.fixture
def soap(objects_soap):
    """Two leads, Ann and Bob, and the Roadshow and Visit types."""
    store_leads(objects_soap.app, Lead(id=ANN, email="ann@example.com"), Lead(id=BOB, email="bob@example.com"))
    return objects_soap


def roadshow(lead: int, rid: str, **attributes) -> str:
    return custom_obj({"MKTOID": lead, "rid": rid}, attributes)


def sync(soap, *objects: str, operation: str | None = "UPSERT", type_name: str = "Roadshow"):
    return soap.call(sync_custom_objects_body(type_name, list(objects), operation))


def statuses(response) -> list[tuple[str, str | None]]:
    return list(zip(response.all_text(STATUS + "status"), response.all_text(STATUS + "error")))


def get(soap, keys: dict | None = None, type_name: str = "Roadshow", **params):
    return soap.call(get_custom_objects_body(type_name, keys, **params))


def rids(response) -> list[str]:
    return response.all_text("result/customObjList/customObj/customObjKeyList/attribute[attrName='rid']/attrValue")


def attributes_of(response) -> list[dict]:
    return [{a.findtext("attrName"): a.findtext("attrValue") for a in obj.iterfind("customObjAttributeList/attribute")}
            for obj in response.xml.iterfind(".//customObjList/customObj")]


# ---- syncCustomObjects -----------------------------------------------------------------------------------

def test_insert_creates_an_object(soap):
    assert statuses(sync(soap, roadshow(ANN, "r1", city="Paris"), operation="INSERT")) == [("CREATED", None)]
    assert attributes_of(get(soap, {"MKTOID": ANN})) == [{"city": "Paris"}]


def test_insert_of_an_existing_key_fails_and_changes_nothing(soap):
    sync(soap, roadshow(ANN, "r1", city="Paris"))
    response = sync(soap, roadshow(ANN, "r1", city="Rome"), operation="INSERT")
    assert statuses(response) == [("FAILED", "Roadshow object with MKTOID = 1000001, rid = r1 already exists")]
    assert attributes_of(get(soap, {"MKTOID": ANN})) == [{"city": "Paris"}]


def test_update_of_a_missing_key_fails_and_creates_nothing(soap):
    response = sync(soap, roadshow(ANN, "r1", city="Paris"), operation="UPDATE")
    assert statuses(response) == [("FAILED", "Roadshow object with MKTOID = 1000001, rid = r1 does not exist")]
    assert get(soap, {"MKTOID": ANN}).text("result/returnCount") == "0"


def test_update_changes_the_given_attributes_and_an_empty_value_clears_one(soap):
    sync(soap, roadshow(ANN, "r1", city="Paris", state="IDF", zip="75001"))
    response = sync(soap, roadshow(ANN, "r1", city="Lyon", zip=""), operation="UPDATE")
    assert statuses(response) == [("UPDATED", None)]
    assert attributes_of(get(soap, {"MKTOID": ANN})) == [{"city": "Lyon", "state": "IDF"}]


def test_absent_operation_means_upsert(soap):
    first = sync(soap, roadshow(ANN, "r1", city="Paris"), operation=None)
    second = sync(soap, roadshow(ANN, "r1", city="Rome"), operation=None)
    assert statuses(first) + statuses(second) == [("CREATED", None), ("UPDATED", None)]


def test_nil_operation_means_upsert(soap):
    body = sync_custom_objects_body("Roadshow", [roadshow(ANN, "r1")], None).replace(
        "</customObjList>", '</customObjList><operation xsi:nil="true"/>')
    assert statuses(soap.call(body)) == [("CREATED", None)]


def test_unknown_operation_is_fault_20110(soap):
    response = sync(soap, roadshow(ANN, "r1"), operation="MERGE")
    assert (response.fault_code, response.fault_message) == (
        20110, "operation must be one of UPSERT, INSERT, UPDATE, not 'MERGE' (20110)")


def test_more_than_100_objects_is_fault_20110_and_nothing_is_written(soap):
    response = sync(soap, *[roadshow(ANN, f"r{n}") for n in range(101)])
    assert (response.fault_code, response.fault_message) == (
        20110, "syncCustomObjects: customObjList holds 101 objects; at most 100 are allowed (20110)")
    assert get(soap).text("result/returnCount") == "0"


def test_100_objects_are_synced(soap):
    response = sync(soap, *[roadshow(ANN, f"r{n}") for n in range(100)])
    assert response.all_text(STATUS + "status") == ["CREATED"] * 100


def test_a_link_to_no_lead_fails(soap):
    assert statuses(sync(soap, roadshow(999, "r1"))) == [("FAILED", "No lead found with MKTOID = 999")]


def test_a_link_that_is_no_lead_id_fails(soap):
    assert statuses(sync(soap, roadshow("abc", "r1"))) == [("FAILED", "Value 'abc' of field MKTOID is not a lead id")]


def test_a_missing_key_attribute_fails(soap):
    response = sync(soap, custom_obj({"MKTOID": ANN}, {"city": "Paris"}))
    assert statuses(response) == [("FAILED", "Missing key attribute: rid")]


def test_a_field_that_is_no_dedupe_field_in_the_key_list_fails(soap):
    response = sync(soap, custom_obj({"MKTOID": ANN, "rid": "r1", "city": "Paris"}))
    assert statuses(response) == [("FAILED", "Not a dedupe field, so not allowed in customObjKeyList: city")]


def test_every_unknown_attribute_is_named(soap):
    response = sync(soap, custom_obj({"MKTOID": ANN, "rid": "r1", "colour": "x"}, {"size": "1", "city": "P"}))
    assert statuses(response) == [("FAILED", "Unknown name attribute list: colour")]
    response = sync(soap, custom_obj({"MKTOID": ANN, "rid": "r1"}, {"size": "1", "City": "P"}))
    assert statuses(response) == [("FAILED", "Unknown name attribute list: size, City")]


def test_an_attribute_without_attr_name_fails(soap):
    body = sync_custom_objects_body("Roadshow", [roadshow(ANN, "r1", city="P")]).replace(
        "<attrName>city</attrName>", "")
    assert statuses(soap.call(body)) == [("FAILED", "An attribute has no attrName")]


def test_a_value_of_the_wrong_type_fails(soap):
    response = sync(soap, custom_obj({"MKTOID": ANN, "visitId": "7"}, {"score": "high"}), type_name="Visit")
    assert statuses(response) == [("FAILED", "Value 'high' of field score is not an integer")]


def test_values_are_stored_as_lead_values_of_their_type_are(soap):
    sync(soap, custom_obj({"MKTOID": ANN, "visitId": " 007 "}, {"score": "+5", "day": "2026-02-03"}),
         type_name="Visit")
    response = get(soap, type_name="Visit")
    assert (response.all_text("result/customObjList/customObj/customObjKeyList/attribute/attrValue"),
            attributes_of(response)) == (["1000001", "7"], [{"day": "2026-02-03", "score": "5"}])


def test_a_failing_object_leaves_the_others_synced(soap):
    response = sync(soap, roadshow(ANN, "r1"), roadshow(999, "r2"), roadshow(BOB, "r3"))
    assert response.all_text(STATUS + "status") == ["CREATED", "FAILED", "CREATED"]
    assert rids(get(soap)) == ["r1", "r3"]


def test_the_status_echoes_the_key_list_as_sent(soap):
    response = sync(soap, custom_obj([("rid", " r1 "), ("MKTOID", f"0{ANN}")]))
    assert [(a.findtext("attrName"), a.findtext("attrValue")) for a in
            response.xml.iterfind(".//syncCustomObjStatus/customObjKeyList/attribute")] == [
        ("rid", " r1 "), ("MKTOID", "01000001")]
    assert rids(get(soap, {"MKTOID": ANN})) == ["r1"]


def test_a_key_field_sent_among_the_attributes_counts_as_a_key(soap):
    response = sync(soap, custom_obj({"MKTOID": ANN}, {"rid": "r1", "city": "Paris"}))
    assert statuses(response) == [("CREATED", None)]
    assert (rids(get(soap)), attributes_of(get(soap))) == (["r1"], [{"city": "Paris"}])


def test_objects_of_two_leads_with_the_same_rid_are_two_objects(soap):
    sync(soap, roadshow(ANN, "r1", city="Paris"), roadshow(BOB, "r1", city="Rome"))
    assert attributes_of(get(soap, {"rid": "r1"})) == [{"city": "Paris"}, {"city": "Rome"}]


def test_a_link_that_is_no_dedupe_field_moves_the_object_to_another_lead(soap):
    """Visit is keyed by visitId alone; its MKTOID is an ordinary field."""
    sync(soap, custom_obj({"visitId": "7"}, {"MKTOID": ANN}), type_name="Visit")
    response = sync(soap, custom_obj({"visitId": "7"}, {"MKTOID": BOB}), type_name="Visit")
    assert statuses(response) == [("UPDATED", None)]
    assert get(soap, {"MKTOID": BOB}, type_name="Visit").text("result/returnCount") == "1"
    assert get(soap, {"MKTOID": ANN}, type_name="Visit").text("result/returnCount") == "0"


def test_creating_an_object_without_its_link_fails(soap):
    response = sync(soap, custom_obj({"visitId": "7"}, {"score": "1"}), type_name="Visit")
    assert statuses(response) == [("FAILED", "Missing link attribute: MKTOID (the id of the object's lead)")]


def test_missing_obj_type_name_is_fault_20109(soap):
    response = soap.call("<ns1:paramsSyncCustomObjects><customObjList/></ns1:paramsSyncCustomObjects>")
    assert (response.fault_code, response.fault_message) == (20109, "objTypeName is required (20109)")


def test_missing_custom_obj_list_is_fault_20109(soap):
    response = soap.call("<ns1:paramsSyncCustomObjects><objTypeName>Roadshow</objTypeName>"
                         "</ns1:paramsSyncCustomObjects>")
    assert (response.fault_code, response.fault_message) == (20109, "customObjList is required (20109)")


def test_a_wrong_signature_is_fault_20014_before_anything_else(soap):
    response = soap.call(sync_custom_objects_body("Nope", []), header=sm.auth_header(signature="0" * 40))
    assert response.fault_code == 20014


def test_the_journal_lists_the_statuses(soap):
    sync(soap, roadshow(ANN, "r1"), roadshow(999, "r2"))
    [entry] = soap.client.get("/_mock/requests?operation=syncCustomObjects").json
    assert (entry["statuses"], entry["params"]["objTypeName"]) == (["CREATED", "FAILED"], "Roadshow")


# ---- getCustomObjects ------------------------------------------------------------------------------------

def test_the_link_alone_selects_the_objects_of_one_lead(soap):
    sync(soap, roadshow(ANN, "r2"), roadshow(BOB, "r9"), roadshow(ANN, "r1"))
    assert rids(get(soap, {"MKTOID": ANN})) == ["r1", "r2"]


def test_a_full_key_selects_one_object(soap):
    sync(soap, roadshow(ANN, "r1"), roadshow(ANN, "r2"))
    assert rids(get(soap, {"MKTOID": ANN, "rid": "r2"})) == ["r2"]


def test_no_key_list_selects_every_object_of_the_type(soap):
    sync(soap, roadshow(BOB, "r1"), roadshow(ANN, "r1"))
    response = get(soap)
    assert response.all_text("result/customObjList/customObj/customObjKeyList/attribute[attrName='MKTOID']/"
                             "attrValue") == [str(ANN), str(BOB)]
    assert response.text("result/newStreamPosition") == '{"ky":[],"os":2,"lk":["1000002","r1"]}'


def test_numeric_keys_are_ordered_by_value(soap):
    sync(soap, *[custom_obj({"MKTOID": ANN, "visitId": n}) for n in (10, 9, 100)], type_name="Visit")
    assert get(soap, type_name="Visit").all_text(
        "result/customObjList/customObj/customObjKeyList/attribute[attrName='visitId']/attrValue") == [
        "9", "10", "100"]


def test_a_filter_on_a_field_that_is_no_key_is_fault_20110(soap):
    response = get(soap, {"city": "Paris"})
    assert (response.fault_code, response.fault_message) == (
        20110, "customObjKeyList: 'city' is not a key field of Roadshow (key fields: MKTOID, rid) (20110)")


def test_a_filter_value_of_the_wrong_type_is_fault_20110(soap):
    response = get(soap, {"MKTOID": "ann"})
    assert (response.fault_code, response.fault_message) == (
        20110, "customObjKeyList: Value 'ann' of field MKTOID is not a lead id (20110)")


def test_include_attributes_limits_the_attribute_list_but_not_the_keys(soap):
    sync(soap, roadshow(ANN, "r1", city="Paris", state="IDF", zip="75001"))
    response = get(soap, {"MKTOID": ANN}, include=["ZIP", "city"])
    assert (rids(response), attributes_of(response)) == (["r1"], [{"city": "Paris", "zip": "75001"}])


def test_empty_include_attributes_means_all(soap):
    sync(soap, roadshow(ANN, "r1", city="Paris", state="IDF"))
    assert attributes_of(get(soap, {"MKTOID": ANN}, include=[])) == [{"city": "Paris", "state": "IDF"}]


def test_an_object_without_attributes_has_an_empty_attribute_list(soap):
    sync(soap, roadshow(ANN, "r1"))
    element = get(soap, {"MKTOID": ANN}).xml.find(".//customObj/customObjAttributeList")
    assert (len(element), element.text, dict(element.attrib)) == (0, None, {})


def test_batches_return_each_object_once_even_when_objects_are_added_between_them(soap):
    sync(soap, *[roadshow(ANN, f"r{n}") for n in range(5)])
    first = get(soap, {"MKTOID": ANN}, batch_size=2)
    sync(soap, roadshow(ANN, "r0a"), roadshow(ANN, "a"))
    second = get(soap, {"MKTOID": ANN}, batch_size=2, stream_position=first.text("result/newStreamPosition"))
    third = get(soap, {"MKTOID": ANN}, batch_size=2, stream_position=second.text("result/newStreamPosition"))
    fourth = get(soap, {"MKTOID": ANN}, batch_size=2, stream_position=third.text("result/newStreamPosition"))
    assert [rids(r) for r in (first, second, third, fourth)] == [["r0", "r1"], ["r2", "r3"], ["r4"], []]
    assert [(r.text("result/returnCount"), r.text("result/remainingCount")) for r in (first, second, third)] == [
        ("2", "3"), ("2", "1"), ("1", "0")]


def test_the_stream_position_records_the_key_values_the_count_and_the_last_key_returned(soap):
    sync(soap, *[roadshow(ANN, f"r{n}") for n in range(3)])
    first = get(soap, {"MKTOID": ANN}, batch_size=2)
    last = get(soap, {"MKTOID": ANN}, batch_size=2, stream_position=first.text("result/newStreamPosition"))
    assert first.text("result/newStreamPosition") == '{"ky":["1000001"],"os":2,"lk":["1000001","r1"]}'
    assert last.text("result/newStreamPosition") == '{"ky":["1000001"],"os":3,"lk":["1000001","r2"]}'


def test_continuing_after_the_last_batch_returns_new_objects_whose_key_sorts_after_the_last_one(soap):
    sync(soap, roadshow(ANN, "r1"), roadshow(ANN, "r3"))
    done = get(soap, {"MKTOID": ANN})
    sync(soap, roadshow(ANN, "r2"), roadshow(ANN, "r4"))
    later = get(soap, {"MKTOID": ANN}, stream_position=done.text("result/newStreamPosition"))
    assert (rids(done), rids(later)) == (["r1", "r3"], ["r4"])


def test_batch_size_above_100_is_100(soap):
    sync(soap, *[roadshow(ANN, f"r{n:03}") for n in range(100)])
    sync(soap, roadshow(BOB, "r"))
    response = get(soap, batch_size=500)
    assert (response.text("result/returnCount"), response.text("result/remainingCount")) == ("100", "1")


def test_batch_size_below_1_is_fault_20110(soap):
    assert get(soap, batch_size=0).fault_code == 20110


def test_nil_batch_size_and_stream_position_are_absent(soap):
    sync(soap, roadshow(ANN, "r1"))
    body = get_custom_objects_body("Roadshow").replace(
        "</objTypeName>", '</objTypeName><streamPosition xsi:nil="true"/><batchSize xsi:nil="true"/>')
    assert soap.call(body).text("result/returnCount") == "1"


@pytest.mark.parametrize("position", ["garbage", '{"ky":[]}', '{"ky":[],"os":-1}', '{"ky":[],"os":1,"lk":["x"]}',
                                      '{"ky":[],"os":1,"zz":1}', "[1]"])
def test_a_stream_position_getCustomObjects_did_not_issue_is_fault_20122(soap, position):
    response = get(soap, stream_position=position)
    assert (response.fault_code, response.fault_message) == (
        20122, f"Stream position {position!r} is not one getCustomObjects issued (20122)")


def test_a_stream_position_of_another_key_list_is_fault_20122(soap):
    response = get(soap, {"MKTOID": BOB}, stream_position='{"ky":["1000001"],"os":1}')
    assert (response.fault_code, response.fault_message) == (
        20122, "Stream position '{\"ky\":[\"1000001\"],\"os\":1}' was issued for another customObjKeyList (20122)")


def test_get_of_an_unknown_type_is_fault_20110(soap):
    response = get(soap, type_name="Nope")
    assert (response.fault_code, response.fault_message) == (20110, "Object name is not valid (20110)")


# ---- deleteCustomObjects ---------------------------------------------------------------------------------

def delete(soap, *key_lists: dict, type_name: str = "Roadshow"):
    return soap.call(delete_custom_objects_body(type_name, list(key_lists)))


def delete_statuses(response) -> list[tuple[str, str | None]]:
    path = "result/deleteCustomObjStatusList/syncCustomObjStatus/"
    return list(zip(response.all_text(path + "status"), response.all_text(path + "error")))


def test_delete_of_a_missing_key_fails_and_the_others_are_deleted(soap):
    sync(soap, roadshow(ANN, "r1"), roadshow(ANN, "r2"))
    response = delete(soap, {"MKTOID": ANN, "rid": "r1"}, {"MKTOID": ANN, "rid": "nope"}, {"MKTOID": ANN, "rid": "r2"})
    assert delete_statuses(response) == [
        ("DELETED", None), ("FAILED", "Roadshow object with MKTOID = 1000001, rid = nope does not exist"),
        ("DELETED", None)]
    assert rids(get(soap)) == []


def test_delete_needs_the_whole_key(soap):
    sync(soap, roadshow(ANN, "r1"))
    assert delete_statuses(delete(soap, {"MKTOID": ANN})) == [("FAILED", "Missing key attribute: rid")]
    assert rids(get(soap)) == ["r1"]


def test_delete_of_an_unknown_type_is_fault_20110(soap):
    assert delete(soap, {"MKTOID": ANN, "rid": "r1"}, type_name="Nope").fault_code == 20110


def test_delete_without_key_lists_is_fault_20109(soap):
    response = soap.call("<ns1:paramsDeleteCustomObjects><objTypeName>Roadshow</objTypeName>"
                         "</ns1:paramsDeleteCustomObjects>")
    assert (response.fault_code, response.fault_message) == (20109, "customObjKeyLists is required (20109)")
